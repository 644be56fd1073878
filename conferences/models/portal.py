"""The document portal (§8.2, §9.4): the reports for a conference, sent in by the agencies
through a one-time upload link and shared with the family through a link of their own (or
printed for post). Reports are stored privately (settings.PRIVATE_MEDIA_ROOT), never in the
public media folder, and read only through access-checked, audited views."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from iro_service.records import CaseRecord

from .invitations import Invitee, ReportRequest
from .leaflets import private_storage
from .meetings import Conference


def report_path(instance, filename: str) -> str:
    """A random name under the month it came in: never the uploader's file name, which may
    carry the family's name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"conference-reports/{instance.received_at:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PortalLink(models.Model):
    """A one-time link for someone without an account: an agency's link to send its report
    (used once, and it works until the conference starts), or a family member's link to read
    the reports shared with them (read as often as they like until some days after the
    conference). Only the token's SHA-256 is stored. Business support may cancel a link that
    still works (sent to the wrong address) and send a new one."""

    class Purpose(models.TextChoices):
        UPLOAD = "upload", "Send a report"
        FAMILY = "family", "Read the reports"

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="portal_links"
    )
    invitee = models.ForeignKey(Invitee, on_delete=models.PROTECT, related_name="portal_links")
    report = models.ForeignKey(
        ReportRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upload_links",
        help_text="For an upload link: the report asked for.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(
        null=True, blank=True, help_text="For an upload link: when the report came through it."
    )
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "invitee"],
                condition=Q(cancelled_at__isnull=True),
                name="one_portal_link_in_force_per_invitee",
            ),
            models.CheckConstraint(
                name="portal_upload_link_names_its_report",
                condition=Q(purpose="family") | Q(report__isnull=False),
            ),
            models.CheckConstraint(
                name="cancelled_portal_link_was_not_used",
                condition=Q(cancelled_at__isnull=True) | Q(used_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.invitee}"


class ReportDocument(CaseRecord):
    """One report as it came in for a report request: a PDF or Word document, or the agency
    report form filled in online (§8.2). A later version is a new row; none is deleted."""

    class Form(models.TextChoices):
        FILE = "file", "Document"
        TEMPLATE = "template", "Agency report form"

    class Source(models.TextChoices):
        LINK = "link", "Through the upload link"
        STAFF = "staff", "Added by business support"

    report = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="documents")
    form = models.CharField(max_length=10, choices=Form.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    file = models.FileField(upload_to=report_path, storage=private_storage, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="In bytes.")
    what_we_know = models.TextField("what we know", blank=True)
    worries = models.TextField("what we are worried about", blank=True)
    working_well = models.TextField("what is working well", blank=True)
    recommendation = models.TextField("our recommendation", blank=True)
    received_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="report_document_has_content",
                condition=(Q(form="file") & ~Q(file=""))
                | (Q(form="template") & ~Q(what_we_know="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} from {self.report.author}"


class ReportShare(models.Model):
    """One report reaching one member of the family: through their link (the time the email
    went) or in the post (the time business support recorded it posted). Never changed."""

    class Method(models.TextChoices):
        EMAIL = "email", "Link by email"
        POST = "post", "Printed and posted"

    document = models.ForeignKey(ReportDocument, on_delete=models.PROTECT, related_name="shares")
    invitee = models.ForeignKey(Invitee, on_delete=models.PROTECT, related_name="report_shares")
    shared_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=Method.choices)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "invitee"], name="report_shared_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} shared with {self.invitee}"


class ShareWarning(models.Model):
    """The warning to business support and the chair that the social worker's report will not
    reach the family in time (24 hours before an initial conference, 48 before a review).
    One per conference and deadline, so the hourly task never repeats it."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="share_warnings"
    )
    due_by = models.DateTimeField()
    sent_at = models.DateTimeField()
    sent_to = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "due_by"], name="share_warning_once_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"Sharing warning for {self.conference}"
