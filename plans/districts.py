"""Each plan's district, stored: its child's (style.md rule 2, the facts the measures count are
stored). The measures count a period's plans by district, and NI 67 its reviews, from the
plan's own row instead of looking up every plan's child (61,000 a year, 1.3 million children at
England's scale) to find it.

Written once, here, and kept by every door: `ChildProtectionPlan.save()` sets it when the plan
is new or moves to another child; a child's change of district moves their plans with them
(the signal in plans/apps.py); the bulk loads, which send no signals, call `store_derived()`
(iro_service/derived.py), which calls `store_plan_districts()`.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from children.models import Child
from iro_service.derived import of_children

from .models import ChildProtectionPlan


def follow_child(child: Child) -> int:
    """Give the child's plans the child's district. Returns how many changed."""
    district = child.district_id
    return (
        ChildProtectionPlan.objects.filter(child=child)
        .exclude(district=district)
        .update(district=district)
    )


def store_plan_districts(*, children: Iterable[int] | None = None) -> int:
    """Set the district of every plan (of these children; all when None) whose stored
    district is not its child's, or is not stored yet. Returns how many changed."""
    plans = of_children(ChildProtectionPlan.objects.all(), children)
    if plans is None:
        return 0
    childs = Child.objects.filter(pk=OuterRef("child_id")).values("district_id")
    # exclude() keeps the plans whose district is not stored yet (NULL) too.
    return plans.exclude(district=Subquery(childs)).update(district=Subquery(childs))
