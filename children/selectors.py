"""Reads of children and households, always through the user's access (style.md: selectors)."""

from datetime import date

from django.core.paginator import Page
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Upper
from django.http import Http404

from conferences.models import Conference, ConferenceChild
from iro_service.pagination import counted_page
from people.access import district_scope
from people.models import User
from plans.models import ChildProtectionPlan

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


def child_search(*, user: User, text: str = "", born_on: date | None = None) -> QuerySet[Child]:
    """Children matching a name or child ID (any word, any order) and a date of birth: all of
    them, in name order. The page paginates; the API takes the first few."""
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
    words = text.split()
    if any(len(word) >= 3 for word in words):
        # A word a trigram index can find (children migration 0006): in name order whatever
        # the case, which also keeps PostgreSQL from walking the name index in order and
        # filtering every child on the way (it guesses thousands match a name, where a few
        # do): it finds the matches through the trigram indexes, then sorts them.
        return children.order_by(Upper("last_name"), Upper("first_name"), "id")
    # Only one- or two-letter words (or none): most children match, and walking the name
    # index in order finds a page's worth at once.
    return children.order_by("last_name", "first_name", "id")


def child_search_page(
    *, user: User, text: str, born_on: date | None, number, per_page: int, today: date
) -> Page:
    """A page of child_search's results, each child with their plan status and allocated
    IRO (attach_allocated_iros), and how many were found: the page's ids and the count in
    one pass over the matches (iro_service.pagination), then those children. Four queries
    whatever the number found."""
    page = counted_page(child_search(user=user, text=text, born_on=born_on), number, per_page)
    shown = child_list_with_status(
        child_list_for(user).filter(pk__in=page.object_list), today=today
    )
    found = {child.pk: child for child in shown}
    page.object_list = attach_allocated_iros([found[pk] for pk in page.object_list if pk in found])
    return page


def child_list_with_status(children: QuerySet[Child], *, today: date) -> QuerySet[Child]:
    """The children with their plan status and allocated IRO, in the query that lists them.

    - open_plan_since: the start of the open plan, if any (one open plan per child);
    - last_plan_ended_on: the end of the latest ended plan, if any;
    - allocated_iro_id: for a child on a plan, the chair of their latest held conference, as
      the caseloads count them (§5.4), or of the next booked one if none is held yet (a
      transfer in); for any other child, the chair of a booked conference (an initial
      conference coming up), else none.
    """
    plans = ChildProtectionPlan.objects.filter(child=OuterRef("pk"))
    conferences = ConferenceChild.objects.filter(child=OuterRef("pk"))
    held_chair = Subquery(
        conferences.filter(conference__status=Conference.Status.HELD, conference__date__lte=today)
        .order_by("-conference__date", "-conference_id")
        .values("conference__chair")[:1]
    )
    # "Booked, on or after today" as one condition (the date of a booked conference, else
    # nothing), not two: PostgreSQL multiplies the two conditions' shares as if unrelated
    # (1.5% of conferences are booked, 1.5% are from today on, but they are the same ones),
    # guesses a few hundred, and would read all 16,000 booked conferences for each child at
    # England's scale (4-7 ms a child) instead of the child's own few (0.1 ms).
    booked_from = Case(
        When(conference__status=Conference.Status.BOOKED, then=F("conference__date")),
        default=None,
    )
    booked_chair = Subquery(
        conferences.annotate(booked_from=booked_from)
        .filter(booked_from__gte=today)
        .order_by("conference__date", "conference_id")
        .values("conference__chair")[:1]
    )
    return children.annotate(
        open_plan_since=Subquery(plans.filter(end_date__isnull=True).values("start_date")[:1]),
        last_plan_ended_on=Subquery(
            plans.filter(end_date__isnull=False).order_by("-end_date").values("end_date")[:1]
        ),
        allocated_iro_id=Case(
            When(open_plan_since__isnull=False, then=Coalesce(held_chair, booked_chair)),
            default=booked_chair,
        ),
    )


def attach_allocated_iros(children: list[Child]) -> list[Child]:
    """Set `allocated_iro` (a User or None) on children from child_list_with_status: one
    query for the whole list, not one per child."""
    ids = {child.allocated_iro_id for child in children if child.allocated_iro_id}
    iros = User.objects.in_bulk(ids) if ids else {}
    for child in children:
        child.allocated_iro = iros.get(child.allocated_iro_id)
    return children
