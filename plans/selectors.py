"""Reads of plans, through the user's access to the child."""

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from children.models import Child
from children.selectors import attach_allocated_iros, child_list_for, child_list_with_status
from conferences.models import Conference, ConferenceChild
from people.access import district_scope
from people.models import Role, User

from .models import ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

OVERDUE_KINDS = {"core_groups": "next_core_group_due_by", "visits": "next_visit_due_by"}


def access_plan(user: User, plan_id: int) -> ChildProtectionPlan:
    try:
        return ChildProtectionPlan.objects.select_related("child").get(
            pk=plan_id, child__in=child_list_for(user)
        )
    except (ChildProtectionPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No plan found") from exc


def core_groups_of(plan: ChildProtectionPlan) -> QuerySet[CoreGroupMeeting]:
    """The plan's core groups, the latest first, with who recorded each."""
    return plan.core_groups.select_related("recorded_by").order_by("-held_on", "-pk")


def visits_of(plan: ChildProtectionPlan) -> QuerySet[ProtectionVisit]:
    return plan.visits.select_related("recorded_by").order_by("-visited_on", "-pk")


def household_plans_for(user: User, plan: ChildProtectionPlan) -> QuerySet[ChildProtectionPlan]:
    """The other open plans of the plan's household that the user can see: siblings share a
    core group, so it can be recorded for all of them at once."""
    if plan.child.household_id is None:
        return ChildProtectionPlan.objects.none()
    return (
        ChildProtectionPlan.objects.filter(
            end_date__isnull=True,
            child__household_id=plan.child.household_id,
            child__in=child_list_for(user),
        )
        .exclude(pk=plan.pk)
        .select_related("child")
        .order_by("child__date_of_birth", "child__first_name", "pk")
    )


def _allocated_iro(*, today: date) -> Subquery:
    """The child's allocated IRO, by the one rule children.selectors.child_list_with_status
    applies (the chair of their latest held conference; of the next booked one if none is
    held yet): evaluated for the plan's child only."""
    child = Child.objects.filter(pk=OuterRef("child_id"))
    return Subquery(child_list_with_status(child, today=today).values("allocated_iro_id")[:1])


def followed_plans_for(user: User, *, today: date) -> QuerySet[ChildProtectionPlan]:
    """Open plans whose core groups and visits the user follows: an IRO those of the children
    allocated to them; a district manager their district's; everyone else (the Senior IRO,
    business support, the directorate and auditors) all of them. Each with its child and
    `allocated_iro_id`."""
    plans = (
        ChildProtectionPlan.objects.filter(end_date__isnull=True)
        .select_related("child__district")
        .annotate(allocated_iro_id=_allocated_iro(today=today))
    )
    # As child_list_for limits children: by district, with no join to all children.
    district_id = district_scope(user)
    if district_id is not None:
        plans = plans.filter(child__district_id=district_id)
    if user.role == Role.IRO:
        # Only a child with a conference this IRO chaired (or is booked to chair) can be
        # allocated to them: those plans are found first, by index, and only theirs have
        # their allocated IRO worked out.
        # One query for those few plans' ids (PostgreSQL would otherwise work out the
        # allocated IRO of every open plan before it looks at the chair).
        chaired = ConferenceChild.objects.filter(
            conference__chair=user,
            conference__status__in=[Conference.Status.HELD, Conference.Status.BOOKED],
        ).values("child_id")
        candidates = list(
            ChildProtectionPlan.objects.filter(
                end_date__isnull=True, child_id__in=chaired
            ).values_list("pk", flat=True)
        )
        plans = plans.filter(pk__in=candidates, allocated_iro_id=user.pk)
    return plans


def overdue_contacts_for(user: User, *, today: date) -> dict[str, QuerySet[ChildProtectionPlan]]:
    """{"core_groups": plans, "visits": plans}: the user's followed open plans whose stored
    next core group or next visit date is before today, the longest overdue first.

    Querysets, not lists: `.count()` answers the summary in one query each, and a page slices
    them; either way the number of queries does not grow with the rows (each row's child and
    district are joined, its allocated IRO a subquery; children.selectors.attach_allocated_iros
    fetches the IROs' names in one more query)."""
    plans = followed_plans_for(user, today=today)
    return {
        kind: plans.filter(**{f"{field}__lt": today}).order_by(field, "pk")
        for kind, field in OVERDUE_KINDS.items()
    }


def overdue_rows(plans, *, kind: str, today: date) -> list[ChildProtectionPlan]:
    """A page of one of those lists, each plan with `due_by`, `days_overdue` (calendar days
    after the due date) and `allocated_iro` (a User or None; one query for the page)."""
    rows = attach_allocated_iros(list(plans))
    field = OVERDUE_KINDS[kind]
    for plan in rows:
        plan.due_by = getattr(plan, field)
        plan.days_overdue = (today - plan.due_by).days
    return rows
