from django import forms
from django.utils import timezone

from iro_service.dates import reporting_year_of
from iro_service.forms import GovukDateField
from people.models import District


def current_census_year() -> int:
    """The census year now running: it ends on the next 31 March."""
    return reporting_year_of(timezone.localdate())


class CensusYearForm(forms.Form):
    year = forms.CharField(
        label="Census year",
        max_length=4,
        help_text="The year the census ends in: 2024 is 1 April 2023 to 31 March 2024.",
        error_messages={"required": "Enter the census year, like 2024"},
    )

    def clean_year(self) -> int:
        value = self.cleaned_data["year"].strip()
        if not (value.isdigit() and len(value) == 4):
            raise forms.ValidationError("Enter the census year as 4 numbers, like 2024")
        year = int(value)
        if year < 2000:
            raise forms.ValidationError("The census year must be 2000 or later")
        if year > current_census_year():
            raise forms.ValidationError(
                f"The census year must be {current_census_year()} or earlier"
            )
        return year


class AnnexAForm(forms.Form):
    annex_list = forms.ChoiceField(
        label="List",
        choices=[
            ("5", "List 5: section 47 enquiries and initial child protection conferences"),
            ("7", "List 7: child protection"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the list to download"},
    )
    on = GovukDateField(
        label="Date of the list",
        help_text="The list covers the six months up to this date. For example, 31 3 2024",
        error_messages={"required": "Enter the date of the list"},
    )
    file_format = forms.ChoiceField(
        label="File format",
        choices=[("csv", "CSV"), ("xlsx", "Excel (.xlsx)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select CSV or Excel"},
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label="Whole authority",
        error_messages={"invalid_choice": "Select a district from the list"},
    )

    def __init__(self, *args, district_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if district_fixed:  # a district manager's lists are their own district's
            del self.fields["district"]

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError("Date of the list must be today or in the past")
        return on
