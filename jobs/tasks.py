"""Celery task: the beat-driven sender of the outbox (jobs/outbox.py)."""

from celery import shared_task

from . import outbox


@shared_task(name="jobs.send_queued_tasks", ignore_result=True)
def send_queued_tasks() -> int:
    """Every minute (django-celery-beat, "send queued tasks"): hand the tasks queued while the
    broker was down to it; answers how many were sent."""
    return outbox.send_pending()
