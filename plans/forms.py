from django import forms

from conferences.models import Category
from iro_service.forms import GovukDateField

from .models import ChildProtectionPlan


class PlanCategoryForm(forms.Form):
    changed_on = GovukDateField(
        label="Date of the change",
        help_text="Usually the date of a review conference. For example, 27 3 2026.",
        error_messages={"required": "Enter the date of the change"},
    )
    to_category = forms.ChoiceField(
        label="New category of abuse",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new category of abuse"},
    )


class PlanEndForm(forms.Form):
    end_date = GovukDateField(
        label="Date the plan ended",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date the plan ended"},
    )
    reason = forms.ChoiceField(
        label="Reason the plan ended",
        choices=ChildProtectionPlan.EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason the plan ended"},
    )
