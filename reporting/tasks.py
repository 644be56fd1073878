"""Celery tasks: thin doors onto the snapshot services (style.md rule 4). Both are safe to run
twice: a snapshot is claimed with a guarded update, and a refresh reuses a queued one."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="reporting.compute_snapshot")
def compute_snapshot(snapshot_id: int) -> str:
    """Compute and store one requested snapshot; answers its status."""
    return services.snapshot_compute(snapshot_id=snapshot_id)


@shared_task(name="reporting.refresh_current_year")
def refresh_current_year() -> list[int]:
    """Nightly (django-celery-beat, "nightly indicator refresh"): queue the current year's
    figures for the authority and each district; answers the snapshots' ids."""
    snapshots = services.snapshot_refresh_current_year(today=timezone.localdate())
    return [snapshot.pk for snapshot in snapshots]
