"""Review conferences of every plan group: the first within 3 months of the start, each later
one within 6 months of the one before (NI 67, national timescales), all on working days.
Every review is on time except the ten late children of §6.3.1 (see lateness.py).

The due dates come from the rules (conferences.rules, plans.rules) with the timescales of
2011/12 (targets.TIMESCALES_2011_12): they decide when the sample's reviews were held."""

import random
from datetime import date, timedelta

from conferences import rules as conference_rules
from plans import rules as plan_rules

from .calendar import months_after, working_days
from .specs import GroupSpec, ReviewSpec
from .targets import TIMESCALES_2011_12, YEAR_END

GAP = timedelta(days=28)  # reviews are at least four weeks apart
EARLY = 35  # days before the due date a review may be booked
# The recovery plan of §6.3.1: from the second review on, reviews are booked at most five
# months apart (a local target; NI 67 keeps the national six months).
RECOVERY_PLAN_FROM = date(2011, 9, 1)


def first_review_due(group: GroupSpec) -> date:
    """Start + 3 months; for a plan made before birth, also within 20 working days of the
    birth (local procedure, stricter than NI 67's national rule)."""
    born = group.first.child.born if group.first.pre_birth and group.first.child else None
    return conference_rules.next_review_due_by(
        plan_start=group.start, reviews_held=(), timescales=TIMESCALES_2011_12, born_on=born
    )


def later_review_due(previous: date) -> date:
    """The previous review + 6 months (NI 67's national rule, as in 2011/12)."""
    months = TIMESCALES_2011_12["LATER_REVIEW_MONTHS"]
    return plan_rules.later_review_due_by(previous_review_on=previous, months=months)


def national_due(group: GroupSpec, index: int) -> date:
    """NI 67's due date of the group's review `index`: start + 3 months, then the previous
    review + 6 months (no pre-birth rule: NI 67 is national)."""
    if index == 0:
        months = TIMESCALES_2011_12["FIRST_REVIEW_MONTHS"]
        return plan_rules.first_review_due_by(plan_start=group.start, months=months)
    return later_review_due(group.reviews[index - 1].on)


def schedule_reviews(rng: random.Random, group: GroupSpec) -> None:
    """Reviews from the start to the end (or 31 March 2012), each on or before its due date."""
    group.reviews = []
    _extend(rng, group, group.start, first_review_due(group))


def reschedule_after(rng: random.Random, group: GroupSpec, index: int) -> None:
    """Keep reviews up to `index` and plan the rest again from that review."""
    kept = group.reviews[: index + 1]
    group.reviews = kept
    _extend(rng, group, kept[-1].on, later_review_due(kept[-1].on))


def _extend(rng: random.Random, group: GroupSpec, previous: date, due: date) -> None:
    """Reviews of an open plan are planned past 31 March 2012 as a booking clerk would (a
    review due in April may be held in March) and those after the 31st dropped."""
    plan, end = group.first, group.end
    horizon = end or YEAR_END + timedelta(days=EARLY)
    while due < horizon or (end is None and due <= YEAR_END):
        target = _booking_target(group, previous, due)
        latest = min(target, _latest(plan, end))
        earliest = max(previous + GAP, target - timedelta(days=rng.randint(0, EARLY)))
        days = working_days(earliest, latest) or working_days(previous + GAP, latest)
        held = rng.choice(days)
        group.reviews.append(ReviewSpec(held, due))
        previous, due = held, later_review_due(held)
    if end is not None and plan.ends_at_review:
        group.reviews.append(ReviewSpec(end, due, ceasing=True))
    group.reviews = [review for review in group.reviews if review.on <= YEAR_END]


def _booking_target(group: GroupSpec, previous: date, due: date) -> date:
    if group.reviews and previous >= RECOVERY_PLAN_FROM:
        return min(due, months_after(previous, 5))
    return due


def _latest(plan, end: date | None) -> date:
    if end is None:
        return YEAR_END
    return end - (GAP if plan.ends_at_review else timedelta(days=1))


def reviews_in(groups: list[GroupSpec], first: date, last: date) -> int:
    return sum(1 for g in groups for r in g.reviews if first <= r.on <= last)
