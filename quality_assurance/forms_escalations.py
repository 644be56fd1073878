"""Forms for escalations: raising one, responding, moving up, resolving, withdrawing. The
services check the rules; these only shape what was typed."""

from django import forms

from iro_service.forms import GovukDateField
from iro_service.validators import validate_no_bidi_controls
from people.models import Role, User

from .models import Escalation

Level = Escalation.Level


def _addressee_choices(district_id: int | None) -> forms.ModelChoiceField:
    """People in the system an escalation may be addressed to: the child's district managers
    and the directorate's managers. Anyone else is a contact (name and email)."""
    people = User.objects.filter(is_active=True, role=Role.DIRECTORATE_MANAGER)
    if district_id is not None:
        people = people | User.objects.filter(
            is_active=True, role=Role.DISTRICT_MANAGER, district_id=district_id
        )
    return forms.ModelChoiceField(
        label="Someone with an account",
        queryset=people.order_by("last_name", "first_name"),
        required=False,
        empty_label="Nobody: a contact outside the system",
        help_text="Or leave this and give the person's name and email below.",
    )


class AddresseeFields(forms.Form):
    addressed_to_name = forms.CharField(
        validators=[validate_no_bidi_controls],
        label="Their name",
        max_length=150,
        required=False,
        help_text="For example, Sam Patel",
    )
    addressed_to_email = forms.EmailField(
        label="Their email address",
        max_length=254,
        required=False,
        help_text="They are told by email when it moves up to them.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def __init__(self, *args, district_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"] = _addressee_choices(district_id)
        self.order_fields(["addressed_to", "addressed_to_name", "addressed_to_email"])

    def addressee(self) -> dict:
        data = self.cleaned_data
        return {
            "addressed_to": data.get("addressed_to"),
            "addressed_to_name": data.get("addressed_to_name", ""),
            "addressed_to_email": data.get("addressed_to_email", ""),
        }


class RaiseForm(AddresseeFields):
    children = forms.MultipleChoiceField(
        label="Which children is it about?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one child."},
        help_text="One escalation is raised for each child you choose.",
    )
    theme = forms.ChoiceField(
        label="What is the concern about?",
        choices=Escalation.Theme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the concern is about."},
    )
    concern = forms.CharField(
        label="Describe the concern",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the concern."},
    )
    what_must_change = forms.CharField(
        label="What must change",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what must change."},
    )
    level = forms.TypedChoiceField(
        label="Which level are you raising it at?",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=Level.SOCIAL_WORKER,
        help_text="Usually the social worker first. You may start higher if the concern is "
        "serious.",
        error_messages={"required": "Choose the level to raise it at."},
    )

    def __init__(self, *args, children, district_id=None, **kwargs):
        super().__init__(*args, district_id=district_id, **kwargs)
        self.fields["children"].choices = [(str(c.pk), str(c)) for c in children]
        self.order_fields(
            [
                "children",
                "theme",
                "concern",
                "what_must_change",
                "level",
                "addressed_to",
                "addressed_to_name",
                "addressed_to_email",
            ]
        )
        self.fields["addressed_to"].label = "Who is it addressed to?"


class RespondForm(forms.Form):
    response = forms.CharField(
        label="Their response",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the response."},
    )
    responder_name = forms.CharField(
        validators=[validate_no_bidi_controls],
        label="Who responded",
        max_length=150,
        required=False,
        help_text="Leave blank if it was the person it is addressed to.",
    )
    responded_on = GovukDateField(label="Date of the response")


class MoveUpForm(AddresseeFields):
    to_level = forms.TypedChoiceField(
        label="Which level should it move up to?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level to move it up to."},
    )

    def __init__(self, *args, escalation: Escalation, **kwargs):
        super().__init__(*args, district_id=escalation.district_id, **kwargs)
        self.fields["to_level"].choices = [
            (value, label) for value, label in Level.choices if value > escalation.level
        ]
        self.order_fields(["to_level", "addressed_to", "addressed_to_name", "addressed_to_email"])
        self.fields["addressed_to"].label = "Who is it addressed to at that level?"


class ReaddressForm(AddresseeFields):
    def __init__(self, *args, escalation: Escalation, **kwargs):
        super().__init__(*args, district_id=escalation.district_id, **kwargs)
        self.fields["addressed_to"].label = "Who is it addressed to now?"


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        label="What was the outcome?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the outcome: what changed, or was agreed."},
    )
    resolved_on = GovukDateField(label="Date it was resolved")


class WithdrawForm(forms.Form):
    withdrawal_reason = forms.CharField(
        label="Why is it withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is withdrawn."},
    )
    withdrawn_on = GovukDateField(label="Date it was withdrawn")


class ListFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All districts", label="District"
    )
    level = forms.TypedChoiceField(
        choices=[("", "All levels"), *Level.choices], coerce=int, required=False, empty_value=None
    )
    open_days = forms.TypedChoiceField(
        label="Open for",
        choices=[
            ("", "Any time"),
            (10, "10 days or more"),
            (20, "20 days or more"),
            (40, "40 days or more"),
        ],
        coerce=int,
        required=False,
        empty_value=None,
    )
    status = forms.ChoiceField(
        choices=[
            ("open", "Open"),
            ("resolved", "Resolved"),
            ("withdrawn", "Withdrawn"),
            ("all", "All"),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from people.models import District

        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("name")
