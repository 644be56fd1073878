"""Who is invited to a conference, the reports asked of them, and the chasers sent
(workflows.md, "Invitations and reports")."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from children.models import Child
from iro_service.records import CaseRecord
from iro_service.validators import validate_no_bidi_controls

from .meetings import Attendance, Conference


class Invitee(CaseRecord):
    """A person invited to a conference: a parent or carer, the child, the social worker and
    team manager, or someone from another agency. Not necessarily a user of the system."""

    class Method(models.TextChoices):
        EMAIL = "email", "Email with a calendar file"
        LETTER = "letter", "Printed letter"

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="invitees")
    name = models.CharField(validators=[validate_no_bidi_controls], max_length=150)
    agency = models.CharField(max_length=30, choices=Attendance.Agency.choices)
    role = models.CharField(max_length=100, help_text="For example: mother, social worker, GP.")
    email = models.EmailField(blank=True)
    postal_address = models.TextField(blank=True)
    child = models.ForeignKey(
        Child,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When the invitee is the child the conference is about.",
    )
    manager_name = models.CharField(
        validators=[validate_no_bidi_controls],
        max_length=150,
        blank=True,
        help_text="Told as well when a report asked of them is late.",
    )
    manager_email = models.EmailField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.CharField(max_length=10, choices=Method.choices, blank=True)
    told_of_change_at = models.DateTimeField(
        null=True, blank=True, help_text="When they were last told it was rearranged or cancelled."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.CheckConstraint(
                name="invitee_can_be_reached",
                condition=~Q(email="") | ~Q(postal_address=""),
                violation_error_message="Give an email address or a postal address.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def is_parent_or_carer(self) -> bool:
        return self.agency == Attendance.Agency.FAMILY

    @property
    def method(self) -> str:
        """How they are reached: email when there is an address, else a letter."""
        return self.Method.EMAIL if self.email else self.Method.LETTER


class ReportRequest(CaseRecord):
    """A report asked of an invitee for a conference, and when it came in and was shared."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="report_requests"
    )
    author = models.ForeignKey(Invitee, on_delete=models.PROTECT, related_name="report_requests")
    requested_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    shared_with_parents_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "author"],
                name="one_report_request_per_author",
                violation_error_message="A report has already been asked of this person.",
            ),
        ]

    def __str__(self) -> str:
        return f"Report from {self.author} for {self.conference}"


class ReportChaser(models.Model):
    """One chaser sent for a missing report. Unique per report and due date, so the beat task
    can run any number of times and a report is never chased twice for the same date."""

    report = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="chasers")
    due_by = models.DateField()
    sent_at = models.DateTimeField()
    sent_to = models.JSONField(default=list, help_text="The addresses it went to.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "due_by"], name="report_chased_once_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"Chaser for {self.report}, due {self.due_by:%d %b %Y}"
