"""Tasks queued by the service, kept until they are handed to the broker (jobs/outbox.py)."""

from django.db import models


class QueuedTask(models.Model):
    """One Celery task to send: written in the transaction that asked for it, marked sent in
    the transaction that handed it to the broker. Arguments are ids and dates, never names or
    other personal data; `last_error` holds only the kind of error."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Tries to hand it to the broker.")
    last_error = models.CharField(
        max_length=200, blank=True, help_text="The kind of error of the last failed try."
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="jobs_queuedtask_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "waiting"
        return f"{self.task_name} #{self.pk} ({state})"
