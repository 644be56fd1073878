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
from iro_service.validators import validate_no_bidi_controls
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
    # Blank while the form is a draft; the service requires an answer to complete it.
    return models.CharField(label, max_length=3, choices=YesNoNA.choices, blank=True)


def private_storage():
    """Files about children that are never served from a public folder: child's views
    pictures are read only through access-checked views (settings.PRIVATE_MEDIA_ROOT)."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


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
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="qa_forms",
        help_text="The chair filling it in (a draft is theirs too).",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty while the form is a draft; the measures count completed forms only.",
    )
    prefilled = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the system worked out from the record when the form was started, "
        "so a chair's correction of it can be seen.",
    )
    s47_completed_before_conference = _yes_no_na("S47 enquiry and assessment completed before")
    assessment_updated = _yes_no_na("Assessment updated since circumstances changed")
    held_within_timescale = _yes_no_na("Initial conference within 15 working days")
    report_quality = models.CharField(max_length=20, choices=ReportQuality.choices, blank=True)
    report_analyses_impact = models.BooleanField(
        "Report analyses the impact on the child", null=True, blank=True
    )
    plan_outcome_focused = _yes_no_na("Plan is outcome-focused with realistic targets")
    report_shared_in_time = _yes_no_na("Report shared with the parent/carer in time")
    core_groups_monthly = _yes_no_na("Core groups held monthly")
    visits_within_timescale = _yes_no_na("Child protection visits within timescale")
    parents_attended = models.BooleanField("Parents or carers attended", null=True, blank=True)
    parent_contribution = models.CharField(max_length=10, choices=Contribution.choices, blank=True)
    plan_copy_given = _yes_no_na(
        "Copy of the plan given to the person with parental responsibility"
    )
    good_practice_observed = models.BooleanField(default=False)
    good_practice_note = models.TextField(blank=True)
    escalation_needed = models.BooleanField("Concerns need escalation", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "QA form"
        indexes = [
            models.Index(fields=["completed_at"]),
            # The few drafts among many completed forms: the chair's "forms I owe".
            models.Index(
                fields=["completed_by"],
                name="qa_form_drafts",
                condition=Q(completed_at__isnull=True),
            ),
        ]

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
    what_must_change = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.SOCIAL_WORKER)
    level_reached_on = models.DateField()
    response_due_by = models.DateField(db_index=True)
    protocol_due_by = models.DateField(
        null=True,
        blank=True,
        help_text="The whole protocol's deadline (ESCALATION_TOTAL_WORKING_DAYS from raising).",
    )
    # Whom it is addressed to at its current level: a user, or a contact outside the system.
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations_addressed",
    )
    addressed_to_name = models.CharField(
        validators=[validate_no_bidi_controls], max_length=150, blank=True
    )
    addressed_to_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
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


class EscalationResponse(CaseRecord):
    """What the person an escalation is addressed to answered, at a level."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="responses")
    level = models.PositiveSmallIntegerField(choices=Escalation.Level.choices)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responder_name = models.CharField(
        validators=[validate_no_bidi_controls], max_length=150, blank=True
    )
    responded_on = models.DateField()
    response = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["responded_on", "id"]

    def __str__(self) -> str:
        return f"Response at {self.get_level_display()} on {self.responded_on}"


class EscalationNotice(models.Model):
    """An escalation moved up a level when its deadline passed, and who was told. Unique per
    escalation and level, so the beat task never tells anyone twice for the same level."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="notices")
    level = models.PositiveSmallIntegerField(choices=Escalation.Level.choices)
    sent_at = models.DateTimeField()
    sent_to = models.JSONField(default=list, help_text="The addresses it went to.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "level"], name="escalation_notice_once_per_level"
            ),
        ]

    def __str__(self) -> str:
        return f"Moved to {self.get_level_display()} at {self.sent_at:%d %b %Y %H:%M}"


class OneTimeLink(models.Model):
    """A link sent to someone without an account: a parent or carer's feedback questionnaire,
    or a child's views before a conference. Only a hash of the token is stored; the short code
    is for a printed letter (typed at /respond/). Used once, then it answers "already used".
    An unused link may be cancelled (sent to the wrong address, a letter lost): it then answers
    "no longer valid", and a new one may be made for the same person."""

    class Purpose(models.TextChoices):
        FEEDBACK = "feedback", "Parent or carer feedback"
        CHILD_VIEWS = "child_views", "The child's views"

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="links")
    invitee = models.ForeignKey(
        "conferences.Invitee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code = models.CharField(
        max_length=12, unique=True, help_text="A short code for a printed letter."
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.CharField(max_length=10, blank=True, help_text="email or letter")
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When business support (or the chair, for a views link) cancelled it: it no "
        "longer works, and a new link may be made for the same person.",
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # One link in force per person and purpose; cancelled ones are kept beside it.
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "conference", "invitee"],
                condition=Q(invitee__isnull=False, cancelled_at__isnull=True),
                name="one_link_per_invitee_and_purpose",
            ),
            models.UniqueConstraint(
                fields=["purpose", "conference", "child"],
                condition=Q(child__isnull=False, cancelled_at__isnull=True),
                name="one_link_per_child_and_purpose",
            ),
            models.CheckConstraint(
                name="cancelled_link_was_not_used",
                condition=Q(cancelled_at__isnull=True) | Q(used_at__isnull=True),
                violation_error_message="A used link cannot be cancelled.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.conference}"


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
    link = models.OneToOneField(
        OneTimeLink, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    met_chair_before = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    report_received_in_time = models.CharField(max_length=6, choices=YesPartlyNo.choices)
    report_received_from_record = models.BooleanField(
        default=False,
        help_text="Not asked: taken from when the reports were shared with this person through "
        "the document portal.",
    )
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
    picture = models.FileField(upload_to="child-views/%Y/%m/", storage=private_storage, blank=True)
    picture_type = models.CharField(
        max_length=30,
        blank=True,
        help_text="The checked content type: image/png, image/jpeg or application/pdf.",
    )
    link = models.ForeignKey(
        OneTimeLink, null=True, blank=True, on_delete=models.PROTECT, related_name="child_views"
    )
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
