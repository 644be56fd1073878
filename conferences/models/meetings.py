"""Conferences, strategy meetings and section 47 enquiries (domain.md; §3, §4.1, §6.3.1, §7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from children.models import Child, Household
from iro_service.records import CaseRecord
from iro_service.validators import validate_no_bidi_controls
from people.models import District

# Why a booking was called off altogether (a rearrangement gives an adjournment reason).
CANCELLATION_REASONS = [
    ("no_longer_needed", "No longer needed (for example, the plan ended)"),
    ("moved_away", "The family moved to another authority"),
    ("booked_in_error", "Booked in error"),
    ("other", "Other"),
]


def local_date(moment):
    """The date in the service's time zone (a 09:30 conference on a BST day is that day)."""
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


class ScheduledRecord(CaseRecord):
    """A meeting with a date and time, and its local date stored for the measures to filter on.
    (bulk_create skips save(): code that bulk-creates sets `date` itself.)

    `ends_at` is stored when a meeting is booked (its start plus the meeting length setting) so
    double bookings are found by one indexed range query; records imported from the census or
    made by the generators for the past may leave it empty."""

    ends_at = models.DateTimeField(null=True, blank=True)
    is_virtual = models.BooleanField(
        "held online", default=False, help_text="A link instead of a room (or as well as one)."
    )
    meeting_link = models.URLField(blank=True)
    cancellation_reason = models.CharField(max_length=30, choices=CANCELLATION_REASONS, blank=True)
    cancellation_note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.date = local_date(self.scheduled_for)
        if kwargs.get("update_fields") and "scheduled_for" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "date"}
        super().save(*args, **kwargs)


class Category(models.TextChoices):
    """Category of abuse, CIN census codes (CPP InitialCategoryOfAbuse / LatestCategoryOfAbuse)."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple"


class PlanEndReason(models.TextChoices):
    """Why a child protection plan ended (CIN census CPP end reasons, in plain words). Here so
    a conference's decision to cease a plan and the plan itself share one list."""

    NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at risk of significant harm"
    LOOKED_AFTER = "looked_after", "Became looked after"
    MOVED_AWAY = "moved_away", "Moved to another local authority"
    REACHED_18 = "reached_18", "Reached 18"
    DIED = "died", "Died"
    OTHER = "other", "Other"


