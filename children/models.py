"""Children, their households and their looked-after episodes (domain.md: child, household)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from iro_service.records import CaseRecord
from iro_service.validators import validate_no_bidi_controls
from people.models import District

from .codes import Disability, Ethnicity, Gender
from .validators import validate_nhs_number, validate_upn


class Household(CaseRecord):
    """The children one conference considers together (§5.4)."""

    reference = models.CharField(max_length=30, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="households")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"Household {self.reference}"


class Child(CaseRecord):
    """A child or unborn baby known to the service. Identified by the local child ID
    (the CIN census LAchildID)."""

    local_id = models.CharField(
        "child ID",
        max_length=20,
        unique=True,
        help_text="The authority's own child ID (CIN census LAchildID).",
    )
    first_name = models.CharField(max_length=100, validators=[validate_no_bidi_controls])
    last_name = models.CharField(max_length=100, validators=[validate_no_bidi_controls])
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        "expected date of birth",
        null=True,
        blank=True,
        help_text="For an unborn child: the expected date of delivery.",
    )
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabilities = models.JSONField(
        default=list, blank=True, help_text="CIN census disability codes; empty if not recorded."
    )
    upn = models.CharField(
        "UPN",
        max_length=13,
        blank=True,
        validators=[validate_upn],
        help_text="Unique Pupil Number, if known.",
    )
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="children")
    # The allocated social worker and their team manager: invitations and chasers go to them.
    # Not necessarily users of this system.
    social_worker_name = models.CharField(
        "social worker", max_length=150, blank=True, validators=[validate_no_bidi_controls]
    )
    social_worker_team = models.CharField("social worker's team", max_length=150, blank=True)
    social_worker_email = models.EmailField("social worker's email", blank=True)
    team_manager_name = models.CharField(
        "team manager", max_length=150, blank=True, validators=[validate_no_bidi_controls]
    )
    team_manager_email = models.EmailField("team manager's email", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
            # Covering (PostgreSQL): the measures look up a plan's, a conference's or a
            # review's child by primary key for their district, household, age or ethnicity,
            # reading this narrow index only instead of every child's row (NI 64 at scale
            # 8.4: 223 ms to 127 ms; the QA themes' children over ten: 0.26 s to 0.15 s).
            models.Index(
                fields=["id"],
                include=["district", "household", "date_of_birth", "ethnicity"],
                name="child_lookup_facts",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="child_born_or_expected",
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                violation_error_message=(
                    "Enter a date of birth, or an expected date of birth for an unborn child."
                ),
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        child = super().from_db(db, field_names, values)
        child._loaded_district_id = child.__dict__.get("district_id")
        return child

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._loaded_district_id = self.district_id

    def moved_district(self) -> bool:
        """Whether the last save may have changed the district it was loaded with (the
        plans' stored districts follow it: plans/districts.py)."""
        return getattr(self, "_loaded_district_id", None) != self.district_id

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def disability_labels(self) -> list[str]:
        labels = dict(Disability.choices)
        return [labels.get(code, code) for code in self.disabilities or []]

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def clean(self) -> None:
        super().clean()
        unknown = set(self.disabilities or []) - set(Disability.values)
        if unknown:
            raise ValidationError({"disabilities": f"Unknown disability code: {sorted(unknown)}"})
        if "NONE" in (self.disabilities or []) and len(self.disabilities) > 1:
            raise ValidationError(
                {"disabilities": "Choose either no disability, or one or more disabilities."}
            )
        if (
            self.household_id
            and self.district_id
            and self.household.district_id != self.district_id
        ):
            raise ValidationError(
                {"household": "The household is in another district from the child."}
            )


class LookedAfterEpisode(CaseRecord):
    """A period a child on a plan is also looked after (§6.3.4)."""

    class LegalStatus(models.TextChoices):
        INTERIM_CARE_ORDER = "C1", "Interim care order"
        CARE_ORDER = "C2", "Full care order"
        SECTION_20 = "V2", "Accommodated under section 20"
        POLICE_PROTECTION = "L1", "Police protection"
        EMERGENCY_PROTECTION = "L2", "Emergency protection order"
        PLACEMENT_ORDER = "E1", "Placement order"
        OTHER = "other", "Other"

    class PlacementType(models.TextChoices):
        FOSTER_RELATIVE_IN_AREA = (
            "foster_relative_in_area",
            "Foster with relative or friend (in area)",
        )
        FOSTER_RELATIVE_OUT_OF_AREA = (
            "foster_relative_out_of_area",
            "Foster with relative or friend (outside area)",
        )
        FOSTER_OTHER_IN_AREA = "foster_other_in_area", "Other foster carer (in area)"
        FOSTER_OTHER_OUT_OF_AREA = "foster_other_out_of_area", "Other foster carer (outside area)"
        PLACED_WITH_PARENTS = "placed_with_parents", "Placed with parents"
        RESIDENTIAL = "residential", "Residential"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="looked_after_episodes")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    legal_status = models.CharField(max_length=10, choices=LegalStatus.choices)
    placement_type = models.CharField(max_length=40, choices=PlacementType.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                name="looked_after_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                violation_error_message="A looked-after episode cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="one_open_looked_after_episode_per_child",
                violation_error_message="This child already has an open looked-after episode.",
            ),
        ]

    def __str__(self) -> str:
        return f"Looked after from {self.started_on:%d %b %Y}"


# Parents and carers: a model of this app, in a module of its own.
from .family import FamilyMember  # noqa: E402, F401
