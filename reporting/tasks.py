"""Celery tasks: thin doors onto the snapshot services (style.md rule 4). Each is safe to run
twice: a snapshot is claimed with a guarded update, and a refresh reuses a queued one."""

from celery import shared_task
from django.utils import timezone

from . import monthly_emails, services


@shared_task(name="reporting.compute_snapshot")
def compute_snapshot(snapshot_id: int) -> str:
    """Compute and store one requested snapshot; answers its status."""
    return services.snapshot_compute(snapshot_id=snapshot_id)


@shared_task(name="reporting.refresh_every_year")
def refresh_every_year() -> list[int]:
    """Nightly (django-celery-beat, "nightly indicator refresh"): queue the figures of every
    year with data for the authority and each district; answers the snapshots' ids."""
    snapshots = services.snapshot_refresh_nightly(today=timezone.localdate())
    return [snapshot.pk for snapshot in snapshots]


@shared_task(name="reporting.refresh_changed")
def refresh_changed() -> list[int]:
    """Every few minutes (beat, "refresh figures when records change"): queue the current and
    the previous year's figures where records changed since they were stored, once however
    many changed; answers the snapshots' ids."""
    snapshots = services.snapshot_refresh_changed(today=timezone.localdate())
    return [snapshot.pk for snapshot in snapshots]


@shared_task(name="reporting.send_monthly_lists_emails")
def send_monthly_lists_emails() -> dict | None:
    """On the first days of each month (beat, "monthly lists emails"), from the first working
    day: email each district manager, IRO and Senior IRO their lists' counts at the last month
    end, once each; answers what was done (None before the first working day)."""
    now = timezone.now()
    result = monthly_emails.monthly_lists_emails_send_if_due(today=timezone.localdate(now), now=now)
    return None if result is None else {**vars(result), "month_end": result.month_end.isoformat()}
