"""What every case record shares: it keeps its history and is never hard-deleted.

A child's record is evidence. A mistake is corrected by a new version (kept by
django-simple-history), never by removing the row, so `delete()` refuses on the model and on
its querysets. The database's own foreign keys use PROTECT for the same reason.
"""

from django.db import models


class HardDeleteRefused(Exception):
    """Raised when code tries to delete a case record."""


class CaseRecordQuerySet(models.QuerySet):
    def delete(self):  # noqa: D102 - refusing is the point
        raise HardDeleteRefused(
            f"{self.model._meta.verbose_name_plural} are case records and are never deleted."
        )


class CaseRecord(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused(f"{self._meta.verbose_name} is a case record and is never deleted.")


def save_with_history(record, *, by, reason: str, update_fields=None, clean: bool = True):
    """Validate and save a record the way every service does: its history row (django-simple-
    history) names who made the change and why. `clean=False` skips full_clean() for a save of
    fields the service has just checked itself; `update_fields` saves only those (with
    `updated_at`, which auto_now would otherwise not write). Returns the record.

    The reason is set on every save, even an empty one: simple_history reads whatever reason
    the instance still carries, so a second save would otherwise repeat the first one's."""
    record._history_user = by
    record._change_reason = reason or None
    if clean:
        record.full_clean()
    if update_fields is not None and hasattr(record, "updated_at"):
        update_fields = {*update_fields, "updated_at"}
    record.save(update_fields=update_fields)
    return record
