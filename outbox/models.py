"""Messages the outbox backend kept, each as it would have been received."""

from django.db import models


class OutboxMessage(models.Model):
    """One email the service sent while the outbox backend was in use."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.CharField(max_length=998)
    body = models.TextField(blank=True, help_text="The plain text part.")
    html_body = models.TextField(blank=True, help_text="The HTML part, if there was one.")
    headers = models.JSONField(default=dict, help_text="The message's headers, as sent.")
    raw = models.BinaryField(help_text="The whole message as it would go over SMTP (RFC 5322).")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipient_count(self) -> int:
        return len(self.to) + len(self.cc) + len(self.bcc)


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
