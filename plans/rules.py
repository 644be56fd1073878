"""Statutory timescales of a child protection plan. Pure functions: dates in, dates out.

Sources: Working Together to Safeguard Children; indicators.md (NI 64, NI 67, durations);
domain.md (timescales table). Months are calendar months via dateutil; working days exclude
weekends and England and Wales bank holidays.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from iro_service.dates import add_months, add_working_days

# An open plan's end, where a stored value or an index needs a date that sorts after every
# real one: a stored review's plan_open_until, the plans' plan_open_until index.
OPEN_UNTIL = date(9999, 12, 31)
# The national review timescales (NI 67 always counts by them, whatever stricter local
# settings the service books to): the first review within 3 months of the plan's start, each
# later one within 6 months of the previous review.
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
# The district managers' list of repeat plans looks back over the plans started in the last
# 12 months (§6.3.4).
REPEAT_PLANS_LIST_MONTHS = 12


def first_review_due_by(
    *,
    plan_start: date,
    months: int = FIRST_REVIEW_MONTHS,
    born_on: date | None = None,
    pre_birth_working_days: int | None = None,
) -> date:
    """First review within 3 calendar months of the initial conference (national guidance).

    For a plan made before birth, local procedures also require it within
    `pre_birth_working_days` working days of the birth, whichever is sooner.
    """
    due = add_months(plan_start, months)
    if born_on is not None and pre_birth_working_days is not None:
        due = min(due, add_working_days(born_on, pre_birth_working_days))
    return due


def later_review_due_by(*, previous_review_on: date, months: int = LATER_REVIEW_MONTHS) -> date:
    """Each later review within 6 calendar months of the one before (national guidance)."""
    return add_months(previous_review_on, months)


def review_was_on_time(*, held_on: date, due_by: date) -> bool:
    """'Within' is inclusive: a review held on its due date is on time; a day later is late."""
    return held_on <= due_by


def lasted_at_least(*, start: date, end: date, months: int) -> bool:
    """'Lasted at least N months' means start + N months <= end (indicators.md)."""
    return add_months(start, months) <= end


def duration_band(*, start: date, end: date) -> str:
    """Duration band of a plan that ended (§6.3.3): A <3m, B <6m, C <1y, D <2y, E <3y, F 3y+."""
    for band, months in (("A", 3), ("B", 6), ("C", 12), ("D", 24), ("E", 36)):
        if not lasted_at_least(start=start, end=end, months=months):
            return band
    return "F"


def first_core_group_due_by(*, plan_start: date, working_days: int = 10) -> date:
    """First core group within 10 working days of the initial conference."""
    return add_working_days(plan_start, working_days)


def next_core_group_due_by(
    *,
    plan_start: date,
    last_held_on: date | None,
    first_working_days: int = 10,
    interval_months: int = 1,
) -> date:
    """The next core group: the first within 10 working days of the initial conference, then
    each within a calendar month of the last one held (Working Together; §7.2). A month from
    31 January is 28 February (29 in a leap year): add_months clamps at the month's end."""
    if last_held_on is None:
        return first_core_group_due_by(plan_start=plan_start, working_days=first_working_days)
    return add_months(last_held_on, interval_months)


def next_visit_due_by(
    *, plan_start: date, last_visit_on: date | None, working_days: int = 10
) -> date:
    """The next child protection visit: within 10 working days of the last one, or of the plan
    starting when none has been made yet (local procedures; §7.2, a setting)."""
    return add_working_days(last_visit_on or plan_start, working_days)


@dataclass(frozen=True)
class ContactDates:
    """The three dates a plan stores for its core groups and visits."""

    first_core_group_due_by: date
    next_core_group_due_by: date
    next_visit_due_by: date


def contact_dates(
    *,
    plan_start: date,
    last_core_group_on: date | None,
    last_visit_on: date | None,
    timescales: Mapping[str, int],
) -> ContactDates:
    """A plan's core group and visit dates under the authority's timescale settings
    (FIRST_CORE_GROUP_WORKING_DAYS, CORE_GROUP_INTERVAL_MONTHS, CP_VISIT_WORKING_DAYS)."""
    first_days = timescales["FIRST_CORE_GROUP_WORKING_DAYS"]
    return ContactDates(
        first_core_group_due_by=first_core_group_due_by(
            plan_start=plan_start, working_days=first_days
        ),
        next_core_group_due_by=next_core_group_due_by(
            plan_start=plan_start,
            last_held_on=last_core_group_on,
            first_working_days=first_days,
            interval_months=timescales["CORE_GROUP_INTERVAL_MONTHS"],
        ),
        next_visit_due_by=next_visit_due_by(
            plan_start=plan_start,
            last_visit_on=last_visit_on,
            working_days=timescales["CP_VISIT_WORKING_DAYS"],
        ),
    )


def repeat_plans_list_starts_after(on: date) -> date:
    """The repeat plans list as at a date holds plans started after this date, up to `on`."""
    return add_months(on, -REPEAT_PLANS_LIST_MONTHS)
