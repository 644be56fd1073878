"""Child protection plans, their category history, targets, core groups and visits (§6, §9.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from children.models import Child
from conferences.models import Category, Conference, PlanEndReason
from iro_service.records import CaseRecord
from iro_service.validators import validate_no_bidi_controls
from people.models import District

from .rules import OPEN_UNTIL


class ChildProtectionPlan(CaseRecord):
    """One child's child protection plan: starts at the initial conference (CIN census CPP)."""

    EndReason = PlanEndReason

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The child's district, stored so the measures count a district's plans "
        "from the plan's own row (plans/districts.py keeps it the child's).",
    )
    start_date = models.DateField()  # indexed in Meta, covering
    end_date = models.DateField(null=True, blank=True)  # indexed in Meta, covering
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)
    initial_category = models.CharField(max_length=3, choices=Category.choices)
    latest_category = models.CharField(max_length=3, choices=Category.choices)
    is_pre_birth = models.BooleanField(
        "started before birth",
        default=False,
        help_text="Started at a pre-birth conference: the first review may fall due sooner.",
    )
    number_of_previous_plans = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="From an imported record (CIN census NumberOfPreviousCPP), if known.",
    )
    follows_earlier_plan = models.BooleanField(
        default=False,
        editable=False,
        help_text="The child has a plan that started before this one, stored so NI 65 counts "
        "a period's repeat plans from their own rows (plans/earlier.py keeps it).",
    )
    initial_conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="plans_started"
    )
    next_review_due_by = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the next review is due under the timescale settings (stored by the services).",
    )
    # Stored by the services from the rules (style.md rule 2), so overdue lists read an index.
    first_core_group_due_by = models.DateField(null=True, blank=True)
    next_core_group_due_by = models.DateField(null=True, blank=True, db_index=True)
    next_visit_due_by = models.DateField(null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "child protection plan"
        indexes = [
            # Covering (PostgreSQL): the measures of a period's plans ended (NI 64, durations,
            # the NI 64 cohort) and started (NI 65) read these indexes alone. The plans ended
            # in a year are spread over every page of the table (NI 64 by district at scale
            # 8.4: 79 ms to 34 ms; NI 65: 231 ms to 20 ms, with follows_earlier_plan).
            models.Index(
                fields=["end_date"],
                include=["id", "start_date", "district", "child", "latest_category"],
                name="plan_ended_facts",
            ),
            # The plans open at any of some dates (the stock of a year's month ends): open
            # until after the first of them, as one range of this index alone.
            models.Index(
                Coalesce("end_date", Value(OPEN_UNTIL)),
                include=["id", "start_date", "end_date", "initial_category", "district"],
                name="plan_open_until",
            ),
            models.Index(
                fields=["start_date"],
                include=["id", "district", "follows_earlier_plan", "number_of_previous_plans"],
                name="plan_started_facts",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="plan_ends_on_or_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                violation_error_message="A plan cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="one_open_plan_per_child",
                violation_error_message="This child already has an open child protection plan.",
            ),
            models.UniqueConstraint(
                fields=["child", "start_date"],
                name="one_plan_per_child_and_start_date",
                violation_error_message="This child already has a plan starting on that date.",
            ),
            models.CheckConstraint(
                name="ended_plan_has_reason",
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                violation_error_message="Give a reason when, and only when, a plan ends.",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        plan = super().from_db(db, field_names, values)
        plan._loaded_child_id = plan.__dict__.get("child_id")
        plan._loaded_start_date = plan.__dict__.get("start_date")
        return plan

    def moved_in_order(self) -> bool:
        """Whether this save gives the plan another child or start date than it was loaded
        with (or it was not loaded): what can change which plans follow an earlier one."""
        return (
            getattr(self, "_loaded_child_id", None) != self.child_id
            or getattr(self, "_loaded_start_date", None) != self.start_date
        )

    def save(self, *args, **kwargs):
        # The child's district, looked up only when the plan is new or moves to another child.
        if self.child_id is not None and (
            self.district_id is None or self.child_id != getattr(self, "_loaded_child_id", None)
        ):
            self.district_id = self.child.district_id
            if kwargs.get("update_fields"):
                kwargs["update_fields"] = {*kwargs["update_fields"], "district"}
        super().save(*args, **kwargs)
        self._loaded_child_id = self.child_id
        self._loaded_start_date = self.start_date

    def __str__(self) -> str:
        return f"Plan from {self.start_date:%d %b %Y} ({self.get_latest_category_display()})"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class CategoryChange(CaseRecord):
    """A change of a plan's category of abuse. Kept as history, never overwritten (§6.2)."""

    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.PROTECT, related_name="category_changes"
    )
    changed_on = models.DateField()
    from_category = models.CharField(max_length=3, choices=Category.choices)
    to_category = models.CharField(max_length=3, choices=Category.choices)
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="category_change_changes_something",
                condition=~Q(from_category=models.F("to_category")),
                violation_error_message="The new category is the same as the old one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_category} to {self.to_category} on {self.changed_on}"


class PlanTarget(CaseRecord):
    """An outcome-focused target of the plan, with its timescale and progress (§9.3, §10.2)."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not yet reviewed"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    # What a review conference may say of each target.
    REVIEW_CHOICES = [
        (Progress.ACHIEVED, Progress.ACHIEVED.label),
        (Progress.PARTLY_ACHIEVED, Progress.PARTLY_ACHIEVED.label),
        (Progress.NOT_ACHIEVED, Progress.NOT_ACHIEVED.label),
    ]

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="targets")
    description = models.TextField("what must change")
    due_by = models.DateField("by when")
    who = models.CharField(
        "who will do it", max_length=200, blank=True, validators=[validate_no_bidi_controls]
    )
    progress = models.CharField(
        max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    set_at = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="targets_set"
    )
    reviewed_at = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="targets_reviewed"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_by"]

    def __str__(self) -> str:
        return self.description[:60]


class CoreGroupMeeting(CaseRecord):
    """A core group meeting: the first within 10 working days, then monthly (§7.2)."""

    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_groups"
    )
    held_on = models.DateField()
    attendees = models.TextField("who attended", blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Core group on {self.held_on:%d %b %Y}"


class ProtectionVisit(CaseRecord):
    """A child protection visit by the social worker (§7.2)."""

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    child_seen = models.BooleanField(default=True)
    child_seen_alone = models.BooleanField(default=False)
    visited_by = models.CharField(
        validators=[validate_no_bidi_controls], max_length=150, blank=True
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on"]
        constraints = [
            models.CheckConstraint(
                name="seen_alone_only_if_seen",
                condition=Q(child_seen=True) | Q(child_seen_alone=False),
                violation_error_message="A child not seen cannot have been seen alone.",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit on {self.visited_on:%d %b %Y}"


class PlanReview(models.Model):
    """A held review conference of a plan, with its national due date and whether it was
    late: the first review is due 3 months after the plan's start, each later one 6 months
    after the previous review (NI 67's timescales, whatever stricter local targets say).

    Derived from the records, never edited (plans/reviews.py writes it from the conferences
    and plans whenever they change, and the census import and the generators after a bulk
    load), so late reviews and NI 67 are indexed counts rather than a window over every
    review ever held. Not a case record itself: the conference, the child's outcome and the
    plan keep their history, and `manage.py store_derived` rebuilds it from them."""

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="+")
    conference_child = models.ForeignKey(
        "conferences.ConferenceChild", on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(db_index=True)
    due_by = models.DateField(help_text="The national due date of this review.")
    late = models.BooleanField()
    # The plan's span, copied (plans/reviews.py rewrites a child's reviews whenever a plan's
    # dates change), so NI 67 reads the reviews of the plans open at a date from an index of
    # the reviews alone: 60,000 of 1.3 million at England's scale, without reading the rest.
    plan_start_date = models.DateField(null=True)
    plan_open_until = models.DateField(
        null=True, help_text="The plan's end date, or 31 December 9999 while it is open."
    )

    class Meta:
        verbose_name = "review of a plan (derived)"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "conference_child"], name="one_stored_review_per_plan"
            )
        ]
        indexes = [
            models.Index(fields=["plan", "held_on"], name="plan_review_plan_held"),
            models.Index(fields=["held_on"], name="plan_review_late", condition=Q(late=True)),
            # Covering (PostgreSQL): NI 67's reviews of the plans open at the period end.
            models.Index(
                fields=["plan_open_until", "held_on"],
                include=["plan", "plan_start_date", "late"],
                name="plan_review_open_plans",
            ),
        ]

    def __str__(self) -> str:
        return f"Review on {self.held_on:%d %b %Y}, due by {self.due_by:%d %b %Y}"
