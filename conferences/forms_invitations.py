"""Forms of a conference's invitees and reports. They check what was typed; the services in
services/invitations.py and services/reports.py decide what is allowed."""

import datetime as dt

from django import forms
from django.utils import timezone

from iro_service.forms import GovukDateField
from iro_service.validators import validate_no_bidi_controls

from .forms import aware, parse_time
from .models import Attendance, Invitee


class InviteeForm(forms.Form):
    name = forms.CharField(validators=[validate_no_bidi_controls], label="Name", max_length=150)
    role = forms.CharField(
        label="Role", max_length=100, help_text="For example: GP, mother, head teacher."
    )
    agency = forms.ChoiceField(
        label="Agency",
        choices=[("", "Choose an agency"), *Attendance.Agency.choices],
        help_text="Choose \u201cParent or carer\u201d for the family.",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="They are invited by email with a calendar file. Leave blank to send a letter.",
    )
    postal_address = forms.CharField(
        label="Postal address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when there is no email address: the invitation is printed as a letter.",
    )
    child = forms.ModelChoiceField(
        label="The child, if the invitee is the child the conference is about",
        queryset=None,
        required=False,
        empty_label="Not the child",
    )
    manager_name = forms.CharField(
        validators=[validate_no_bidi_controls],
        label="Their manager's name",
        max_length=150,
        required=False,
        help_text="Told as well if a report asked of them is late.",
    )
    manager_email = forms.EmailField(label="Their manager's email address", required=False)

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = conference.children.order_by("first_name", "last_name")
        self.fields["child"].label_from_instance = lambda child: child.full_name

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("postal_address", "").strip()):
            if "email" not in self.errors:
                self.add_error(
                    "email", "Enter an email address or a postal address, so they can be invited"
                )
        return data


class FromRecordForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label="Who to invite",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to invite"},
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [
            (s["key"], f"{s['name']}, {s['role'].lower()}: {s['source']}") for s in suggestions
        ]


class ReportsRequestForm(forms.Form):
    authors = forms.ModelMultipleChoiceField(
        label="Who to ask for a report",
        queryset=Invitee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to ask for a report"},
    )

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = authors
        self.fields["authors"].label_from_instance = lambda invitee: (
            f"{invitee.name}, {invitee.role} ({invitee.get_agency_display()})"
        )


class ReportTimeForm(forms.Form):
    """When a report came in, or reached the parents."""

    day = GovukDateField(label="Date", help_text="For example, 27 3 2027.")
    time = forms.CharField(
        label="Time", max_length=5, help_text="24-hour clock, for example 09:30 or 14:00."
    )

    def __init__(self, *args, now: dt.datetime, **kwargs):
        local = timezone.localtime(now)
        kwargs.setdefault("initial", {"day": local.date(), "time": f"{local:%H:%M}"})
        super().__init__(*args, **kwargs)

    def clean_time(self):
        return parse_time(self.cleaned_data["time"])

    def at(self) -> dt.datetime:
        return aware(self.cleaned_data["day"], self.cleaned_data["time"])
