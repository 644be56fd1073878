"""Book, rearrange and cancel child protection conferences (workflows.md, "Booking").

Every date a booking stores comes from conferences.rules; the statutory date it must be held by
comes from what is already stored (the enquiry's target, the plans' review dates, an adjourned
conference's reconvene-by date, a transfer-in's target). Pages, the API and the commands call
these functions; none of them writes a conference itself.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

import jobs
from children.models import Child, Household
from iro_service.records import save_with_history
from people.access import CHAIR_ROLES
from people.models import Role, User
from plans.models import ChildProtectionPlan

from .. import rules
from ..models import (
    Conference,
    ConferenceChild,
    ExcludedChild,
    S47Enquiry,
    TransferIn,
    Venue,
    local_date,
)
from ..models.meetings import CANCELLATION_REASONS as MEETING_CANCELLATION_REASONS
from . import diary, proposals

MINUTE_TAKER_ROLES = (Role.BUSINESS_SUPPORT,)
REVIEW_KINDS = (Conference.Kind.REVIEW,)
INITIAL_KINDS = (Conference.Kind.INITIAL, Conference.Kind.PRE_BIRTH_INITIAL)


@dataclass(frozen=True)
class BookingRequest:
    """What the person booking chose. Checked by `booking_check`, saved by `conference_book`."""

    kind: str
    household: Household
    starts_at: datetime
    children: tuple[Child, ...]
    chair: User | None
    left_out: Mapping[int, str] = field(default_factory=dict)  # child id -> reason
    venue: Venue | None = None
    is_virtual: bool = False
    meeting_link: str = ""
    minute_taker: User | None = None
    delay_reason: str = ""
    delay_note: str = ""
    replaces: Conference | None = None  # an adjourned conference being reconvened
    transfer_in: TransferIn | None = None


@dataclass
class BookingCheck:
    errors: dict[str, list[str]]
    warnings: list[str]
    due_by: date | None
    dates: rules.BookingDates

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_if_refused(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def timescales() -> Mapping[str, int]:
    return settings.IRO_TIMESCALES


def pending_enquiries(children) -> list[S47Enquiry]:
    """Enquiries that decided to convene and have no initial conference booked or held."""
    return list(
        S47Enquiry.objects.filter(
            child__in=children,
            outcome=S47Enquiry.Outcome.CONFERENCE,
            initial_conference__isnull=True,
        )
    )


def conference_due_by(*, kind: str, children, replaces=None, transfer_in=None) -> date | None:
    """The statutory date this conference must be held by, from the stored deadlines."""
    if replaces is not None:
        return replaces.reconvene_by or replaces.due_by
    if kind == Conference.Kind.TRANSFER_IN and transfer_in is not None:
        return transfer_in.conference_due_by
    if kind in REVIEW_KINDS:
        plans = ChildProtectionPlan.objects.filter(child__in=children, end_date__isnull=True)
        return plans.aggregate(due=Min("next_review_due_by"))["due"]
    targets = [e.initial_conference_due_by for e in pending_enquiries(children)]
    return min((t for t in targets if t), default=None)


def _check_people(request: BookingRequest, errors: dict) -> None:
    chair, taker = request.chair, request.minute_taker
    if chair is None:
        errors.setdefault("chair", []).append("Choose who will chair the conference.")
    elif not chair.is_active or chair.role not in CHAIR_ROLES:
        errors.setdefault("chair", []).append(
            f"{chair.display_name} cannot chair: choose an IRO who is in post."
        )
    if taker is not None and (not taker.is_active or taker.role not in MINUTE_TAKER_ROLES):
        errors.setdefault("minute_taker", []).append(
            f"{taker.display_name} cannot take minutes: choose someone from business support, "
            "or no minute taker."
        )
    if taker is not None and chair is not None and taker.pk == chair.pk:
        errors.setdefault("minute_taker", []).append("The chair cannot also take the minutes.")


def _check_place_and_children(request: BookingRequest, errors: dict) -> None:
    if request.venue is None and not request.is_virtual:
        errors.setdefault("venue", []).append("Choose a venue, or say it is held online.")
    if request.venue is not None and not request.venue.is_available:
        errors.setdefault("venue", []).append(f"{request.venue.name} is not available for booking.")
    if request.is_virtual and not request.meeting_link and request.venue is None:
        errors.setdefault("meeting_link", []).append("Enter the link people use to join online.")
    if not request.children:
        errors.setdefault("children", []).append("Choose at least one child to consider.")
    outsiders = [c for c in request.children if c.household_id != request.household.pk]
    if outsiders:
        errors.setdefault("children", []).append(
            f"{outsiders[0].full_name} is not a child of this household."
        )
    if any(not reason.strip() for reason in request.left_out.values()):
        errors.setdefault("left_out_reason", []).append(
            "Give the reason each child left out is not being considered."
        )


def _check_not_booked_already(request: BookingRequest, errors: dict) -> None:
    """A child with a conference of this kind booked already is not booked twice."""
    booked = (
        ConferenceChild.objects.filter(
            child__in=request.children,
            conference__status=Conference.Status.BOOKED,
            conference__kind=request.kind,
        )
        .select_related("child", "conference")
        .first()
    )
    if booked is not None:
        when = timezone.localtime(booked.conference.scheduled_for)
        errors.setdefault("children", []).append(
            f"{booked.child.full_name} already has a {booked.conference.get_kind_display().lower()} "
            f"conference booked on {when.day} {when:%B %Y}: rearrange that one instead."
        )


def booking_check(request: BookingRequest, *, now: datetime) -> BookingCheck:
    """Everything that refuses or warns about a booking, without saving anything: the check
    your answers page shows it, and conference_book runs it again under its locks."""
    errors: dict[str, list[str]] = {}
    held_on = local_date(request.starts_at)
    if request.starts_at <= now:
        errors.setdefault("starts_at", []).append("The date and time must be in the future.")
    _check_people(request, errors)
    _check_place_and_children(request, errors)
    _check_not_booked_already(request, errors)
    due_by = conference_due_by(
        kind=request.kind,
        children=request.children,
        replaces=request.replaces,
        transfer_in=request.transfer_in,
    )
    if due_by is not None and held_on > due_by and not request.delay_reason:
        errors.setdefault("delay_reason", []).append(
            f"It must be held by {due_by.day} {due_by:%B %Y}. Choose a later date only with a "
            "reason: give the reason it will be late."
        )
    dates = rules.booking_dates(
        starts_at=request.starts_at,
        held_on=held_on,
        booked_on=timezone.localdate(now),
        is_review=request.kind in REVIEW_KINDS,
        timescales=timescales(),
    )
    for clash in diary.clashes(
        starts_at=request.starts_at,
        ends_at=dates.ends_at,
        chair=request.chair,
        minute_taker=request.minute_taker,
        venue=request.venue,
    ):
        errors.setdefault(clash.field, []).append(clash.message)
    warnings = rules.booking_warnings(
        held_on=held_on, now=now, report_share_due=dates.report_share_due_by
    )
    return BookingCheck(errors=errors, warnings=warnings, due_by=due_by, dates=dates)


def _conference_from(request: BookingRequest, check: BookingCheck, *, by: User) -> Conference:
    dates = check.dates
    return Conference(
        kind=request.kind,
        household=request.household,
        scheduled_for=request.starts_at,
        ends_at=dates.ends_at,
        venue=request.venue,
        is_virtual=request.is_virtual,
        meeting_link=request.meeting_link,
        chair=request.chair,
        minute_taker=request.minute_taker,
        booked_by=by,
        due_by=check.due_by,
        delay_reason=request.delay_reason,
        delay_note=request.delay_note,
        invitations_due_by=dates.invitations_due_by,
        reports_requested_by=dates.reports_requested_by,
        reports_due_by=dates.reports_due_by,
        report_share_due_by=dates.report_share_due_by,
        rearranged_from=request.replaces,
    )


def _add_children(conference: Conference, request: BookingRequest, *, by: User) -> None:
    due = {}
    if request.kind in REVIEW_KINDS:
        due = dict(
            ChildProtectionPlan.objects.filter(
                child__in=request.children, end_date__isnull=True
            ).values_list("child_id", "next_review_due_by")
        )
    for child in request.children:
        save_with_history(
            ConferenceChild(conference=conference, child=child, review_due_on=due.get(child.pk)),
            by=by,
            reason="Child to be considered",
        )
    for child in request.household.children.filter(pk__in=list(request.left_out)):
        save_with_history(
            ExcludedChild(conference=conference, child=child, reason=request.left_out[child.pk]),
            by=by,
            reason="Child left out",
        )


@transaction.atomic
def conference_book(*, request: BookingRequest, by: User, now: datetime) -> Conference:
    """Book a conference. Refuses (ValidationError, nothing saved) what booking_check refuses;
    locks the diaries involved so two people cannot book the same chair or room at once."""
    diary.lock_diaries(people=[request.chair, request.minute_taker], venue=request.venue)
    check = booking_check(request, now=now)
    check.raise_if_refused()
    conference = _conference_from(request, check, by=by)
    save_with_history(conference, by=by, reason="Conference booked")
    _add_children(conference, request, by=by)
    if request.kind in INITIAL_KINDS:
        for enquiry in pending_enquiries(request.children):
            enquiry.initial_conference = conference
            save_with_history(enquiry, by=by, reason="Initial conference booked")
    if request.transfer_in is not None:
        request.transfer_in.conference = conference
        save_with_history(request.transfer_in, by=by, reason="Transfer-in conference booked")
    return conference


def _locked_booking(conference: Conference, *, doing: str) -> Conference:
    locked = Conference.objects.select_for_update().get(pk=conference.pk)
    if locked.status != Conference.Status.BOOKED:
        raise ValidationError(
            f"This conference is {locked.get_status_display().lower()}, so it cannot be {doing}."
        )
    return locked


def request_from(conference: Conference, **changes) -> BookingRequest:
    """A booking request that repeats an existing booking, with some of it changed."""
    considered = tuple(c.child for c in conference.child_outcomes.select_related("child"))
    left_out = {e.child_id: e.reason for e in conference.excluded_children.all()}
    request = BookingRequest(
        kind=conference.kind,
        household=conference.household,
        starts_at=conference.scheduled_for,
        children=considered,
        left_out=left_out,
        chair=conference.chair,
        venue=conference.venue,
        is_virtual=conference.is_virtual,
        meeting_link=conference.meeting_link,
        minute_taker=conference.minute_taker,
        delay_reason=conference.delay_reason,
        delay_note=conference.delay_note,
    )
    return replace(request, **changes)


def _notify_on_commit(*, old: Conference, new: Conference | None, by: User, now) -> None:
    """Tell the invitees once this commits, through the outbox: kept if Redis is down."""
    from ..tasks import tell_invitees_of_change  # the task module imports the services

    jobs.enqueue(tell_invitees_of_change, old.pk, new and new.pk, by.pk, now.isoformat())


@transaction.atomic
def conference_rearrange(
    *, conference: Conference, request: BookingRequest, reason: str, note: str, by: User, now
) -> Conference:
    """Move a booking to a new date, place or chair. The old booking is kept, marked rearranged
    with its reason (the report counts rearrangements by reason, §6.3.1); the new one carries
    the same statutory date. If the new date is after it, the rearrangement is the reason."""
    old = _locked_booking(conference, doing="rearranged")
    if reason not in Conference.AdjournmentReason.values:
        raise ValidationError({"reason": "Choose the reason the conference is being rearranged."})
    old.status = Conference.Status.REARRANGED
    old.adjournment_reason, old.adjournment_note = reason, note
    save_with_history(old, by=by, reason="Conference rearranged")
    if old.due_by is not None and local_date(request.starts_at) > old.due_by:
        request = replace(request, delay_reason=request.delay_reason or reason)
    else:
        request = replace(request, delay_reason="", delay_note="")
    check = _check_rearranged(request, old=old, now=now)
    new = _conference_from(request, check, by=by)
    new.rearranged_from = old
    new.due_by = old.due_by
    save_with_history(new, by=by, reason="Conference booked (rearranged)")
    _add_children(new, request, by=by)
    for enquiry in S47Enquiry.objects.filter(initial_conference=old):
        enquiry.initial_conference = new
        save_with_history(enquiry, by=by, reason="Initial conference rearranged")
    TransferIn.objects.filter(conference=old).update(conference=new)
    proposals.proposals_close(old=old, new=new, by=by)
    _notify_on_commit(old=old, new=new, by=by, now=now)
    return new


def _check_rearranged(request: BookingRequest, *, old: Conference, now) -> BookingCheck:
    diary.lock_diaries(people=[request.chair, request.minute_taker], venue=request.venue)
    check = booking_check(request, now=now)
    if old.due_by is not None:
        check.errors.pop("delay_reason", None)  # the rearrangement's reason is the delay's
        check.due_by = old.due_by
    check.raise_if_refused()
    return check


CANCELLATION_REASONS = dict(MEETING_CANCELLATION_REASONS)


@transaction.atomic
def conference_cancel(
    *, conference: Conference, reason: str, note: str, by: User, now
) -> Conference:
    """Cancel a booking, keeping it and its reason. An initial conference's enquiry and a
    transfer-in go back on the list to book (record the enquiry's new outcome if none is
    needed any more)."""
    locked = _locked_booking(conference, doing="cancelled")
    if reason not in CANCELLATION_REASONS:
        raise ValidationError({"reason": "Choose the reason the conference is being cancelled."})
    if reason == "other" and not note.strip():
        raise ValidationError({"note": "Say why the conference is being cancelled."})
    locked.status = Conference.Status.CANCELLED
    locked.cancellation_reason, locked.cancellation_note = reason, note
    save_with_history(locked, by=by, reason="Conference cancelled")
    for enquiry in S47Enquiry.objects.filter(initial_conference=locked):
        enquiry.initial_conference = None
        save_with_history(enquiry, by=by, reason="Initial conference cancelled")
    for transfer in TransferIn.objects.filter(conference=locked):
        transfer.conference = None
        save_with_history(transfer, by=by, reason="Transfer-in conference cancelled")
    proposals.proposals_close(old=locked, new=None, by=by)
    _notify_on_commit(old=locked, new=None, by=by, now=now)
    return locked
