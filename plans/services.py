"""Writes to child protection plans: start, change category, end; core groups and child
protection visits. Atomic and validated; every change keeps its history."""

from dataclasses import asdict
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from children.models import Child
from conferences.models import Conference
from conferences.rules import next_review_due_by
from iro_service.records import save_with_history
from people.models import User

from . import rules
from .models import CategoryChange, ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

CONTACT_FIELDS = ("first_core_group_due_by", "next_core_group_due_by", "next_visit_due_by")
# An ended plan has no core group or visit due; when its first core group was due stays.
NEXT_CONTACT_FIELDS = ("next_core_group_due_by", "next_visit_due_by")


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
    for name, value in asdict(plan_contact_dates(plan)).items():
        setattr(plan, name, value)
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
    for name in NEXT_CONTACT_FIELDS:
        setattr(plan, name, None)
    return save_with_history(
        plan,
        by=by,
        reason="Plan ended",
        update_fields=["end_date", "end_reason", "next_review_due_by", *NEXT_CONTACT_FIELDS],
    )


# -- core groups and child protection visits (§7.2) ------------------------------------------


def plan_contact_dates(
    plan: ChildProtectionPlan,
    *,
    last_core_group_on: date | None = None,
    last_visit_on: date | None = None,
) -> rules.ContactDates:
    """When the plan's first and next core group and next visit are due, by the authority's
    timescale settings (the one rule, plans.rules.contact_dates)."""
    return rules.contact_dates(
        plan_start=plan.start_date,
        last_core_group_on=last_core_group_on,
        last_visit_on=last_visit_on,
        timescales=settings.IRO_TIMESCALES,
    )


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def _contact_date_errors(plan: ChildProtectionPlan, on: date, *, field: str, noun: str) -> dict:
    """A core group or visit happened on a day of the plan, and not after today."""
    if on > timezone.localdate():
        return {field: f"The date of the {noun} cannot be in the future."}
    if on < plan.start_date:
        return {field: f"The {noun} cannot be before the plan started ({_day(plan.start_date)})."}
    if plan.end_date is not None and on > plan.end_date:
        return {field: f"The {noun} cannot be after the plan ended ({_day(plan.end_date)})."}
    return {}


def _restore_contact_dates(plan: ChildProtectionPlan, *, by: User | None, reason: str) -> None:
    """Store the plan's next core group and visit dates again from what is recorded (in the
    caller's transaction, the plan row locked). An ended plan has none due."""
    if plan.end_date is not None:
        return
    dates = asdict(
        plan_contact_dates(
            plan,
            last_core_group_on=plan.core_groups.aggregate(last=Max("held_on"))["last"],
            last_visit_on=plan.visits.aggregate(last=Max("visited_on"))["last"],
        )
    )
    changed = [name for name in CONTACT_FIELDS if getattr(plan, name) != dates[name]]
    if not changed:
        return
    for name in changed:
        setattr(plan, name, dates[name])
    save_with_history(plan, by=by, reason=reason, update_fields=changed, clean=False)


@transaction.atomic
def core_group_record(
    *, plan: ChildProtectionPlan, held_on: date, attendees: str, note: str = "", by: User
) -> CoreGroupMeeting:
    """Record a core group meeting held on the plan; the plan's next core group is then due
    within a month of the latest one held (plans.rules.next_core_group_due_by)."""
    plan = ChildProtectionPlan.objects.select_for_update().get(pk=plan.pk)
    errors = _contact_date_errors(plan, held_on, field="held_on", noun="core group")
    attendees = (attendees or "").strip()
    if not attendees:
        errors["attendees"] = "Enter who attended the core group."
    if not errors and plan.core_groups.filter(held_on=held_on).exists():
        errors["held_on"] = f"A core group on {_day(held_on)} is already recorded for this plan."
    if errors:
        raise ValidationError(errors)
    meeting = CoreGroupMeeting(
        plan=plan,
        held_on=held_on,
        attendees=attendees,
        note=(note or "").strip(),
        recorded_by=by,
    )
    save_with_history(meeting, by=by, reason="Core group recorded")
    _restore_contact_dates(plan, by=by, reason="Core group recorded")
    return meeting


