"""A date a chair proposes for a conference they chair: business support, who book, decide
(issue 9, "Who may do what": IROs see their diary and may propose a date)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from iro_service.records import CaseRecord

from .meetings import Conference


class DateProposal(CaseRecord):
    class Outcome(models.TextChoices):
        OPEN = "open", "Waiting for business support"
        ACCEPTED = "accepted", "Rearranged to this date"
        SUPERSEDED = "superseded", "Rearranged to another date, or cancelled"

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("proposed date and time")
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["outcome", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%d %b %Y %H:%M} proposed for {self.conference}"
