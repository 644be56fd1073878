"""Form pieces shared by every app: the GOV.UK date input and service-error mapping."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "widgets/govuk_date.html"

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        widgets = {
            "day": forms.TextInput(attrs={**box, "class": box["class"] + " govuk-input--width-2"}),
            "month": forms.TextInput(
                attrs={**box, "class": box["class"] + " govuk-input--width-2"}
            ),
            "year": forms.TextInput(attrs={**box, "class": box["class"] + " govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = GovukDateWidget

    def __init__(self, *, required: bool = True, **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, required=required, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(f"{self.label or 'Date'} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self.label or 'Date'} must be a real date, using numbers")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{self.label or 'Date'} must be a real date") from exc

    def clean(self, value):
        # MultiValueField reports "enter a list of values" for partial input; compress first
        # so the person sees what is missing.
        if value and any(value) and not all(value):
            return self.compress(value)
        return super().clean(value)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
