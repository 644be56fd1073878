"""Forms of the booking desk. They validate what was typed; the services decide what is
allowed (double bookings, dates, reasons) and the views put the services' errors on them."""

import datetime as dt
import re

from django import forms
from django.db.models import Case, Value, When
from django.utils import timezone

from iro_service.forms import GovukDateField
from people.models import Role, User

from .models import Conference, S47Enquiry, StrategyMeeting, Venue
from .models.meetings import CANCELLATION_REASONS

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time(value: str) -> dt.time:
    match = TIME_PATTERN.match(value or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise forms.ValidationError("Enter a time in the 24-hour clock, like 09:30 or 14:00")
    return dt.time(int(match[1]), int(match[2]))


def aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


class WhenAndWhereForm(forms.Form):
    """Date, time, venue (or online), chair and minute taker: shared by conferences and
    strategy meetings."""

    date = GovukDateField(label="Date", help_text="For example, 17 3 2027.")
    time = forms.CharField(
        label="Start time", max_length=5, help_text="24-hour clock, for example 09:30 or 14:00."
    )
    venue = forms.ModelChoiceField(
        label="Venue",
        queryset=Venue.objects.none(),
        required=False,
        empty_label="No venue: held online",
        help_text="Rooms for the family to withdraw to and seats are shown with each venue.",
    )
    is_virtual = forms.BooleanField(
        label="Held online, or with some people joining online", required=False
    )
    meeting_link = forms.URLField(
        label="Link to join online",
        required=False,
        assume_scheme="https",
        help_text="Needed when there is no venue.",
    )
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        help_text="The same chair as last time comes first, for continuity.",
    )
    minute_taker = forms.ModelChoiceField(
        label="Minute taker",
        queryset=User.objects.none(),
        required=False,
        empty_label="No minute taker",
    )

    # Venue or a link: one of the two is needed, so neither is marked optional.
    conditionally_required = ("venue", "meeting_link")

    def __init__(self, *args, district=None, chair_hints=None, last_chair=None, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.filter(is_available=True).select_related("district")
        self.fields["venue"].queryset = venues
        self.fields["venue"].label_from_instance = lambda venue: venue_label(venue, district)
        chairs = User.objects.filter(is_active=True, role__in=[Role.IRO, Role.SENIOR_IRO])
        if last_chair is not None:  # the last chair first: continuity for the family (§4, §9.1)
            chairs = chairs.annotate(
                last=Case(When(pk=last_chair, then=Value(0)), default=Value(1))
            ).order_by("last", "last_name", "first_name")
        else:
            chairs = chairs.order_by("last_name", "first_name")
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = lambda user: user.display_name
        self.fields["chair"].item_hints = {
            str(pk): hint for pk, hint in (chair_hints or {}).items()
        }
        takers = User.objects.filter(is_active=True, role=Role.BUSINESS_SUPPORT)
        self.fields["minute_taker"].queryset = takers.order_by("last_name", "first_name")
        self.fields["minute_taker"].label_from_instance = lambda user: user.display_name

    def clean_time(self):
        return parse_time(self.cleaned_data["time"])

    def starts_at(self) -> dt.datetime:
        return aware(self.cleaned_data["date"], self.cleaned_data["time"])


def venue_label(venue: Venue, district=None) -> str:
    parts = [venue.name, venue.district.name, venue.get_kind_display().lower()]
    parts.append("family room" if venue.has_family_room else "no family room")
    if venue.capacity:
        parts.append(f"seats {venue.capacity}")
    return ", ".join(parts)


class ConferenceBookForm(WhenAndWhereForm):
    conditionally_required = (
        *WhenAndWhereForm.conditionally_required,
        "left_out_reason",
        "delay_reason",
    )

    children = forms.MultipleChoiceField(
        label="Children to consider",
        widget=forms.CheckboxSelectMultiple,
        help_text="One conference considers the household's children together. Untick a child "
        "only if they should not be considered, and say why below.",
    )
    left_out_reason = forms.CharField(
        label="Why the unticked children are left out",
        required=False,
        max_length=300,
        help_text="For example, the child has moved to live with their father.",
    )
    delay_reason = forms.ChoiceField(
        label="Reason it will be held after the date it is due by",
        required=False,
        choices=[("", "Not late")] + list(Conference.AdjournmentReason.choices),
        help_text="Only if the date is after the date it must be held by.",
    )
    delay_note = forms.CharField(
        label="More about the delay", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = [
        "children",
        "left_out_reason",
        "date",
        "time",
        "venue",
        "is_virtual",
        "meeting_link",
        "chair",
        "minute_taker",
        "delay_reason",
        "delay_note",
    ]

    def __init__(self, *args, household_children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.household_children = list(household_children)
        self.fields["children"].choices = [
            (str(child.pk), f"{child.full_name} ({child.local_id})")
            for child in self.household_children
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("children") or [])
        left_out = [c for c in self.household_children if str(c.pk) not in chosen]
        if chosen and left_out and not (cleaned.get("left_out_reason") or "").strip():
            self.add_error(
                "left_out_reason",
                f"Say why {left_out[0].full_name} is left out of the conference",
            )
        return cleaned


class RearrangeForm(WhenAndWhereForm):
    reason = forms.ChoiceField(
        label="Why it is being rearranged",
        choices=[("", "Choose a reason")] + list(Conference.AdjournmentReason.choices),
    )
    note = forms.CharField(
        label="More about the reason", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = [
        "reason",
        "note",
        "date",
        "time",
        "venue",
        "is_virtual",
        "meeting_link",
        "chair",
        "minute_taker",
    ]


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why it is being cancelled",
        widget=forms.RadioSelect,
        choices=CANCELLATION_REASONS,
    )
    note = forms.CharField(
        label="More about the reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if the reason is 'Other'. Everyone invited is told.",
    )


class StrategyMeetingForm(WhenAndWhereForm):
    kind = forms.ChoiceField(
        label="Kind of strategy meeting",
        widget=forms.RadioSelect,
        choices=StrategyMeeting.Kind.choices,
    )
    children = forms.MultipleChoiceField(label="Children", widget=forms.CheckboxSelectMultiple)
    field_order = [
        "kind",
        "children",
        "date",
        "time",
        "venue",
        "is_virtual",
        "meeting_link",
        "chair",
        "minute_taker",
    ]

    def __init__(self, *args, household_children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [
            (str(child.pk), f"{child.full_name} ({child.local_id})") for child in household_children
        ]


class EnquiryForm(forms.Form):
    strategy_discussion_on = GovukDateField(
        label="Date of the strategy discussion",
        help_text="If there was more than one, the last. The initial conference is due 15 "
        "working days after it.",
    )
    started_on = GovukDateField(label="Date the section 47 enquiry started")


class EnquiryDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome of the enquiry",
        widget=forms.RadioSelect,
        choices=[c for c in S47Enquiry.Outcome.choices if c[0] != S47Enquiry.Outcome.ONGOING],
    )
    decided_on = GovukDateField(label="Date of the decision")


class TransferInForm(forms.Form):
    from_authority = forms.CharField(label="Authority the child moved from", max_length=120)
    notified_on = GovukDateField(
        label="Date we were told",
        help_text="The transfer-in conference is due 15 working days after it.",
    )


class DiaryForm(forms.Form):
    week = GovukDateField(label="Week beginning", required=False)
