"""Celery tasks: thin doors onto the services (style.md rule 4), safe to run twice."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from people.models import User

from .models import Conference
from .services import invitations, portal, reports


@shared_task(name="conferences.chase_missing_reports")
def chase_missing_reports() -> int:
    """Chase the reports not in by their due date (daily, from beat); answers how many."""
    return reports.reports_chase(now=timezone.now())


@shared_task(name="conferences.tell_invitees_of_change")
def tell_invitees_of_change(old_id: int, new_id: int | None, by_id: int, now: str) -> int:
    """Tell those invited to a cancelled or rearranged booking (queued by the booking services
    through the outbox, jobs.enqueue). Safe to run twice: those told are marked told first.
    Answers how many were emailed."""
    old = Conference.objects.get(pk=old_id)
    new = None if new_id is None else Conference.objects.get(pk=new_id)
    sent = invitations.invitees_tell_of_change(
        old=old, new=new, by=User.objects.get(pk=by_id), now=datetime.fromisoformat(now)
    )
    return len(sent.emailed)


@shared_task(name="conferences.warn_of_late_sharing")
def warn_of_late_sharing() -> int:
    """Warn business support and the chair when the social worker's report will not reach the
    family in time (hourly, from beat); answers how many warnings were sent."""
    return portal.share_warnings_send(now=timezone.now())
