"""A chair proposes another date for a conference they chair."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iro_service.forms import GovukDateField, add_service_errors
from people.access import can_propose_conference_date
from people.models import Role

from .. import selectors
from ..forms import aware, parse_time
from ..services import proposals


class ProposeForm(forms.Form):
    date = GovukDateField(label="Date", help_text="For example, 17 3 2027.")
    time = forms.CharField(label="Start time", max_length=5, help_text="24-hour clock, like 10:00.")
    note = forms.CharField(
        label="Why this date",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Business support see this when they rearrange the conference.",
    )

    def clean_time(self):
        return parse_time(self.cleaned_data["time"])


def may_propose(user, conference) -> bool:
    return can_propose_conference_date(user) and (
        user.role == Role.SENIOR_IRO or conference.chair_id == user.pk
    )


@require_http_methods(["GET", "POST"])
def propose(request, pk: int):
    conference = selectors.access_conference(request.user, pk)
    if not may_propose(request.user, conference):
        raise PermissionDenied("Only the conference's chair or the Senior IRO can propose a date.")
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposals.date_propose(
                conference=conference,
                by=request.user,
                starts_at=aware(data["date"], data["time"]),
                note=data["note"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your date has been sent to business support.")
            return redirect("conferences:detail", pk=conference.pk)
    return render(request, "conferences/propose.html", {"form": form, "conference": conference})
