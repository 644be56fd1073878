"""Store conferences' due dates again after a timescale setting changed (recompute_deadlines)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iro_service.records import save_with_history

from .. import rules
from ..models import Conference, TransferIn
from .booking import conference_due_by

BOOKING_FIELDS = [
    "ends_at",
    "invitations_due_by",
    "reports_requested_by",
    "reports_due_by",
    "report_share_due_by",
]


def _store(record, values: dict) -> bool:
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(record, name, value)
    save_with_history(
        record,
        by=None,
        reason="Due dates recomputed after a timescale change",
        update_fields=list(changed),
        clean=False,  # dates the rules just computed; nothing else changes
    )
    return True


def _booked(conference: Conference, timescales) -> dict:
    dates = rules.booking_dates(
        starts_at=conference.scheduled_for,
        held_on=conference.date,
        booked_on=timezone.localdate(conference.created_at),
        is_review=conference.is_review,
        timescales=timescales,
    )
    values = {name: getattr(dates, name) for name in BOOKING_FIELDS}
    if conference.is_review and conference.rearranged_from_id is None:
        # Run after the plans' own recompute: a review is due when its children's plans say.
        children = [row.child for row in conference.child_outcomes.select_related("child")]
        values["due_by"] = conference_due_by(kind=conference.kind, children=children)
    return values


@transaction.atomic
def conferences_recompute_deadlines(*, now) -> int:
    """Booked conferences still to come: the dates their paperwork is due. Held ones: decision
    sheet and minutes. Adjourned ones: reconvene-by. Transfers in: the conference target.
    Returns how many records changed; each change keeps its history."""
    timescales = settings.IRO_TIMESCALES
    changed = 0
    booked = Conference.objects.filter(status=Conference.Status.BOOKED, scheduled_for__gt=now)
    for conference in booked.iterator():
        changed += _store(conference, _booked(conference, timescales))
    held = Conference.objects.filter(
        status=Conference.Status.HELD, decision_sheet_due_by__isnull=False
    )
    for conference in held.iterator():
        sheet, minutes = rules.paperwork_due(held_on=conference.date, timescales=timescales)
        changed += _store(conference, {"decision_sheet_due_by": sheet, "minutes_due_by": minutes})
    adjourned = Conference.objects.filter(status=Conference.Status.ADJOURNED)
    for conference in adjourned.iterator():
        reconvene = rules.adjourned_review_reconvene_by(
            adjourned_on=conference.date, days=timescales["ADJOURNED_REVIEW_DAYS"]
        )
        changed += _store(conference, {"reconvene_by": reconvene})
    for transfer in TransferIn.objects.filter(conference__isnull=True).iterator():
        due = rules.transfer_in_due_by(
            notified_on=transfer.notified_on, working_days=timescales["TRANSFER_IN_WORKING_DAYS"]
        )
        changed += _store(transfer, {"conference_due_by": due})
    return changed
