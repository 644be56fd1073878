"""Information leaflets sent with invitations (§8.4): one for parents and carers, and one for
children of each age range. The Senior IRO uploads them; a newer upload replaces the one in
use, which is kept (with its file) and never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from iro_service.records import CaseRecord


def private_storage():
    """Leaflets are served only through a signed-in view, never from the public media folder
    (settings.PRIVATE_MEDIA_ROOT), like the children's pictures."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def leaflet_path(instance, filename: str) -> str:
    """Named by audience and upload time, never by the name the uploader's file had."""
    return f"leaflets/{instance.audience}/{instance.uploaded_at:%Y%m%d%H%M%S%f}.pdf"


class Leaflet(CaseRecord):
    class Audience(models.TextChoices):
        PARENTS = "parents", "Parents and carers"
        CHILD_UNDER_8 = "child_under_8", "Children under 8"
        CHILD_8_TO_12 = "child_8_to_12", "Children aged 8 to 12"
        CHILD_13_AND_OVER = "child_13_and_over", "Young people aged 13 and over"

    audience = models.CharField(max_length=20, choices=Audience.choices)
    file = models.FileField(upload_to=leaflet_path, storage=private_storage)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(help_text="In bytes.")
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="When a newer leaflet for the same readers replaced it."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["audience", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["audience"],
                condition=Q(replaced_at__isnull=True),
                name="one_leaflet_in_use_per_audience",
                violation_error_message="There is already a leaflet in use for these readers.",
            ),
        ]

    def __str__(self) -> str:
        return f"Leaflet for {self.get_audience_display().lower()}, {self.uploaded_at:%d %b %Y}"

    @property
    def attachment_name(self) -> str:
        return f"information-for-{self.audience.replace('_', '-')}.pdf"
