"""Celery tasks: thin doors onto the services (style.md rule 4), safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .services import reports


@shared_task(name="conferences.chase_missing_reports")
def chase_missing_reports() -> int:
    """Chase the reports not in by their due date (daily, from beat); answers how many."""
    return reports.reports_chase(now=timezone.now())
