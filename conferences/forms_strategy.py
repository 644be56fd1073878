"""Forms for holding a strategy meeting and quality-assuring a decision not to convene. They
check what was typed; the services decide what may be recorded."""

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict, ErrorList

from iro_service.forms import GovukDateField
from iro_service.validators import validate_no_bidi_controls
from people.templatetags.govuk import summary_errors

from . import rules
from .models import Attendance, StrategyMeeting
from .services.strategy_holding import ATTENDANCE_STATUSES, CHILD_DECISIONS

REGISTER_PREFIX = "attendance"
EMPTY_ROWS = 3  # below the chair's own row: most strategy meetings are 3 to 6 people
MAX_ROWS = 40
CHOOSE = [("", "Choose")]


class AttendanceRowForm(forms.Form):
    """One person on the register. A row left blank is not a person and is skipped."""

    name = forms.CharField(validators=[validate_no_bidi_controls], label="Name", max_length=150)
    agency = forms.ChoiceField(label="Agency", choices=CHOOSE + Attendance.Agency.choices)
    role = forms.CharField(label="Role", max_length=100, required=False)
    status = forms.ChoiceField(
        label="How they took part", choices=CHOOSE + list(ATTENDANCE_STATUSES.items())
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1
        person = f"person {self.number}"
        self.fields["name"].error_messages["required"] = f"Enter the name of {person}"
        self.fields["name"].error_messages["max_length"] = (
            f"The name of {person} must be 150 characters or fewer"
        )
        self.fields["agency"].error_messages["required"] = f"Choose the agency of {person}"
        self.fields["status"].error_messages["required"] = f"Choose how {person} took part"
        self.fields["role"].error_messages["max_length"] = (
            f"The role of {person} must be 100 characters or fewer"
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")


class BaseRegister(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The people on the register, blank rows left out."""
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


AttendanceRegister = forms.formset_factory(
    AttendanceRowForm,
    formset=BaseRegister,
    extra=EMPTY_ROWS,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class StrategyHoldForm(forms.Form):
    decisions = forms.CharField(
        label="What the meeting decided",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The decisions and who will do what, in plain words. Those who took part "
        "rely on this record.",
        error_messages={"required": "Enter what the meeting decided"},
    )
    follow_up_on = GovukDateField(
        label="Follow-up date",
        required=False,
        help_text="When the decisions will be checked: the meeting's date or later.",
    )

    def __init__(self, *args, meeting: StrategyMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.children = list(meeting.children.order_by("date_of_birth", "pk"))
        already = set(meeting.enquiries.values_list("child_id", flat=True))
        self.open_children = [child for child in self.children if child.pk not in already]
        self.conference_due_by = due = rules.initial_conference_due_by(
            strategy_discussion_on=meeting.date,
            working_days=settings.IRO_TIMESCALES["INITIAL_CONFERENCE_WORKING_DAYS"],
        )
        for child in self.open_children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(
                label=f"{child.full_name} ({child.local_id})",
                widget=forms.RadioSelect,
                choices=list(CHILD_DECISIONS.items()),
                help_text=f"An enquiry starts on the meeting's date, {meeting.date.day} "
                f"{meeting.date:%B %Y}. If it finds an initial conference is needed, the "
                f"conference is due by {due.day} {due:%B %Y}.",
                error_messages={"required": f"Choose what happens next for {child.full_name}"},
            )

    def child_fields(self) -> list:
        return [self[f"child_{child.pk}"] for child in self.open_children]

    def children_with_enquiry(self) -> list:
        """Children for whom an enquiry from this meeting is already recorded."""
        return [child for child in self.children if child not in self.open_children]

    def enquiries(self) -> list[dict]:
        return [
            {"child": child, "decision": self.cleaned_data[f"child_{child.pk}"]}
            for child in self.open_children
        ]


class HoldAnswers:
    """The hold page's two parts, the register and the rest, bound and checked together."""

    def __init__(self, meeting: StrategyMeeting, data=None, *, chair_row: dict | None = None):
        self.meeting = meeting
        self.form = StrategyHoldForm(data, meeting=meeting)
        initial = [chair_row] if (data is None and chair_row) else None
        self.register = AttendanceRegister(
            data,
            prefix=REGISTER_PREFIX,
            initial=initial,
            form_kwargs={"empty_permitted": True, "use_required_attribute": False},
        )

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.register.is_valid()])

    def quiet(self) -> "HoldAnswers":
        """Show what was typed without its errors: a row has just been added."""
        for form in [self.form, *self.register.forms]:
            form._errors, form.cleaned_data = ErrorDict(), {}
        self.register._errors, self.register._non_form_errors = [], ErrorList()
        return self

    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.register.non_form_errors()
            or any(form.errors for form in self.register.forms)
        )

    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the page's order: the whole record,
        the register, then the decisions, follow-up and each child."""
        items = [("", message) for message in self.form.non_field_errors()]
        items += [("register", message) for message in self.register.non_form_errors()]
        for row in self.register.forms:
            items += summary_errors(row)
        return items + [
            (anchor, message)
            for anchor, message in summary_errors(self.form)[len(self.form.non_field_errors()) :]
        ]

    def answers(self) -> dict:
        """What the hold service takes, from valid forms."""
        data = self.form.cleaned_data
        return {
            "attendance": self.register.rows(),
            "decisions": data["decisions"],
            "follow_up_on": data["follow_up_on"],
            "enquiries": self.form.enquiries(),
        }

    def decisions_by_child(self) -> list[tuple]:
        """(child, the decision's words) for check your answers."""
        return [
            (e["child"], e["decision"], CHILD_DECISIONS[e["decision"]])
            for e in self.form.enquiries()
        ]

    def register_rows(self) -> list[dict]:
        """The register with its agencies and ways of taking part in words."""
        agencies = dict(Attendance.Agency.choices)
        return [
            {
                **row,
                "agency_label": agencies[row["agency"]],
                "status_label": ATTENDANCE_STATUSES[row["status"]],
            }
            for row in self.register.rows()
        ]


def with_another_row(data):
    """The posted register with one more blank row."""
    data = data.copy()
    key = f"{REGISTER_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, MAX_ROWS))
    return data


class NoConferenceReviewForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="Do you agree with the decision not to convene an initial conference?",
        widget=forms.RadioSelect,
        choices=[
            ("yes", "Yes, I agree with the decision"),
            ("no", "No, I disagree: an escalation should be raised"),
        ],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether you agree with the decision"},
    )
    note = forms.CharField(
        label="Your note on the decision",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you looked at and why you agree or disagree. It is kept with the enquiry.",
        error_messages={"required": "Enter your note on the decision"},
    )
