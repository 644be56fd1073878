"""Forms for recording core groups and child protection visits. They check what was typed;
plans.services decides what may be recorded (dates, the plan, seen alone only if seen)."""

from django import forms

from iro_service.forms import GovukDateField
from iro_service.validators import validate_no_bidi_controls

YES_NO = [("yes", "Yes"), ("no", "No")]


class CoreGroupForm(forms.Form):
    held_on = GovukDateField(
        label="Date of the core group",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date of the core group"},
    )
    attendees = forms.CharField(
        label="Who attended",
        help_text="The name and agency or role of each person, one on each line.",
        widget=forms.Textarea,
        error_messages={"required": "Enter who attended the core group"},
    )
    note = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    also_for = forms.MultipleChoiceField(
        label="Also record this core group for",
        help_text="Brothers and sisters on a plan usually share a core group.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, household_plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.household_plans = {str(plan.pk): plan for plan in household_plans}
        if self.household_plans:
            self.fields["also_for"].choices = [
                (pk, plan.child.full_name) for pk, plan in self.household_plans.items()
            ]
        else:
            del self.fields["also_for"]

    def other_plans(self) -> list:
        return [self.household_plans[pk] for pk in self.cleaned_data.get("also_for", [])]


class VisitForm(forms.Form):
    # Required when the child was seen (clean() checks it): not labelled "optional".
    conditionally_required = ("child_seen_alone",)

    visited_on = GovukDateField(
        label="Date of the visit",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date of the visit"},
    )
    visited_by = forms.CharField(
        validators=[validate_no_bidi_controls],
        label="Who visited",
        help_text="Usually the child's social worker.",
        max_length=150,
        error_messages={"required": "Enter who made the visit"},
    )
    child_seen = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
    child_seen_alone = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        name = child.first_name
        self.fields["child_seen"].label = f"Was {name} seen?"
        self.fields["child_seen"].error_messages["required"] = f"Select whether {name} was seen"
        self.fields["child_seen_alone"].label = f"Was {name} seen alone?"
        self.fields["child_seen_alone"].help_text = f"Answer only if {name} was seen."
        self.child = child

    def clean(self):
        data = super().clean()
        if data.get("child_seen") == "yes" and not data.get("child_seen_alone"):
            self.add_error(
                "child_seen_alone", f"Select whether {self.child.first_name} was seen alone"
            )
        return data

    def answers(self) -> dict:
        """What the service takes: seen and seen alone as booleans (not seen: not alone,
        unless the person said otherwise, which the service refuses with its reason)."""
        data = self.cleaned_data
        return {
            "visited_on": data["visited_on"],
            "visited_by": data["visited_by"],
            "child_seen": data["child_seen"] == "yes",
            "child_seen_alone": data.get("child_seen_alone") == "yes",
            "note": data["note"],
        }
