"""The audit record: one row per look at, search for or export of children's records, and per
sign-in outcome. Rows are only ever added: Django refuses to change or delete one (here), and
on PostgreSQL so does the database (migration 0002's trigger), whoever asks."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class AuditRecordIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit event."""


REFUSAL = "The audit record is append-only: events are never changed or deleted."


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102 - refusing is the point
        raise AuditRecordIsAppendOnly(REFUSAL)

    def delete(self):  # noqa: D102
        raise AuditRecordIsAppendOnly(REFUSAL)


class AccessEvent(models.Model):
    class Kind(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        SEARCHED = "searched", "Searched"
        EXPORTED = "exported", "Exported"
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        MFA_FAILED = "mfa_failed", "Second factor refused"
        SIGNED_OUT = "signed_out", "Signed out"

    at = models.DateTimeField("when", db_default=Now(), editable=False)
    # PROTECT: the record outlives nobody it names (accounts are deactivated, never deleted,
    # and children's records are never deleted either).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who; empty for a failed sign-in by an unknown username.",
    )
    username = models.CharField(
        max_length=150, blank=True, help_text="The username typed, for sign-in events."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    child = models.ForeignKey(
        "children.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(
        max_length=100, blank=True, help_text='The page or export, e.g. "children:detail".'
    )
    # Search filters by kind ("nhs_number", "name"), counts and export parameters: never the
    # value searched for, never a password.
    detail = models.JSONField(default=dict, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["child", "-at"], name="audit_event_child_at"),
            models.Index(fields=["user", "-at"], name="audit_event_user_at"),
            models.Index(fields=["-at"], name="audit_event_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditRecordIsAppendOnly(REFUSAL)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordIsAppendOnly(REFUSAL)
