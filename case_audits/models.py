"""Themed case audits by the Senior IRO (§7.7.1, §9.2): the audit, and the cases fixed when it
started, each with its checklist answers and findings. (Not the `audit` app, which records who
viewed which child.)"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from children.models import Child
from iro_service.records import CaseRecord
from plans.models import ChildProtectionPlan


class Theme(models.TextChoices):
    REPEAT_PLANS = "repeat_plans", "Repeat plans within 12 months of the previous plan ending"
    OVER_TWO_YEARS = "over_two_years", "Plans lasting two years or more"
    NEGLECT = "neglect", "Plans with neglect as the latest category"
    CHOSEN = "chosen", "Children you choose"


class CaseAudit(CaseRecord):
    """One themed audit. Its cases are stored when it starts, so it never changes as the
    records it was drawn from change; once completed it is read only."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    name = models.CharField(max_length=150)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    list_taken_on = models.DateField("date the list was taken")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True
    )
    overall_findings = models.TextField(blank=True)
    actions = models.TextField("actions agreed", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The annual report lists the audits completed in its year (§7.7): an indexed date.
    completed_on = models.DateField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="case_audit_completed_has_date",
                condition=(Q(status="completed") & Q(completed_on__isnull=False))
                | (Q(status="in_progress") & Q(completed_on__isnull=True)),
                violation_error_message="A completed audit has a completion date, and only it.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class AuditCase(CaseRecord):
    """One child's case in an audit, with the plan it was chosen for (none for a child chosen
    by hand who has no plan). Answers: {question key: {"answer": yes/partly/no, "note": ...}}
    for the checklist in case_audits.questions."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField()
    answers = models.JSONField(default=dict, blank=True)
    findings = models.TextField(blank=True)
    # Stored by the service from the answers (style.md rule 2), so progress is a count.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "child"], name="one_case_per_child_per_audit")
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.audit}"
