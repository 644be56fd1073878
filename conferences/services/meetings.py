"""Strategy meetings, section 47 enquiries and transfers in (workflows.md, "Who does what").

A strategy meeting of any of the eight kinds is booked like a conference: chair, children,
date, venue or online, refused for the same double bookings. An enquiry's decision to convene
puts its child on the list to book, with the target stored from conferences.rules.
"""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from children.models import Child
from iro_service.records import save_with_history
from people.access import CHAIR_ROLES
from people.models import District, User

from .. import rules
from ..models import S47Enquiry, StrategyMeeting, StrategyMeetingChild, TransferIn, Venue
from . import diary
from .booking import CANCELLATION_REASONS, MINUTE_TAKER_ROLES


def _meeting_errors(*, kind, starts_at, now, chair, minute_taker, venue, is_virtual, children):
    errors: dict[str, list[str]] = {}
    if kind not in StrategyMeeting.Kind.values:
        errors["kind"] = ["Choose the kind of strategy meeting."]
    if starts_at <= now:
        errors["starts_at"] = ["The date and time must be in the future."]
    if chair is None or not chair.is_active or chair.role not in CHAIR_ROLES:
        errors["chair"] = ["Choose an IRO who is in post to chair the meeting."]
    if minute_taker is not None and (
        not minute_taker.is_active or minute_taker.role not in MINUTE_TAKER_ROLES
    ):
        errors["minute_taker"] = ["Choose someone from business support, or no minute taker."]
    if venue is None and not is_virtual:
        errors["venue"] = ["Choose a venue, or say it is held online."]
    if not children:
        errors["children"] = ["Choose at least one child."]
    return errors


@transaction.atomic
def strategy_meeting_book(
    *,
    by: User,
    kind: str,
    district: District,
    starts_at: datetime,
    children: list[Child],
    chair: User | None,
    now: datetime,
    venue: Venue | None = None,
    is_virtual: bool = False,
    meeting_link: str = "",
    minute_taker: User | None = None,
) -> StrategyMeeting:
    diary.lock_diaries(people=[chair, minute_taker], venue=venue)
    errors = _meeting_errors(
        kind=kind,
        starts_at=starts_at,
        now=now,
        chair=chair,
        minute_taker=minute_taker,
        venue=venue,
        is_virtual=is_virtual,
        children=children,
    )
    ends_at = starts_at + diary.meeting_length()
    for clash in diary.clashes(
        starts_at=starts_at, ends_at=ends_at, chair=chair, minute_taker=minute_taker, venue=venue
    ):
        errors.setdefault(clash.field, []).append(clash.message)
    if errors:
        raise ValidationError(errors)
    meeting = StrategyMeeting(
        kind=kind,
        district=district,
        scheduled_for=starts_at,
        ends_at=ends_at,
        venue=venue,
        is_virtual=is_virtual,
        meeting_link=meeting_link,
        chair=chair,
        minute_taker=minute_taker,
        booked_by=by,
    )
    save_with_history(meeting, by=by, reason="Strategy meeting booked")
    for child in children:
        save_with_history(
            StrategyMeetingChild(meeting=meeting, child=child), by=by, reason="Child added"
        )
    return meeting


@transaction.atomic
def strategy_meeting_cancel(
    *, meeting: StrategyMeeting, reason: str, note: str, by: User
) -> StrategyMeeting:
    locked = StrategyMeeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != StrategyMeeting.Status.BOOKED:
        raise ValidationError("This strategy meeting is not booked, so it cannot be cancelled.")
    if reason not in CANCELLATION_REASONS:
        raise ValidationError({"reason": "Choose the reason the meeting is being cancelled."})
    if reason == "other" and not note.strip():
        raise ValidationError({"note": "Say why the meeting is being cancelled."})
    locked.status = StrategyMeeting.Status.CANCELLED
    locked.cancellation_reason, locked.cancellation_note = reason, note
    save_with_history(locked, by=by, reason="Strategy meeting cancelled")
    return locked


@transaction.atomic
def s47_enquiry_record(
    *,
    by: User,
    child: Child,
    strategy_discussion_on: date,
    started_on: date,
    today: date,
    strategy_meeting: StrategyMeeting | None = None,
) -> S47Enquiry:
    """Record a section 47 enquiry; its initial conference target is stored from the (last)
    strategy discussion, 15 working days on (Working Together; CIN census InitialCPCtarget)."""
    errors = {}
    if strategy_discussion_on > today:
        errors["strategy_discussion_on"] = ["The strategy discussion cannot be in the future."]
    if started_on < strategy_discussion_on:
        errors["started_on"] = ["The enquiry cannot start before its strategy discussion."]
    elif started_on > today:
        errors["started_on"] = ["The enquiry cannot start in the future."]
    if errors:
        raise ValidationError(errors)
    enquiry = S47Enquiry(
        child=child,
        strategy_meeting=strategy_meeting,
        strategy_discussion_on=strategy_discussion_on,
        started_on=started_on,
        initial_conference_due_by=rules.initial_conference_due_by(
            strategy_discussion_on=strategy_discussion_on,
            working_days=settings.IRO_TIMESCALES["INITIAL_CONFERENCE_WORKING_DAYS"],
        ),
    )
    save_with_history(enquiry, by=by, reason="Section 47 enquiry recorded")
    return enquiry


@transaction.atomic
def s47_enquiry_decide(
    *, enquiry: S47Enquiry, outcome: str, decided_on: date, today: date, by: User
) -> S47Enquiry:
    """Record the enquiry's outcome. "Conference" puts the child on the list to book; "harm
    found, no conference" goes on the Senior IRO's list for an IRO to quality-assure (§4.1)."""
    locked = S47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if outcome not in S47Enquiry.Outcome.values or outcome == S47Enquiry.Outcome.ONGOING:
        raise ValidationError({"outcome": "Choose the outcome of the enquiry."})
    if locked.outcome != S47Enquiry.Outcome.ONGOING:
        raise ValidationError("The outcome of this enquiry has already been recorded.")
    if decided_on < locked.started_on or decided_on > today:
        raise ValidationError(
            {"decided_on": "The decision must be between the enquiry's start and today."}
        )
    locked.outcome, locked.decided_on = outcome, decided_on
    save_with_history(locked, by=by, reason="Outcome of the enquiry recorded")
    return locked


@transaction.atomic
def transfer_in_record(
    *, by: User, child: Child, from_authority: str, notified_on: date, today: date
) -> TransferIn:
    """A child on another authority's plan moved here: a transfer-in conference is due within
    15 working days of the notification."""
    if notified_on > today:
        raise ValidationError({"notified_on": "The notification cannot be in the future."})
    if not from_authority.strip():
        raise ValidationError({"from_authority": "Enter the authority the child moved from."})
    transfer = TransferIn(
        child=child,
        from_authority=from_authority.strip(),
        notified_on=notified_on,
        conference_due_by=rules.transfer_in_due_by(
            notified_on=notified_on,
            working_days=settings.IRO_TIMESCALES["TRANSFER_IN_WORKING_DAYS"],
        ),
    )
    save_with_history(transfer, by=by, reason="Transfer in recorded")
    return transfer
