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