def _visit_errors(plan, *, visited_on, child_seen, child_seen_alone, visited_by) -> dict:
    errors = _contact_date_errors(plan, visited_on, field="visited_on", noun="visit")
    born = plan.child.date_of_birth
    if child_seen and "visited_on" not in errors and (born is None or born > visited_on):
        errors["child_seen"] = (
            f"{plan.child.first_name} was not born by {_day(visited_on)}, so cannot have been seen."
        )
    if child_seen_alone and not child_seen:
        errors["child_seen_alone"] = "A child who was not seen cannot have been seen alone."
    if not visited_by:
        errors["visited_by"] = "Enter who made the visit."
    duplicate = plan.visits.filter(visited_on=visited_on, visited_by__iexact=visited_by)
    if not errors and duplicate.exists():
        errors["visited_on"] = (
            f"A visit by {visited_by} on {_day(visited_on)} is already recorded for this plan."
        )
    return errors


@transaction.atomic
def visit_record(
    *,
    plan: ChildProtectionPlan,
    visited_on: date,
    child_seen: bool,
    child_seen_alone: bool,
    visited_by: str,
    note: str = "",
    by: User,
) -> ProtectionVisit:
    """Record a child protection visit; the next is then due within 10 working days of the
    latest one (plans.rules.next_visit_due_by)."""
    plan = ChildProtectionPlan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    visited_by = (visited_by or "").strip()
    errors = _visit_errors(
        plan,
        visited_on=visited_on,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        visited_by=visited_by,
    )
    if errors:
        raise ValidationError(errors)
    visit = ProtectionVisit(
        plan=plan,
        visited_on=visited_on,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        visited_by=visited_by,
        note=(note or "").strip(),
        recorded_by=by,
    )
    save_with_history(visit, by=by, reason="Visit recorded")
    _restore_contact_dates(plan, by=by, reason="Visit recorded")
    return visit


RECOMPUTE_BATCH = 500


@transaction.atomic
def plans_recompute_contact_deadlines(*, as_at: datetime | None = None) -> int:
    """Store every open plan's core group and visit dates again from what is recorded and the
    timescale settings; clear those left on ended plans. For after a setting changes, or data
    written without the services (the generators, an import). Three queries to read, and one
    bulk update with its history rows per batch: no query per plan. Returns how many changed.
    `as_at` dates the change (the generators date it on their last day), else now."""
    open_plan = Q(plan__end_date__isnull=True)
    last_core_group = dict(
        CoreGroupMeeting.objects.filter(open_plan)
        .order_by()
        .values_list("plan")
        .annotate(last=Max("held_on"))
    )
    last_visit = dict(
        ProtectionVisit.objects.filter(open_plan)
        .order_by()
        .values_list("plan")
        .annotate(last=Max("visited_on"))
    )
    plans = ChildProtectionPlan.objects.filter(
        Q(end_date__isnull=True)
        | Q(next_core_group_due_by__isnull=False)
        | Q(next_visit_due_by__isnull=False)
    ).order_by("pk")
    now, changed = as_at or timezone.now(), []
    for plan in plans.iterator(chunk_size=2000):
        if plan.end_date is None:
            values = asdict(
                plan_contact_dates(
                    plan,
                    last_core_group_on=last_core_group.get(plan.pk),
                    last_visit_on=last_visit.get(plan.pk),
                )
            )
        else:
            values = dict.fromkeys(NEXT_CONTACT_FIELDS)
        if any(getattr(plan, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(plan, name, value)
            plan.updated_at = now
            changed.append(plan)
    if not changed:
        return 0
    bulk_update_with_history(
        changed,
        ChildProtectionPlan,
        [*CONTACT_FIELDS, "updated_at"],
        batch_size=RECOMPUTE_BATCH,
        default_change_reason="Core group and visit dates recomputed",
        default_date=now,
    )
    return len(changed)