def minutes_upload_path(instance, filename: str) -> str:
    """Minutes are stored under the conference's number, never the family's name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"minutes/{instance.conference_id}/{instance.uploaded_at:%Y%m%d%H%M%S}.{suffix}"


class Venue(models.Model):
    """Where conferences and meetings are held (§9.5)."""

    class Kind(models.TextChoices):
        DISTRICT_OFFICE = "district_office", "District office"
        CHILDRENS_CENTRE = "childrens_centre", "Children's centre"
        CAPSS_CENTRE = "capss_centre", "CaPSS centre"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="venues")
    address = models.TextField(blank=True)
    rooms = models.PositiveSmallIntegerField(
        default=1, help_text="How many meetings it can hold at the same time."
    )
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many people its largest meeting room seats."
    )
    has_family_room = models.BooleanField("family can withdraw to a separate room", default=False)
    is_available = models.BooleanField("available for booking", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conference(ScheduledRecord):
    """A child protection conference about a household's children (§6, §7)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial"
        PRE_BIRTH_INITIAL = "pre_birth_initial", "Pre-birth initial"
        REVIEW = "review", "Review"
        TRANSFER_IN = "transfer_in", "Transfer in"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HELD = "held", "Held"
        ADJOURNED = "adjourned", "Adjourned"
        REARRANGED = "rearranged", "Rearranged"
        CANCELLED = "cancelled", "Cancelled"

    class AdjournmentReason(models.TextChoices):
        FAMILY_ILLNESS = "family_illness", "Illness in the family"
        PARENT_DID_NOT_ATTEND = "parent_did_not_attend", "Parent did not attend"
        PROFESSIONAL_UNAVAILABLE = "professional_unavailable", "Key professional unavailable"
        REPORT_NOT_AVAILABLE = "report_not_available", "Report not available"
        NOT_QUORATE = "not_quorate", "Not quorate"
        INTERPRETER = "interpreter", "Interpreter not available"
        CHAIR_UNAVAILABLE = "chair_unavailable", "Chair unavailable"
        VENUE_UNAVAILABLE = "venue_unavailable", "Venue unavailable"
        LEGAL_ADVICE = "legal_advice", "Awaiting legal advice"
        ADMIN_ERROR = "admin_error", "Booked late in error"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="conferences")
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The household's district, stored so the measures count a district's "
        "conferences from an index (conferences/districts.py keeps it the household's).",
    )
    scheduled_for = models.DateTimeField()
    date = models.DateField(
        db_index=True,
        editable=False,
        help_text="The local date of scheduled_for, stored so measures filter on an index.",
    )
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_conferences",
    )
    minute_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minuted_conferences",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adjournment_reason = models.CharField(
        max_length=30, choices=AdjournmentReason.choices, blank=True
    )
    adjournment_note = models.TextField(blank=True)
    delay_reason = models.CharField(
        "reason a review was held late",
        max_length=30,
        choices=AdjournmentReason.choices,
        blank=True,
        help_text="Why a review is held after its due date (§6.3.1), when it is.",
    )
    due_by = models.DateField(
        "to be held by",
        null=True,
        blank=True,
        db_index=True,
        help_text="The statutory date: the initial conference target, the review due date, "
        "the date an adjourned conference must reconvene by, or a transfer-in's target.",
    )
    delay_note = models.TextField(
        blank=True, help_text="Why it is booked after the date it must be held by."
    )
    reconvene_by = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="For an adjourned conference: the date it must be reconvened by (§6.3.1).",
    )
    invitations_due_by = models.DateField(null=True, blank=True, db_index=True)
    reports_requested_by = models.DateField(null=True, blank=True, db_index=True)
    reports_due_by = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Reports not in by this date are chased (the chaser setting).",
    )
    # The booking this one replaces: one rearranged, or one adjourned and now reconvened.
    rearranged_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rearranged_as"
    )
    quorate = models.BooleanField(
        null=True, blank=True, help_text="At least three agencies took part."
    )
    # Timestamps of the paperwork, each with its stored deadline (style.md rule 2).
    report_share_due_by = models.DateTimeField(null=True, blank=True, db_index=True)
    report_shared_at = models.DateTimeField(null=True, blank=True)
    decision_sheet_due_by = models.DateField(null=True, blank=True, db_index=True)
    decision_sheet_distributed_at = models.DateTimeField(null=True, blank=True)
    minutes_due_by = models.DateField(null=True, blank=True, db_index=True)
    minutes_signed_off_at = models.DateTimeField(null=True, blank=True)
    minutes_distributed_at = models.DateTimeField(null=True, blank=True)
    # Holding (workflows.md, "Holding").
    version = models.PositiveIntegerField(
        default=0,
        help_text="Raised by every save of the holding record, so two people editing the same "
        "conference cannot silently overwrite each other.",
    )
    proceeded_inquorate = models.BooleanField(
        "went ahead without quorum, with an interim plan", default=False
    )
    inquorate_again = models.BooleanField(
        "second inquorate conference in a row",
        default=False,
        help_text="Not quorate, and the household's conference before it was not quorate either.",
    )
    held_recorded_at = models.DateTimeField(null=True, blank=True)
    held_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # After (workflows.md, "After"): decision sheet and minutes, each signed off then sent.
    decision_sheet_signed_off_at = models.DateTimeField(null=True, blank=True)
    decision_sheet_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_sheet_distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_text = models.TextField("draft minutes", blank=True)
    minutes_drafted_at = models.DateTimeField(null=True, blank=True)
    minutes_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    children = models.ManyToManyField(Child, through="ConferenceChild", related_name="conferences")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_for"]
        indexes = [
            # Covering (PostgreSQL): the measures count a period's held conferences by kind,
            # district (household), chair and decision sheet from this index alone. A year's
            # conferences are spread over every page of the table, so reading their rows
            # reads the whole table (conferences held at scale 8.4: 158 ms to 28 ms).
            models.Index(
                fields=["status", "date"],
                include=[
                    "id",
                    "kind",
                    "household",
                    "district",
                    "chair",
                    "decision_sheet_distributed_at",
                    "decision_sheet_due_by",
                ],
                name="conference_held_facts",
            ),
            # Covering (PostgreSQL): the measures look up the conferences of a year's QA
            # forms and questionnaires (thousands among a million) by primary key for their
            # district, date or kind. Read from the rows, each lookup reads a page of the
            # table; from this index, the pages are few and stay cached (QA completion by
            # district at scale 8.4: 186 ms to 105 ms).
            models.Index(
                fields=["id"], include=["district", "date", "kind"], name="conference_lookup_facts"
            ),
            # The few held conferences whose paperwork is still to go out, among many sent.
            models.Index(
                fields=["decision_sheet_due_by"],
                name="decision_sheet_to_send",
                condition=Q(status="held", decision_sheet_distributed_at__isnull=True),
            ),
            models.Index(
                fields=["minutes_due_by"],
                name="minutes_to_send",
                condition=Q(status="held", minutes_distributed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="adjourned_conference_has_reason",
                condition=~Q(status__in=["adjourned", "rearranged"]) | ~Q(adjournment_reason=""),
                violation_error_message="Give the reason the conference was adjourned or rearranged.",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        conference = super().from_db(db, field_names, values)
        conference._loaded_household_id = conference.__dict__.get("household_id")
        conference._loaded_held = conference.held_facts()
        return conference

    def held_facts(self) -> tuple:
        """What the stored places at held conferences copy (conferences/held.py)."""
        loaded = self.__dict__
        return (loaded.get("status"), loaded.get("date"), loaded.get("chair_id"))

    def save(self, *args, **kwargs):
        # The household's district, looked up only when the household is new or another.
        if self.household_id is not None and (
            self.district_id is None
            or self.household_id != getattr(self, "_loaded_household_id", None)
        ):
            self.district_id = self.household.district_id
            if kwargs.get("update_fields"):
                kwargs["update_fields"] = {*kwargs["update_fields"], "district"}
        super().save(*args, **kwargs)
        self._loaded_household_id = self.household_id
        self._loaded_held = self.held_facts()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} conference, {self.scheduled_for:%d %b %Y}"

    @property
    def is_review(self) -> bool:
        return self.kind == self.Kind.REVIEW

    @property
    def is_open(self) -> bool:
        """Booked and not yet held, rearranged or cancelled."""
        return self.status == self.Status.BOOKED

    @property
    def is_initial(self) -> bool:
        return self.kind in {self.Kind.INITIAL, self.Kind.PRE_BIRTH_INITIAL, self.Kind.TRANSFER_IN}


class ConferenceChild(CaseRecord):
    """One child considered at a conference, with that child's own outcome (§5.4, §7.2)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not yet decided"
        PLAN_STARTED = "plan_started", "Child protection plan started"
        PLAN_CONTINUED = "plan_continued", "Child protection plan continued"
        PLAN_CEASED = "plan_ceased", "Child protection plan ceased"
        NO_PLAN = "no_plan", "No child protection plan"

    class Participation(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        ATTENDED = "attended", "Attended"
        ADVOCATE = "advocate", "Spoke through an advocate"
        LETTER_OR_TEXT = "letter_or_text", "Letter or text"
        PICTURE = "picture", "Picture"
        THROUGH_SOCIAL_WORKER = "through_social_worker", "Views given to the social worker"
        NONE = "none", "Did not participate"

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="child_outcomes"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conference_records")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    category = models.CharField(max_length=3, choices=Category.choices, blank=True)
    participation = models.CharField(max_length=30, choices=Participation.choices, blank=True)
    review_due_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="For a review: the date this child's review was due when it was booked.",
    )
    views = models.TextField(
        "the child's views", blank=True, help_text="What the child said or sent, in brief."
    )
    cease_reason = models.CharField(
        "why the plan ceased",
        max_length=30,
        choices=PlanEndReason.choices,
        blank=True,
        help_text="Required by the holding service; imported and generated records may leave it "
        "empty (the plan's end reason says it).",
    )
    decision_note = models.TextField("the chair's reasons", blank=True)
    # Stored from the rules when the decision is recorded, for the decision sheet.
    next_review_due_by = models.DateField(null=True, blank=True)
    first_core_group_due_by = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "child considered at a conference"
        indexes = [
            # The children who took part in a year's QA'd conferences, among the millions
            # considered (reporting/metrics/quality.py), from the index alone (PostgreSQL).
            models.Index(
                fields=["conference"],
                include=["child"],
                name="place_took_part",
                condition=~Q(participation__in=["", "none"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "child"],
                name="child_considered_once_per_conference",
                violation_error_message="This child is already considered at this conference.",
            ),
            models.CheckConstraint(
                name="plan_outcome_has_category",
                condition=~Q(outcome__in=["plan_started", "plan_continued"]) | ~Q(category=""),
                violation_error_message="Choose the category of abuse for a plan started or continued.",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        place = super().from_db(db, field_names, values)
        place._loaded_place = place.place()
        return place

    def place(self) -> tuple:
        """Who was considered, where: what the stored places at held conferences copy."""
        return (self.__dict__.get("child_id"), self.__dict__.get("conference_id"))

    def __str__(self) -> str:
        return f"{self.child} at {self.conference}"


class MinutesUpload(models.Model):
    """A draft of the minutes uploaded as a document. Never changed: a new draft is a new row,
    and the latest is the one signed off."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="minutes_uploads"
    )
    file = models.FileField(upload_to=minutes_upload_path)
    original_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at"]
        get_latest_by = "uploaded_at"

    def __str__(self) -> str:
        return f"Minutes uploaded {self.uploaded_at:%d %b %Y %H:%M}"


class SignsOfSafety(CaseRecord):
    """A Signs of Safety record of a conference, for authorities that use the model (a setting,
    IRO_SIGNS_OF_SAFETY, off by default)."""

    conference = models.OneToOneField(
        Conference, on_delete=models.PROTECT, related_name="signs_of_safety"
    )
    worries_harm = models.TextField("worries: harm", blank=True)
    complicating_factors = models.TextField("worries: complicating factors", blank=True)
    working_well = models.TextField("what is working well", blank=True)
    danger_statements = models.TextField(blank=True)
    safety_goals = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Signs of Safety record"

    def __str__(self) -> str:
        return f"Signs of Safety record for {self.conference}"


class SafetyScale(CaseRecord):
    """One participant's 0-10 safety scale (10: safe enough to close the plan)."""

    record = models.ForeignKey(SignsOfSafety, on_delete=models.PROTECT, related_name="scales")
    participant = models.CharField(max_length=150)
    score = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="safety_scale_0_to_10",
                condition=Q(score__gte=0, score__lte=10),
                violation_error_message="A safety scale is from 0 to 10.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.score}"


class ExcludedChild(CaseRecord):
    """A child of the household left out of a conference, and why (workflows.md, "Booking").
    Kept apart from ConferenceChild, which the measures count as children considered."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="excluded_children"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "child left out of a conference"
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "child"], name="child_left_out_once_per_conference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} left out of {self.conference}"


class TransferIn(CaseRecord):
    """Notice that a child on another authority's plan has moved here: a transfer-in
    conference is due within 15 working days of the notification (workflows.md, "Booking")."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="transfers_in")
    from_authority = models.CharField(max_length=120)
    notified_on = models.DateField()
    conference_due_by = models.DateField(db_index=True)
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_in"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "transfer in"
        verbose_name_plural = "transfers in"
        ordering = ["conference_due_by"]

    def __str__(self) -> str:
        return f"Transfer in from {self.from_authority}, notified {self.notified_on:%d %b %Y}"


class Attendance(CaseRecord):
    """Who took part in a conference, by agency (quorum needs three agencies)."""

    class Agency(models.TextChoices):
        SOCIAL_CARE = "social_care", "Children's social care"
        POLICE = "police", "Police"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        SCHOOL_NURSE = "school_nurse", "School nurse"
        GP = "gp", "GP"
        MIDWIFE = "midwife", "Midwife"
        SCHOOL = "school", "School or nursery"
        PROBATION = "probation", "Probation"
        HOUSING = "housing", "Housing"
        MENTAL_HEALTH = "mental_health", "Mental health"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
        FAMILY = "family", "Parent or carer"
        ADVOCATE = "advocate", "Advocate"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        ATTENDED = "attended", "In person"
        REMOTE = "remote", "Remotely"
        APOLOGIES = "apologies", "Sent apologies"
        REPORT_ONLY = "report_only", "Sent a report only"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    PRESENT = (Status.ATTENDED, Status.REMOTE)

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="attendance")
    invitee = models.ForeignKey(
        "Invitee", null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    name = models.CharField(validators=[validate_no_bidi_controls], max_length=150, blank=True)
    agency = models.CharField(max_length=30, choices=Agency.choices)
    role = models.CharField(max_length=100, help_text="For example: social worker, mother.")
    status = models.CharField(max_length=20, choices=Status.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "invitee"],
                name="invitee_on_register_once",
                violation_error_message="This invitee is already on the register.",
            ),
        ]

    @property
    def was_present(self) -> bool:
        return self.status in self.PRESENT

    def __str__(self) -> str:
        return f"{self.get_agency_display()} ({self.role}): {self.get_status_display()}"


