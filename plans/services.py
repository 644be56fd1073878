"""Writes to child protection plans: start, change category, end. Atomic and validated."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from children.models import Child
from conferences.models import Conference
from conferences.rules import next_review_due_by
from iro_service.records import save_with_history
from people.models import User

from .models import CategoryChange, ChildProtectionPlan


def plan_next_review_due(plan: ChildProtectionPlan, *, last_review_on: date | None) -> date:
    """When the plan's next review is due, by the authority's timescale settings (the one
    rule, conferences.rules.next_review_due_by; the census import and the generators call it
    too)."""
    return next_review_due_by(
        plan_start=plan.start_date,
        reviews_held=[last_review_on] if last_review_on else [],
        timescales=settings.IRO_TIMESCALES,
        born_on=plan.child.date_of_birth if plan.is_pre_birth else None,
    )


@transaction.atomic
def plans_recompute_review_deadlines() -> int:
    """Store every open plan's next review date again, after a timescale setting changed.
    Returns how many changed. History is kept for each change."""
    from django.db.models import Max, OuterRef, Subquery

    from conferences.models import ConferenceChild

    last_review = (
        ConferenceChild.objects.filter(
            child=OuterRef("child"),
            conference__kind=Conference.Kind.REVIEW,
            conference__status=Conference.Status.HELD,
            conference__date__gt=OuterRef("start_date"),
        )
        .values("child")
        .annotate(last=Max("conference__date"))
        .values("last")
    )
    changed = 0
    plans = ChildProtectionPlan.objects.filter(end_date__isnull=True).select_related("child")
    for plan in plans.annotate(last_review_on=Subquery(last_review)):
        due = plan_next_review_due(plan, last_review_on=plan.last_review_on)
        if due != plan.next_review_due_by:
            plan.next_review_due_by = due
            save_with_history(
                plan,
                by=None,
                reason="Review date recomputed after a timescale change",
                update_fields=["next_review_due_by"],
                clean=False,
            )
            changed += 1
    return changed


@transaction.atomic
def plan_start(
    *,
    child: Child,
    start_date: date,
    category: str,
    by: User,
    initial_conference: Conference | None = None,
    is_pre_birth: bool = False,
) -> ChildProtectionPlan:
    """Start a plan at the initial conference; stores when its first review is due."""
    plan = ChildProtectionPlan(
        child=child,
        start_date=start_date,
        initial_category=category,
        latest_category=category,
        initial_conference=initial_conference,
        is_pre_birth=is_pre_birth,
    )
    plan.next_review_due_by = plan_next_review_due(plan, last_review_on=None)
    return save_with_history(plan, by=by, reason="Plan started")


@transaction.atomic
def plan_change_category(
    *,
    plan: ChildProtectionPlan,
    changed_on: date,
    to_category: str,
    by: User,
    conference: Conference | None = None,
) -> CategoryChange:
    """Record a change of category as a new history row; the plan's latest category follows."""
    plan = ChildProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    errors = {}
    if changed_on < plan.start_date:
        errors["changed_on"] = "The change cannot be before the plan started."
    elif plan.end_date and changed_on > plan.end_date:
        errors["changed_on"] = "The change cannot be after the plan ended."
    last = plan.category_changes.order_by("-changed_on", "-id").first()
    if last and changed_on < last.changed_on:
        errors["changed_on"] = (
            f"The change cannot be before the last recorded change ({last.changed_on:%d %B %Y})."
        )
    if to_category == plan.latest_category:
        errors["to_category"] = "The plan already has this category."
    if errors:
        raise ValidationError(errors)
    change = CategoryChange(
        plan=plan,
        changed_on=changed_on,
        from_category=plan.latest_category,
        to_category=to_category,
        conference=conference,
        recorded_by=by,
    )
    save_with_history(change, by=by, reason="")
    plan.latest_category = to_category
    save_with_history(
        plan, by=by, reason="Category changed", update_fields=["latest_category"], clean=False
    )
    return change


@transaction.atomic
def plan_end(
    *, plan: ChildProtectionPlan, end_date: date, reason: str, by: User
) -> ChildProtectionPlan:
    """End a plan. The end date cannot be before its start or its last category change."""
    plan = ChildProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.end_date is not None:
        raise ValidationError("This plan has already ended.")
    last = plan.category_changes.order_by("-changed_on").first()
    if last and end_date < last.changed_on:
        raise ValidationError(
            {
                "end_date": f"The plan cannot end before its category change on {last.changed_on:%d %B %Y}."
            }
        )
    plan.end_date = end_date
    plan.end_reason = reason
    plan.next_review_due_by = None
    return save_with_history(
        plan,
        by=by,
        reason="Plan ended",
        update_fields=["end_date", "end_reason", "next_review_due_by"],
    )
