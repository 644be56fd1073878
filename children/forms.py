from django import forms
from django.utils import timezone

from iro_service.forms import GovukDateField
from iro_service.validators import date_of_birth_problem, expected_date_problem
from people.models import District

from .codes import Disability
from .models import Child, FamilyMember, Household
from .validators import normalise_nhs_number, normalise_upn


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["name", "relationship", "has_parental_responsibility", "email", "postal_address"]
        labels = {"has_parental_responsibility": "Has parental responsibility"}
        help_texts = {
            "email": "If they have one: invitations go by email with a calendar file, "
            "otherwise by letter.",
            "postal_address": "Leave blank if they live at the household's address.",
        }
        error_messages = {
            "name": {"required": "Enter the family member's name"},
            "relationship": {"required": "Select how they are related to the children"},
        }


class ChildSearchForm(forms.Form):
    # Either is enough, and both narrow the search: neither is "optional" on its own.
    conditionally_required = ("q", "born_on")

    q = forms.CharField(
        label="Name or child ID",
        required=False,
        max_length=100,
        help_text="For example, Smith, Jo Smith or the child ID. You can also enter a UPN or "
        "NHS number.",
    )
    born_on = GovukDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2010. Enter a name or child ID, a date of birth, or both.",
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("q") and not cleaned.get("born_on"):
            raise forms.ValidationError("Enter a name, child ID or date of birth to search for")
        return cleaned


class ChildForm(forms.ModelForm):
    # A child needs a date of birth or, unborn, an expected date of birth (clean() and the
    # child_born_or_expected constraint): neither is optional on its own, so neither label
    # says so, and the hints say which to give.
    conditionally_required = ("date_of_birth", "expected_date_of_birth")
    BORN_OR_EXPECTED = "Enter a date of birth, or an expected date of birth for an unborn child"

    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2010. Leave this blank for an unborn child, and enter "
        "the expected date of birth instead.",
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth",
        required=False,
        help_text="For an unborn child: the expected date of delivery, for example 1 9 2026. "
        "Needed if there is no date of birth.",
    )
    # Longer than the stored values: people type spaces, which are taken out before checking.
    upn = forms.CharField(
        label="UPN",
        required=False,
        max_length=20,
        help_text="Unique Pupil Number, if known. 13 characters, like B801200005001.",
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="If known. 10 digits, like 943 476 5919.",
    )
    disabilities = forms.MultipleChoiceField(
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, or 'No disability'.",
    )

    class Meta:
        model = Child
        fields = [
            "local_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "gender",
            "ethnicity",
            "disabilities",
            "upn",
            "nhs_number",
            "district",
            "household",
            "social_worker_name",
            "social_worker_team",
            "social_worker_email",
            "team_manager_name",
            "team_manager_email",
        ]
        help_texts = {
            "social_worker_name": "The allocated social worker: invitations and report "
            "requests go to them.",
            "team_manager_name": "Told when a report asked of the social worker is late.",
        }
        error_messages = {
            "local_id": {
                "unique": "A child with this child ID already exists",
                "required": "Enter the child ID",
            },
            "first_name": {"required": "Enter the child's first name"},
            "last_name": {"required": "Enter the child's last name"},
            "district": {"required": "Select the district"},
        }

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()
        self.fields["household"].queryset = (
            households if households is not None else Household.objects.all()
        )
        self.fields["household"].required = False

    def clean_upn(self):
        return normalise_upn(self.cleaned_data["upn"]) if self.cleaned_data["upn"] else ""

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"]
        return normalise_nhs_number(value) if value else ""

    def _plausible(self, name: str, problem) -> object:
        """A date typed in must be one that could be true (iro_service/validators.py). Checked
        only when it is new or changed, so an old record with a date from before the rules
        can still be corrected in its other fields."""
        value = self.cleaned_data[name]
        if value is not None and name in self.changed_data:
            reason = problem(value, today=timezone.localdate())
            if reason:
                raise forms.ValidationError(reason)
        return value

    def clean_date_of_birth(self):
        return self._plausible("date_of_birth", date_of_birth_problem)

    def clean_expected_date_of_birth(self):
        return self._plausible("expected_date_of_birth", expected_date_problem)

    def clean(self):
        cleaned = super().clean()
        born, expected = cleaned.get("date_of_birth"), cleaned.get("expected_date_of_birth")
        if not born and not expected and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", self.BORN_OR_EXPECTED)
        return cleaned
