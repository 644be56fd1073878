"""The import's date rules. Pure functions: dates in, dates out (no ORM, no clock)."""

from datetime import date, timedelta

from django.conf import settings

from iro_service.dates import is_working_day
from plans import rules as plan_rules


def discussed_on(*, target: date | None, started: date, working_days: int) -> date:
    """The strategy discussion an InitialCPCtarget was counted from: `working_days` working
    days before it (conferences.rules.initial_conference_due_by backwards), never after the
    enquiry began. Without a target, the day the enquiry began."""
    if target is None:
        return started
    day, counted = target, 0
    while counted < working_days:
        day -= timedelta(days=1)
        counted += is_working_day(day)
    return min(day, started)


def change_date(plan, reviews: list[date], reference: date) -> date:
    """When a latest category that differs from the initial one is recorded as changing: the
    plan's last review on or before the census date or its end, else its start (issue 4)."""
    cutoff = plan.end if plan.end is not None and plan.end <= reference else reference
    held = [on for on in reviews if plan.start < on <= cutoff]
    return max(held) if held else plan.start


def next_review_due(
    *, start: date, pre_birth: bool, born: date | None, reviews, timescales: dict | None = None
) -> date:
    """As plans.services.plan_next_review_due, from values rather than a saved plan."""
    timescales = timescales or settings.IRO_TIMESCALES
    last = max((on for on in reviews if on > start), default=None)
    if last is not None:
        return plan_rules.later_review_due_by(
            previous_review_on=last, months=timescales["LATER_REVIEW_MONTHS"]
        )
    return plan_rules.first_review_due_by(
        plan_start=start,
        months=timescales["FIRST_REVIEW_MONTHS"],
        born_on=born if pre_birth and born and born > start else None,
        pre_birth_working_days=timescales["PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS"],
    )
