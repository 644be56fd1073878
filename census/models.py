"""What the census import remembers: which census last set a child's details, and each import."""

from django.conf import settings
from django.db import models

from children.models import Child
from people.models import District


class ChildCensusSource(models.Model):
    """The reference date of the newest census whose values a child's record holds.

    Importing an older census after a newer one adds what the older one knows (earlier plans,
    reviews, conferences) but does not overwrite the newer values (issue: "the newer file's
    values where they differ"), whatever order the files are imported in."""

    child = models.OneToOneField(
        Child, primary_key=True, on_delete=models.PROTECT, related_name="census_source"
    )
    reference_date = models.DateField()

    def __str__(self) -> str:
        return f"{self.child_id}: census of {self.reference_date}"


class CensusImport(models.Model):
    """One census file loaded (an audit trail). `summary`: what the import it was part of
    (with any files imported alongside it) created, updated and left unchanged."""

    file_name = models.CharField(max_length=200)
    collection_year = models.PositiveSmallIntegerField()
    reference_date = models.DateField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.collection_year})"
