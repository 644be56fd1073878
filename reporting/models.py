"""Reference data per reporting year (population and benchmarks, §6.1, §6.3), and the stored
snapshots of every measure that the dashboard reads."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReferenceYear(models.Model):
    """A reporting year, 1 April to 31 March, named by the year it ends in ("2012")."""

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year it ends: 2012 for 2011/12."
    )
    under_18_population = models.PositiveIntegerField(
        help_text="Mid-year estimate of the authority's population under 18."
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year - 1}/{str(self.year)[-2:]}"


class Benchmark(models.Model):
    """England, statistical-neighbour and local-target values for an indicator in a year."""

    class Indicator(models.TextChoices):
        NI64 = "ni64", "NI 64: plans lasting two years or more (%)"
        NI65 = "ni65", "NI 65: repeat plans (%)"
        NI67 = "ni67", "NI 67: reviews within timescales (%)"
        RATE = "rate_per_10000", "Plans per 10,000 children"
        INITIAL_TIMELINESS = "initial_timeliness", "Initial conferences within 15 working days (%)"

    indicator = models.CharField(max_length=30, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(
        help_text="The reporting year it ends: 2012 for 2011/12."
    )
    local_value_published = models.DecimalField(
        "value this authority published", max_digits=7, decimal_places=2, null=True, blank=True
    )
    england = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    statistical_neighbours = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    local_target = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="one_benchmark_per_indicator_and_year",
                violation_error_message="There is already a benchmark for this indicator and year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}"


class SnapshotQuerySet(models.QuerySet):
    def transition(self, pk: int, *, old: str, new: str, **fields) -> bool:
        """Move one snapshot from status `old` to `new` in a single guarded UPDATE. False when
        it was not in `old` (another worker got there first, or it already finished), so two
        workers given the same snapshot cannot both compute it."""
        return self.filter(pk=pk, status=old).update(status=new, **fields) == 1

    def active(self):
        return self.filter(status__in=IndicatorSnapshot.ACTIVE)


class IndicatorSnapshot(models.Model):
    """Every measure for a reporting year, for the authority or one district, computed once by
    a Celery task and stored so the dashboard need not recompute it on every visit.

    `data` is exactly what `reporting.metrics.compute_all` returns for the period. `data_as_of`
    is the moment the computation's one transaction began: every measure reads the records as
    they stood then (REPEATABLE READ on PostgreSQL), so the figures of one snapshot are
    consistent with each other and the page can say "Figures as at <data_as_of>".
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Reason(models.TextChoices):
        ASKED = "asked", "Asked for"
        NIGHTLY = "nightly", "Nightly refresh"
        RECORDS_CHANGED = "records_changed", "Records changed"
        FIRST_LOOK = "first_look", "None stored yet"

    ACTIVE = [Status.QUEUED, Status.RUNNING]

    year = models.PositiveSmallIntegerField(
        help_text="The reporting year it ends: 2012 for 2011/12."
    )
    district = models.ForeignKey(
        "people.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_snapshots",
        help_text="Empty for the whole authority.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    data_as_of = models.DateTimeField(
        null=True, blank=True, help_text="The records as they stood at this moment."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the nightly refresh.",
    )
    reason = models.CharField(
        max_length=20,
        choices=Reason.choices,
        default=Reason.ASKED,
        help_text="Why they were computed: asked for, nightly, or records changed since.",
    )
    charts = models.JSONField(
        default=dict, blank=True, help_text="The dashboard's charts (SVG by table), drawn once."
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["year", "district", "status", "-data_as_of"]),
        ]
        constraints = [
            # Two partial constraints, because NULL never equals NULL in a unique index: one
            # for each district, one for the whole authority (district empty).
            models.UniqueConstraint(
                fields=["year", "district"],
                condition=Q(status__in=["queued", "running"], district__isnull=False),
                name="one_active_snapshot_per_year_and_district",
                violation_error_message="Figures for this year and district are already being computed.",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status__in=["queued", "running"], district__isnull=True),
                name="one_active_authority_snapshot_per_year",
                violation_error_message="Figures for this year are already being computed.",
            ),
            models.CheckConstraint(
                name="snapshot_steps_within_total",
                condition=Q(steps_done__lte=models.F("steps_total")),
                violation_error_message="A snapshot cannot have done more steps than it has.",
            ),
            models.CheckConstraint(
                name="done_snapshot_has_data_time",
                condition=~Q(status="done")
                | (Q(data_as_of__isnull=False) & Q(finished_at__isnull=False)),
                violation_error_message="A finished snapshot records when its data is from.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label}, {self.year_label} ({self.get_status_display().lower()})"

    @property
    def figures(self) -> dict | None:
        """The measures once computed; None while queued, running or failed."""
        return self.data if self.status == self.Status.DONE and self.data else None

    @property
    def year_label(self) -> str:
        return f"{self.year - 1}/{str(self.year)[-2:]}"

    @property
    def scope_label(self) -> str:
        return self.district.name if self.district_id else "Whole authority"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent_done(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0


class MonthlyListsEmail(models.Model):
    """One person's monthly email about their lists (§6.3.4), for one month end: written in
    the savepoint that sends it, so a second run (or a second worker) finds it and sends
    nothing more, and a failed send leaves no row (tried again on the next run).

    `counts` holds the three lists' sizes as the email gave them; never a child's name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="monthly_lists_emails"
    )
    month_end = models.DateField(help_text="The month end the lists are at.")
    sent_at = models.DateTimeField()
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-month_end", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month_end"],
                name="one_monthly_lists_email_per_person_and_month",
                violation_error_message="This person has had their email for this month.",
            ),
        ]
        indexes = [models.Index(fields=["user", "-sent_at"])]

    def __str__(self) -> str:
        return f"Monthly lists email to user {self.user_id} for {self.month_end:%B %Y}"