class Dissent(CaseRecord):
    """An agency's disagreement with a child's decision, and why (Working Together)."""

    decision = models.ForeignKey(ConferenceChild, on_delete=models.PROTECT, related_name="dissents")
    agency = models.CharField(max_length=30, choices=Attendance.Agency.choices)
    name = models.CharField(
        "who disagreed", max_length=150, blank=True, validators=[validate_no_bidi_controls]
    )
    reason = models.TextField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dissent from a decision"

    def __str__(self) -> str:
        return f"Dissent ({self.get_agency_display()})"


class StrategyMeeting(ScheduledRecord):
    """A strategy meeting or discussion, of any of the kinds named in §3 and §4.1."""

    class Kind(models.TextChoices):
        CHILD_PROTECTION = "child_protection", "Child protection (section 47)"
        LOOKED_AFTER = "looked_after", "Child looked after"
        FABRICATED_ILLNESS = "fabricated_illness", "Fabricated or induced illness"
        SEXUAL_EXPLOITATION = "sexual_exploitation", "Child sexual exploitation"
        ALLEGATION = "allegation", "Allegation against a person working with children"
        MISSING_FROM_CARE = "missing_from_care", "Missing from care"
        HARMFUL_SEXUAL_BEHAVIOUR = "harmful_sexual_behaviour", "Sexually harmful behaviour"
        SELF_HARM = "self_harm", "Serious self-harm"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    scheduled_for = models.DateTimeField()
    date = models.DateField(
        db_index=True, editable=False, help_text="The local date of scheduled_for."
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_meetings"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_strategy_meetings",
    )
    minute_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decisions = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    held_recorded_at = models.DateTimeField(null=True, blank=True)
    held_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    children = models.ManyToManyField(
        Child, through="StrategyMeetingChild", related_name="strategy_meetings"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_for"]
        indexes = [
            # Covering (PostgreSQL): the measures count a period's held meetings by kind,
            # district and chair from this index alone, not from rows spread over the table
            # (strategy meetings held at scale 8.4: 109 ms to 52 ms).
            models.Index(
                fields=["status", "date"],
                include=["id", "kind", "chair", "district"],
                name="meeting_held_facts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} strategy meeting, {self.scheduled_for:%d %b %Y}"


class StrategyMeetingAttendance(CaseRecord):
    """Who took part in a strategy meeting or discussion."""

    meeting = models.ForeignKey(
        StrategyMeeting, on_delete=models.PROTECT, related_name="attendance"
    )
    name = models.CharField(validators=[validate_no_bidi_controls], max_length=150)
    agency = models.CharField(max_length=30, choices=Attendance.Agency.choices)
    role = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Attendance.Status.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "strategy meeting attendance"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()}): {self.get_status_display()}"


class StrategyMeetingChild(CaseRecord):
    meeting = models.ForeignKey(StrategyMeeting, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "child"],
                name="child_once_per_strategy_meeting",
                violation_error_message="This child is already part of this strategy meeting.",
            ),
        ]


