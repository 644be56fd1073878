"""Writes to children's records (style.md: services push). Each is atomic and validated;
the history of each change (who, when, what) is kept by django-simple-history."""

from django.db import transaction

from iro_service.records import save_with_history
from people.models import User

from .models import Child, FamilyMember, Household

FAMILY_MEMBER_FIELDS = (
    "name",
    "relationship",
    "has_parental_responsibility",
    "email",
    "postal_address",
)

CHILD_FIELDS = (
    "local_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "gender",
    "ethnicity",
    "disabilities",
    "upn",
    "nhs_number",
    "household",
    "district",
    "social_worker_name",
    "social_worker_team",
    "social_worker_email",
    "team_manager_name",
    "team_manager_email",
)


@transaction.atomic
def child_create(*, by: User, **fields) -> Child:
    child = Child(**{name: fields[name] for name in CHILD_FIELDS if name in fields})
    save_with_history(child, by=by, reason="Child added")
    return child


@transaction.atomic
def child_update(*, child: Child, by: User, reason: str = "Record updated", **fields) -> Child:
    for name, value in fields.items():
        if name not in CHILD_FIELDS:
            raise TypeError(f"{name} is not a field of a child's record")
        setattr(child, name, value)
    save_with_history(child, by=by, reason=reason)
    return child


@transaction.atomic
def household_create(*, by: User, **fields) -> Household:
    household = Household(**fields)
    save_with_history(household, by=by, reason="Household added")
    return household


@transaction.atomic
def family_member_add(*, household: Household, by: User, **fields) -> FamilyMember:
    """Record a parent or carer of the household's children: they are invited to every
    conference about them (workflows.md, "Invitations and reports")."""
    unknown = set(fields) - set(FAMILY_MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"{sorted(unknown)} are not fields of a family member")
    member = FamilyMember(household=household, **fields)
    save_with_history(member, by=by, reason="Parent or carer added")
    return member


@transaction.atomic
def family_member_update(*, member: FamilyMember, by: User, **fields) -> FamilyMember:
    for name, value in fields.items():
        if name not in FAMILY_MEMBER_FIELDS:
            raise TypeError(f"{name} is not a field of a family member")
        setattr(member, name, value)
    save_with_history(member, by=by, reason="Parent or carer updated")
    return member
