"""The annual report: one per reporting year, its narrative sections, and the PDFs made of it.

A report is a draft until a directorate manager approves one of its PDF versions. Approval
freezes it: the services refuse any edit and any new version after that (services.py), and
the approved version is the one the authority publishes. History is kept of every change to
the report and its sections.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .sections import SECTION_CHOICES, year_label


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The reporting year it ends: 2012 for 1 April 2011 to 31 March 2012."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="one_annual_report_per_year",
                violation_error_message="There is already an annual report for this year.",
            ),
            models.CheckConstraint(
                name="annual_report_approval_complete",
                condition=(
                    Q(status="draft", approved_by__isnull=True, approved_at__isnull=True)
                    | Q(status="approved", approved_by__isnull=False, approved_at__isnull=False)
                ),
                violation_error_message="An approved report records who approved it and when.",
            ),
            models.CheckConstraint(
                name="annual_report_year_in_range",
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                violation_error_message="The year must be between 1990 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class ReportSection(models.Model):
    """A section's narrative: plain paragraphs, "## " headings and "- " bullets (narrative.py)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=30, choices=SECTION_CHOICES)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="one_section_of_each_kind_per_report",
                violation_error_message="The report already has this section.",
            ),
            models.UniqueConstraint(
                fields=["report", "order"], name="one_section_per_place_in_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.report})"


def version_upload_to(version: "ReportVersion", filename: str) -> str:
    return f"annual_reports/{version.report.year}/{filename}"


class ReportVersion(models.Model):
    """A PDF of the report, made by a Celery task, stored with the time of its data."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    STEPS = ["Computing the figures", "Rendering the report", "Writing the PDF"]

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    step = models.PositiveSmallIntegerField(default=0, help_text="Steps finished, of STEPS.")
    step_label = models.CharField(max_length=100, blank=True)
    data_as_of = models.DateTimeField(
        null=True, blank=True, help_text="When the figures were computed from the records."
    )
    figures = models.JSONField(
        null=True, blank=True, help_text="The measures the PDF was made from (compute_all)."
    )
    narrative = models.JSONField(
        null=True, blank=True, help_text="The sections' titles and text the PDF was made from."
    )
    pdf = models.FileField(upload_to=version_upload_to, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="Time taken to make the PDF.")
    error = models.TextField(blank=True)
    is_approved_version = models.BooleanField(default=False)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The draft version an approved version was made from.",
    )

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="one_version_number_per_report"
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(is_approved_version=True),
                name="one_approved_version_per_report",
                violation_error_message="The report already has an approved version.",
            ),
            models.CheckConstraint(
                name="report_version_done_has_pdf",
                condition=~Q(status="done") | (~Q(pdf="") & Q(page_count__gt=0)),
                violation_error_message="A finished version has its PDF and page count.",
            ),
            models.CheckConstraint(
                name="report_version_step_in_range",
                condition=Q(step__lte=3),
                violation_error_message="A version has three steps.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"

    @property
    def steps_total(self) -> int:
        return len(self.STEPS)

    @property
    def percent_done(self) -> int:
        """Steps finished as a percentage: 0 while queued, 100 once ready."""
        if self.status == self.Status.DONE:
            return 100
        return round(100 * min(self.step, self.steps_total) / self.steps_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        label = self.report.year_label.replace("/", "-")
        kind = "approved" if self.is_approved_version else f"draft-v{self.number}"
        return f"iro-annual-report-{label}-{kind}.pdf"
