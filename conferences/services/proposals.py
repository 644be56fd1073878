"""A chair proposes a date for a conference they chair; business support rearrange to it, or
to another date, and the proposal closes with the booking it led to."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from iro_service.records import save_with_history
from people.models import Role, User

from ..models import Conference, DateProposal
from . import diary


@transaction.atomic
def date_propose(
    *, conference: Conference, by: User, starts_at: datetime, note: str, now: datetime
) -> DateProposal:
    """Refused, with nothing saved: a conference not booked, someone other than its chair (or
    the Senior IRO), a time in the past, or one the chair is already booked at."""
    if conference.status != Conference.Status.BOOKED:
        raise ValidationError("Only a booked conference can have another date proposed.")
    if by.role != Role.SENIOR_IRO and conference.chair_id != by.pk:
        raise ValidationError("Only the conference's chair or the Senior IRO can propose a date.")
    if starts_at <= now:
        raise ValidationError({"date": "The date and time must be in the future."})
    clashes = diary.clashes(
        starts_at=starts_at,
        ends_at=starts_at + diary.meeting_length(),
        chair=conference.chair,
        minute_taker=None,
        venue=None,
        exclude_conference=conference,
    )
    if clashes:
        raise ValidationError({"date": clashes[0].message})
    proposal = DateProposal(conference=conference, proposed_by=by, starts_at=starts_at, note=note)
    save_with_history(proposal, by=by, reason="Date proposed")
    return proposal


def proposals_close(*, old: Conference, new: Conference | None, by: User) -> None:
    """When a booking is rearranged or cancelled, its open proposals close: accepted if the
    new booking is at the proposed time."""
    for proposal in old.proposals.filter(outcome=DateProposal.Outcome.OPEN):
        accepted = new is not None and new.scheduled_for == proposal.starts_at
        proposal.outcome = (
            DateProposal.Outcome.ACCEPTED if accepted else DateProposal.Outcome.SUPERSEDED
        )
        save_with_history(proposal, by=by, reason="Conference rearranged or cancelled")
