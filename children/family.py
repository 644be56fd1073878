"""A household's parents and carers (workflows.md, "Invitations and reports": parents and
carers are invited to every conference about their children, and get its letters)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from iro_service.records import CaseRecord
from iro_service.validators import validate_no_bidi_controls


class FamilyMember(CaseRecord):
    """A parent or carer of a household's children. Not a user of the system: reached by email
    or by post. With no postal address of their own, letters go to the household's address."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARTNER = "partner", "Parent's partner"
        GRANDPARENT = "grandparent", "Grandparent"
        KINSHIP_CARER = "kinship_carer", "Kinship carer"
        FOSTER_CARER = "foster_carer", "Foster carer"
        CARER = "carer", "Other carer"

    # A string reference: this module is imported at the bottom of children/models.py.
    household = models.ForeignKey(
        "children.Household", on_delete=models.PROTECT, related_name="family_members"
    )
    name = models.CharField(max_length=150, validators=[validate_no_bidi_controls])
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    email = models.EmailField(blank=True)
    postal_address = models.TextField(
        blank=True, help_text="Leave blank when they live at the household's address."
    )
    has_parental_responsibility = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["household", "name"]
        constraints = [
            models.CheckConstraint(
                name="family_member_has_name",
                condition=~Q(name=""),
                violation_error_message="Give the family member's name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"

    @property
    def address_for_letters(self) -> str:
        """Their own address, else the household's (with its postcode)."""
        if self.postal_address:
            return self.postal_address
        household = self.household
        return "\n".join(part for part in (household.address, household.postcode) if part)
