"""Celery tasks: thin doors onto the services (style.md rule 4), safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .services import escalations


@shared_task(name="quality_assurance.escalations_move_up_overdue")
def escalations_move_up_overdue() -> int:
    """Move unanswered escalations past their deadline up a level (daily, from beat), telling
    the next person and the chair once per level; answers how many."""
    now = timezone.now()
    return escalations.escalations_move_up_overdue(now=now, today=timezone.localdate(now))
