"""Forms of the chair's holding pages. They collect what was said; the holding service's
rules (conferences.services.holding.decision_errors) decide what is complete and allowed."""

from django import forms
from django.conf import settings

from iro_service.forms import GovukDateField
from iro_service.validators import validate_no_bidi_controls
from plans.models import PlanTarget

from .models import Attendance, Category, Conference, ConferenceChild, PlanEndReason
from .services import holding

Outcome = ConferenceChild.Outcome
NEW_TARGET_ROWS = 3
DISSENT_ROWS = 2
SCALE_ROWS = 6


def _choose(choices, prompt="Choose"):
    return [("", prompt), *choices]


class RegisterRowForm(forms.Form):
    """One line of the attendance register."""

    invitee_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        validators=[validate_no_bidi_controls], label="Name", max_length=150, required=False
    )
    agency = forms.ChoiceField(
        label="Agency", choices=_choose(Attendance.Agency.choices), required=False
    )
    role = forms.CharField(label="Role", max_length=100, required=False)
    status = forms.ChoiceField(
        label="Took part", choices=_choose(Attendance.Status.choices), required=False
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("invitee_id") and not (data.get("name") or "").strip()

    def row(self) -> holding.AttendanceRow:
        data = self.cleaned_data
        return holding.AttendanceRow(
            name=data.get("name") or "",
            agency=data.get("agency") or "",
            role=data.get("role") or "",
            status=data.get("status") or "",
            invitee_id=data.get("invitee_id"),
        )


RegisterFormSet = forms.formset_factory(RegisterRowForm, extra=0)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChildDecisionForm(forms.Form):
    """One child's part of the conference: how they took part, the decision, and the outline
    plan. Fields for the plan's existing targets (to review) and new ones are added per child."""

    participation = forms.ChoiceField(
        label="How did the child take part?",
        choices=[c for c in ConferenceChild.Participation.choices if c[0]],
        widget=forms.RadioSelect,
        required=False,
    )
    views = forms.CharField(
        label="The child's views",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What they said or sent, in brief. Views sent before the conference are "
        "filled in.",
    )
    outcome = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, required=False)
    category = forms.ChoiceField(
        label="Category of abuse",
        choices=Category.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="If the plan starts or continues.",
    )
    cease_reason = forms.ChoiceField(
        label="Why the plan ceases",
        choices=_choose(PlanEndReason.choices),
        required=False,
        help_text="If the plan ceases.",
    )
    decision_note = forms.CharField(
        label="The chair's reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, conference: Conference, considered: holding.Considered, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference, self.considered = conference, considered
        # Required, or required for some decisions: the rules say which, so none is marked
        # "(optional)" (the hints say when each applies).
        self.conditionally_required = ["participation", "outcome", "category", "cease_reason"]
        child = considered.row.child
        if conference.is_review:
            self.fields["outcome"].choices = [
                (Outcome.PLAN_CONTINUED, "The plan continues"),
                (Outcome.PLAN_CEASED, "The plan ceases"),
            ]
            if considered.plan is not None:
                self.fields["category"].initial = considered.plan.latest_category
        else:
            self.fields["outcome"].choices = [
                (Outcome.PLAN_STARTED, f"{child.first_name} needs a child protection plan"),
                (Outcome.NO_PLAN, "No plan"),
            ]
        self.target_fields = []
        for target in considered.targets:
            name = f"target_{target.pk}"
            self.fields[name] = forms.ChoiceField(
                label=target.description,
                choices=PlanTarget.REVIEW_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                help_text=f"By {target.due_by:%d %B %Y}"
                + (f"; {target.who}" if target.who else ""),
            )
            self.target_fields.append(name)
            self.conditionally_required.append(name)
        self.new_target_rows = []
        for number in range(1, NEW_TARGET_ROWS + 1):
            row = (f"new_{number}_description", f"new_{number}_due_by", f"new_{number}_who")
            self.fields[row[0]] = forms.CharField(
                label=f"Target {number}: what must change",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[row[1]] = GovukDateField(label=f"Target {number}: by when", required=False)
            self.fields[row[2]] = forms.CharField(
                validators=[validate_no_bidi_controls],
                label=f"Target {number}: who will do it",
                max_length=200,
                required=False,
            )
            self.new_target_rows.append(row)
        self.dissent_rows = []
        for number in range(1, DISSENT_ROWS + 1):
            row = (f"dissent_{number}_agency", f"dissent_{number}_name", f"dissent_{number}_reason")
            self.fields[row[0]] = forms.ChoiceField(
                label=f"Dissent {number}: agency",
                choices=_choose(Attendance.Agency.choices, "No dissent"),
                required=False,
            )
            self.fields[row[1]] = forms.CharField(
                validators=[validate_no_bidi_controls],
                label=f"Dissent {number}: who",
                max_length=150,
                required=False,
            )
            self.fields[row[2]] = forms.CharField(
                label=f"Dissent {number}: their reason",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.dissent_rows.append(row)

    def clean(self):
        data = super().clean()
        # The rules run even when a box is wrong, so every problem is shown at once.
        self._decision = self._build()
        for key, messages in holding.decision_errors(
            self.conference, self.considered, self._decision
        ).items():
            target = {"dissents": self.dissent_rows[0][0], "targets": self.new_target_rows[0][0]}
            field = target.get(key, key)
            if key == "target_reviews":
                unanswered = [n for n in self.target_fields if not data.get(n)]
                for name in unanswered:
                    label = self.fields[name].label
                    short = label if len(label) <= 60 else label[:57].rstrip() + "..."
                    self.add_error(
                        name, f"Say whether this target was achieved, partly or not: {short}"
                    )
                messages = [m for m in messages if not unanswered or "each of" not in m]
                field = None
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    @property
    def new_targets_given(self) -> bool:
        """Whether any new target was typed (so its section opens)."""
        names = [name for row in self.new_target_rows for name in row]
        return any(self.data.get(n) for n in self.data if n.startswith("new_")) or any(
            n in self.errors for n in names
        )

    @property
    def dissent_given(self) -> bool:
        names = [name for row in self.dissent_rows for name in row]
        return any(self.data.get(n) for n in names) or any(n in self.errors for n in names)

    def decision(self) -> holding.ChildDecision:
        """The decision, once the form is valid."""
        return self._decision

    def _build(self) -> holding.ChildDecision:
        data = self.cleaned_data
        targets = []
        for text, due, who in self.new_target_rows:
            described = (data.get(text) or "").strip()
            if not described and not data.get(due) and due not in self.errors:
                continue  # an empty row
            if data.get(due) is None:
                if due not in self.errors:
                    self.add_error(due, "Give the date the target is due by")
                continue
            targets.append(
                holding.TargetInput(
                    description=described, due_by=data[due], who=data.get(who) or ""
                )
            )
        dissents = tuple(
            holding.DissentInput(
                agency=data.get(agency) or "",
                name=data.get(name) or "",
                reason=data.get(reason) or "",
            )
            for agency, name, reason in self.dissent_rows
            if data.get(agency) or (data.get(reason) or "").strip()
        )
        outcome = data.get("outcome") or ""
        keeps_plan = outcome in (Outcome.PLAN_STARTED, Outcome.PLAN_CONTINUED)
        return holding.ChildDecision(
            child_id=self.considered.row.child_id,
            outcome=outcome,
            # A category is the plan's: none when the plan ceases or none is made.
            category=(data.get("category") or "") if keeps_plan or not outcome else "",
            cease_reason=(data.get("cease_reason") or "") if outcome == Outcome.PLAN_CEASED else "",
            participation=data.get("participation") or "",
            views=data.get("views") or "",
            decision_note=data.get("decision_note") or "",
            dissents=dissents,
            targets=tuple(targets),
            target_reviews={
                int(name.removeprefix("target_")): data[name]
                for name in self.target_fields
                if data.get(name)
            },
        )


class SignsOfSafetyForm(forms.Form):
    worries_harm = forms.CharField(
        label="Worries: harm", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    complicating_factors = forms.CharField(
        label="Worries: complicating factors",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    working_well = forms.CharField(
        label="What is working well", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    danger_statements = forms.CharField(
        label="Danger statements", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    safety_goals = forms.CharField(
        label="Safety goals", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale_rows = []
        for number in range(1, SCALE_ROWS + 1):
            row = (f"scale_{number}_participant", f"scale_{number}_score")
            self.fields[row[0]] = forms.CharField(
                label=f"Safety scale {number}: who", max_length=150, required=False
            )
            self.fields[row[1]] = forms.IntegerField(
                label=f"Safety scale {number}: 0 to 10",
                min_value=0,
                max_value=10,
                required=False,
                error_messages={
                    "min_value": "A safety scale is from 0 to 10",
                    "max_value": "A safety scale is from 0 to 10",
                    "invalid": "A safety scale is a whole number from 0 to 10",
                },
            )
            self.scale_rows.append(row)

    def clean(self):
        data = super().clean()
        for who, score in self.scale_rows:
            if (data.get(who) or "").strip() and data.get(score) is None and who not in self.errors:
                self.add_error(score, "Give the safety scale, from 0 to 10")
            if data.get(score) is not None and not (data.get(who) or "").strip():
                self.add_error(who, "Say whose safety scale this is")
        return data

    def record(self) -> holding.SignsOfSafetyInput:
        data = self.cleaned_data
        return holding.SignsOfSafetyInput(
            worries_harm=data["worries_harm"],
            complicating_factors=data["complicating_factors"],
            working_well=data["working_well"],
            danger_statements=data["danger_statements"],
            safety_goals=data["safety_goals"],
            scales=tuple(
                (data[who].strip(), data[score])
                for who, score in self.scale_rows
                if (data.get(who) or "").strip() and data.get(score) is not None
            ),
        )


class HoldForm(VersionForm):
    proceeded_inquorate = forms.BooleanField(
        label="The conference went ahead without quorum, with an interim plan", required=False
    )


class AdjournForm(VersionForm):
    reason = forms.ChoiceField(
        label="Why was the conference adjourned?",
        choices=Conference.AdjournmentReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the conference was adjourned"},
    )
    note = forms.CharField(
        label="More about why", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def signs_of_safety_enabled() -> bool:
    return settings.IRO_SIGNS_OF_SAFETY
