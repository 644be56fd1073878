"""Whether each plan follows an earlier one of the same child, stored (style.md rule 2, the
facts the measures count are stored). NI 65 counts a period's plans that had one before them:
read from the plan's own row, not found by looking up every plan's child's earlier plans
(61,000 lookups a year at England's scale).

Written once, here, and kept by every door: a plan saved new, or with another start date or
child, puts its child's plans right (and its former child's), through the signal in
plans/apps.py; the bulk loads, which send no signals, call `store_derived()`
(iro_service/derived.py), which calls `store_earlier_plans()`.
"""

from collections.abc import Iterable

from django.db.models import Exists, F, OuterRef

from iro_service.derived import of_children

from .models import ChildProtectionPlan


def store_earlier_plans(*, children: Iterable[int] | None = None) -> int:
    """Set whether each plan (of these children; all when None) follows an earlier plan of its
    child, where the stored answer is not the records'. Returns how many changed."""
    plans = of_children(ChildProtectionPlan.objects.all(), children)
    if plans is None:
        return 0
    earlier = ChildProtectionPlan.objects.filter(
        child_id=OuterRef("child_id"), start_date__lt=OuterRef("start_date")
    )
    return (
        plans.alias(has_earlier=Exists(earlier))
        .exclude(follows_earlier_plan=F("has_earlier"))
        .update(follows_earlier_plan=Exists(earlier))
    )