class S47Enquiry(CaseRecord):
    """A section 47 enquiry and the strategy discussion that started it (§4.1, §7.2)."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", "Enquiry ongoing"
        CONFERENCE = "conference", "Initial conference required"
        NO_CONFERENCE_HARM = (
            "no_conference_harm",
            ("Significant harm found, no conference (IRO to quality-assure)"),
        )
        NO_HARM = "no_harm", "No significant harm found"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="s47_enquiries")
    strategy_meeting = models.ForeignKey(
        StrategyMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="enquiries"
    )
    strategy_discussion_on = models.DateField("date of the (last) strategy discussion")
    started_on = models.DateField("section 47 enquiry started")
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default=Outcome.ONGOING)
    decided_on = models.DateField(
        "date of the decision", null=True, blank=True, help_text="When the outcome was decided."
    )
    initial_conference_due_by = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="15 working days after the strategy discussion (CIN census InitialCPCtarget).",
    )
    initial_conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="enquiries"
    )
    no_conference_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    no_conference_review_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        ordering = ["-started_on"]
        indexes = [
            # The few enquiries still waiting for an initial conference, among the many that
            # have had one or needed none: the list to book and due_list read these.
            models.Index(
                fields=["started_on"],
                name="s47_awaiting_conference",
                condition=Q(initial_conference__isnull=True, outcome__in=["ongoing", "conference"]),
            ),
            # The decisions not to convene after significant harm that no IRO has
            # quality-assured yet: a few among every enquiry ever made (1.3 million at
            # England's scale), read by the chairs' landing page (selectors_strategy.py).
            models.Index(
                fields=["id"],
                name="s47_no_conference_to_review",
                condition=Q(outcome="no_conference_harm", no_conference_reviewed_by__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="s47_starts_on_or_after_discussion",
                condition=Q(started_on__gte=models.F("strategy_discussion_on")),
                violation_error_message=(
                    "A section 47 enquiry cannot start before its strategy discussion."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.started_on:%d %b %Y}"


class HeldPlace(models.Model):
    """A child considered at a held conference, with the conference's date and chair: the
    rows caseloads read to find each child's latest held conference and who chaired it.

    Derived from the records, never edited: conferences/held.py writes it whenever a
    conference's date, status or chair or a child's place at one changes, and the census
    import and the generators after a bulk load (`manage.py store_derived` rebuilds it). Its
    covering index answers "the child's held conferences up to a date, newest first, and
    their chairs" without reading the conferences (1.1 million at England's scale)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+", db_index=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "child at a held conference (derived)"
        indexes = [
            models.Index(
                fields=["child", "held_on", "conference"],
                include=["chair"],
                name="held_place_child_latest",
            )
        ]

    def __str__(self) -> str:
        return f"Conference held on {self.held_on:%d %b %Y}"


class InitialConferenceDue(models.Model):
    """A child considered at a held initial conference, with the due date of their latest
    section 47 enquiry leading to it (CIN InitialCPCtarget): the rows initial conference
    timeliness counts.

    Derived from the records, never edited: conferences/timeliness.py writes it whenever a
    conference, a child's place at one or an enquiry changes, and the census import and the
    generators after a bulk load (`manage.py store_derived` rebuilds it). Not a case record
    itself: the records it is read from keep their history."""

    conference_child = models.OneToOneField(
        ConferenceChild, on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, null=True, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(db_index=True)
    due_by = models.DateField(null=True, help_text="The latest enquiry's due date, if it has one.")

    class Meta:
        verbose_name = "child at a held initial conference (derived)"

    def __str__(self) -> str:
        return f"Initial conference on {self.held_on:%d %b %Y}"
