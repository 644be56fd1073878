"""The chair's QA form, escalations, parent/carer feedback, the child's views and audits
(quality-assurance.md; §7.1 to §7.7)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from children.models import Child
from conferences.models import Conference
from iro_service.records import CaseRecord
from people.models import District


class YesNoNA(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Not applicable"


class YesPartlyNo(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


def _yes_no_na(label: str) -> models.CharField:
    return models.CharField(label, max_length=3, choices=YesNoNA.choices)


class QAForm(CaseRecord):
    """The chair's quality assurance form: one per conference (§7.2, quality-assurance.md)."""

    class ReportQuality(models.TextChoices):
        GOOD = "good", "Good"
        ADEQUATE = "adequate", "Adequate"
        INADEQUATE = "inadequate", "Inadequate"

    class Contribution(models.TextChoices):
        ACTIVE = "active", "Active"
        PASSIVE = "passive", "Passive"
        NONE = "none", "None"

    conference = models.OneToOneField(Conference, on_delete=models.PROTECT, related_name="qa_form")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_forms"
    )
    completed_at = models.DateTimeField()
    s47_completed_before_conference = _yes_no_na("S47 enquiry and assessment completed before")
    assessment_updated = _yes_no_na("Assessment updated since circumstances changed")
    held_within_timescale = _yes_no_na("Initial conference within 15 working days")
    report_quality = models.CharField(max_length=20, choices=ReportQuality.choices)
    report_analyses_impact = models.BooleanField("Report analyses the impact on the child")
    plan_outcome_focused = _yes_no_na("Plan is outcome-focused with realistic targets")
    report_shared_in_time = _yes_no_na("Report shared with the parent/carer in time")
    core_groups_monthly = _yes_no_na("Core groups held monthly")
    visits_within_timescale = _yes_no_na("Child protection visits within timescale")
    parents_attended = models.BooleanField("Parents or carers attended")
    parent_contribution = models.CharField(max_length=10, choices=Contribution.choices)
    plan_copy_given = _yes_no_na(
        "Copy of the plan given to the person with parental responsibility"
    )
    good_practice_observed = models.BooleanField(default=False)
    good_practice_note = models.TextField(blank=True)
    escalation_needed = models.BooleanField("Concerns need escalation", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "QA form"
        indexes = [models.Index(fields=["completed_at"])]

    def __str__(self) -> str:
        return f"QA form for {self.conference}"


class Escalation(CaseRecord):
    """A practice concern under the Problem Resolution Protocol (§7.1, §7.2, §10.2)."""

    class Level(models.IntegerChoices):
        SOCIAL_WORKER = 1, "Social worker"
        TEAM_MANAGER = 2, "Team manager"
        DISTRICT_MANAGER = 3, "District manager"
        HEAD_OF_SERVICE = 4, "Head of service"
        DIRECTOR = 5, "Director"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Theme(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment quality"
        PLAN_DRIFT = "plan_drift", "Plan not progressing"
        PLAN_QUALITY = "plan_quality", "Plan not outcome-focused"
        CORE_GROUPS = "core_groups", "Core groups not held"
        VISITS = "visits", "Visits not within timescale"
        REPORTS = "reports", "Reports late or not shared"
        LEGAL_PLANNING = "legal_planning", "Legal planning"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="escalations")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="escalations")
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    qa_form = models.ForeignKey(
        QAForm, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    raised_on = models.DateField()
    theme = models.CharField(max_length=30, choices=Theme.choices)
    concern = models.TextField()
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.SOCIAL_WORKER)
    level_reached_on = models.DateField()
    response_due_by = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on"]
        constraints = [
            models.CheckConstraint(
                name="resolved_escalation_has_outcome",
                condition=~Q(status="resolved") | (Q(resolved_on__isnull=False) & ~Q(outcome="")),
                violation_error_message="A resolved escalation needs its outcome and date.",
            ),
            models.CheckConstraint(
                name="escalation_resolved_after_raised",
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                violation_error_message="An escalation cannot be resolved before it was raised.",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation about {self.child} ({self.get_level_display()})"


class FeedbackQuestionnaire(CaseRecord):
    """A parent's or carer's answers after a conference (§7.3, §7.4)."""

    class Respondent(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        CARER = "carer", "Carer"
        OTHER = "other", "Other family member"

    class Source(models.TextChoices):
        ONLINE = "online", "Online link"
        PAPER = "paper", "Paper form typed in"

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="feedback_questionnaires"
    )
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    received_on = models.DateField(db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    met_chair_before = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    report_received_in_time = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    prepared_by_chair = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    chaired_clearly_and_respectfully = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    could_express_views = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    could_discuss_views = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    clear_what_must_change = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    complaints_process_explained = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    spoke_to_chair_after = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    stress_level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (not stressful) to 5 (very stressful).",
    )
    comments = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="feedback_stress_1_to_5",
                condition=Q(stress_level__gte=1) & Q(stress_level__lte=5),
                violation_error_message="Stress must be between 1 and 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback from {self.get_respondent_display().lower()} on {self.received_on}"


class ChildView(CaseRecord):
    """Views a child sends before a conference: words or a picture (§7.2)."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="child_views")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="views")
    received_on = models.DateField()
    words = models.TextField(blank=True)
    picture = models.FileField(upload_to="child-views/%Y/%m/", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="child_view_has_content",
                condition=~Q(words="") | ~Q(picture=""),
                violation_error_message="A child's views need words or a picture.",
            ),
        ]

    def __str__(self) -> str:
        return f"Views of {self.child} for {self.conference}"


class Audit(CaseRecord):
    """A themed case audit by the Senior IRO (§7.7.1)."""

    theme = models.CharField(max_length=200)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    findings = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.theme


class AuditCase(CaseRecord):
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="audit_cases")
    finding = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "child"],
                name="child_once_per_audit",
                violation_error_message="This child is already in this audit.",
            ),
        ]
