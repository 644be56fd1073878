"""The import's date rules. Pure functions: dates in, dates out (no ORM, no clock).

The statutory dates themselves come from conferences.rules, as for every other door: the
import only adapts the census's values to them."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings

from conferences import rules as conference_rules


def discussed_on(*, target: date | None, started: date, working_days: int) -> date:
    """The strategy discussion an InitialCPCtarget was counted from (the rule's inverse,
    conferences.rules.strategy_discussion_for_target). Without a target, the day the enquiry
    began."""
    if target is None:
        return started
    return conference_rules.strategy_discussion_for_target(
        target=target, started_on=started, working_days=working_days
    )


def change_date(plan, reviews: list[date], reference: date) -> date:
    """When a latest category that differs from the initial one is recorded as changing: the
    plan's last review on or before the census date or its end, else its start (issue 4)."""
    cutoff = plan.end if plan.end is not None and plan.end <= reference else reference
    held = [on for on in reviews if plan.start < on <= cutoff]
    return max(held) if held else plan.start


def next_review_due(
    *,
    start: date,
    pre_birth: bool,
    born: date | None,
    reviews: Iterable[date],
    timescales: Mapping[str, int] | None = None,
) -> date:
    """conferences.rules.next_review_due_by for a plan read from the census: as
    plans.services.plan_next_review_due, from values rather than a saved plan."""
    return conference_rules.next_review_due_by(
        plan_start=start,
        reviews_held=reviews,
        timescales=timescales or settings.IRO_TIMESCALES,
        born_on=born if pre_birth else None,
    )
