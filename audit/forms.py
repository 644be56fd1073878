from django import forms

from iro_service.forms import GovukDateField
from people.models import User


def _staff():
    return User.objects.order_by("first_name", "last_name", "username")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.username})"


class AuditSearchForm(forms.Form):
    """What the auditor types (sent by POST, so a child's name never sits in a URL)."""

    child = forms.CharField(
        label="Child's name or child ID",
        required=False,
        max_length=100,
        help_text="For example, Smith, Jo Smith or the child ID.",
    )
    user = StaffChoiceField(
        label="Member of staff",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
    )
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 9 2026.")
    date_to = GovukDateField(label="To", required=False, help_text="For example, 30 9 2026.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned


class AuditFilterQuery(forms.Form):
    """The filters in the results' URL: record ids and dates only, never names."""

    child = forms.IntegerField(required=False, min_value=1)
    user = forms.IntegerField(required=False, min_value=1)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
