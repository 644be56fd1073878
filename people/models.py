"""Districts, teams and the staff who use the system (domain.md: people and their jobs)."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class District(models.Model):
    """A district of the authority: every child belongs to one at a time (§6.3.2)."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of staff: a district social work team, or the Safeguarding IRO unit."""

    class Kind(models.TextChoices):
        IRO_UNIT = "iro_unit", "Safeguarding IRO unit"
        SOCIAL_WORK = "social_work", "District social work team"
        BUSINESS_SUPPORT = "business_support", "Business support"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    IRO = "iro", "Independent reviewing officer"
    SENIOR_IRO = "senior_iro", "Senior IRO"
    BUSINESS_SUPPORT = "business_support", "Business support"
    DISTRICT_MANAGER = "district_manager", "District manager"
    DIRECTORATE_MANAGER = "directorate_manager", "Directorate manager"
    AUDITOR = "auditor", "Auditor (read only)"


class User(AbstractUser):
    """A member of staff who signs in. What they may see and do follows from their role."""

    role = models.CharField(max_length=30, choices=Role.choices)
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Required for a district manager: the only district they see.",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # Set when an account manager gives a temporary password (people.views_accounts); cleared
    # by set_password(), so choosing a new password on the change-password page clears it.
    must_change_password = models.BooleanField(
        "must change password at next sign-in", default=False
    )
    # Sign-in (issue 12): one more each time the user signs out everywhere; a session made
    # under an older number is ended (people/middleware.py).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Password hashes, sign-in times and session numbers are not history worth keeping (and a
    # hash is a secret).
    # Every other change to an account, and who made it, is kept (MFA and accounts, issue 12).
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_generation"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="district_manager_has_district",
                condition=~Q(role="district_manager") | Q(district__isnull=False),
                violation_error_message="A district manager must have a district.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return User.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name: str, last_name: str, username: str) -> str:
        """The name a user is shown by: their full name, else their username (for lists read
        as values, without loading each user)."""
        return f"{first_name} {last_name}".strip() or username

    def set_password(self, raw_password):
        """A new password of the user's own choosing: no longer a temporary one. (An account
        manager's reset sets must_change_password again after calling this.)"""
        super().set_password(raw_password)
        self.must_change_password = False


class IROProfile(models.Model):
    """The staffing facts the annual report tabulates (§5.2, §5.3)."""

    class Employment(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        TEMPORARY = "temporary", "Temporary"
        AGENCY = "agency", "Agency"
        SECONDMENT = "secondment", "Secondment"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="iro_profile")
    qualification_year = models.PositiveSmallIntegerField(
        "year qualified as a social worker",
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    began_as_iro_year = models.PositiveSmallIntegerField(
        "year began as an IRO", validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    employment_type = models.CharField(
        max_length=20, choices=Employment.choices, default=Employment.PERMANENT
    )
    is_senior = models.BooleanField("senior IRO", default=False)
    began_as_senior_year = models.PositiveSmallIntegerField(
        "year began as senior IRO",
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    started_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "IRO profile"
        constraints = [
            models.CheckConstraint(
                name="iro_began_after_qualifying",
                condition=Q(began_as_iro_year__gte=models.F("qualification_year")),
                violation_error_message="An IRO cannot begin the role before qualifying.",
            ),
            models.CheckConstraint(
                name="iro_fte_in_range",
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                violation_error_message="FTE must be more than 0 and at most 1.",
            ),
            models.CheckConstraint(
                name="iro_left_after_started",
                condition=Q(left_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(left_on__gte=models.F("started_on")),
                violation_error_message="An IRO cannot leave before they started.",
            ),
        ]

    def __str__(self) -> str:
        return f"IRO profile of {self.user}"


class Vacancy(models.Model):
    """Vacant IRO posts, as FTE over a period (§5.3)."""

    fte = models.DecimalField(max_digits=4, decimal_places=2)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                name="vacancy_ends_after_start",
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                violation_error_message="A vacancy cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="vacancy_fte_positive",
                condition=Q(fte__gt=0),
                violation_error_message="A vacancy's FTE must be more than 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fte} FTE from {self.from_date}"
