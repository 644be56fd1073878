"""Reads of children and households, always through the user's access (style.md: selectors)."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from people.access import district_scope
from people.models import User

from .models import Child, Household


def child_list_for(user: User) -> QuerySet[Child]:
    children = Child.objects.select_related("district", "household")
    district_id = district_scope(user)
    if district_id is not None:
        children = children.filter(district_id=district_id)
    return children


def household_list_for(user: User) -> QuerySet[Household]:
    households = Household.objects.select_related("district")
    district_id = district_scope(user)
    if district_id is not None:
        households = households.filter(district_id=district_id)
    return households


def access_child(user: User, child_id: int) -> Child:
    """The child, or 404 whether it does not exist or the user may not see it (no leak)."""
    try:
        return child_list_for(user).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No child found") from exc


def access_household(user: User, household_id: int) -> Household:
    try:
        return household_list_for(user).get(pk=household_id)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No household found") from exc


def child_search(
    *, user: User, text: str = "", born_on: date | None = None, limit: int = 50
) -> QuerySet[Child]:
    """Children matching a name or child ID (any word, any order) and a date of birth."""
    children = child_list_for(user)
    for word in text.split():
        children = children.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(local_id__iexact=word)
            | Q(upn__iexact=word)
            | Q(nhs_number=word)
        )
    if born_on is not None:
        children = children.filter(Q(date_of_birth=born_on) | Q(expected_date_of_birth=born_on))
    return children.order_by("last_name", "first_name", "id")[:limit]
