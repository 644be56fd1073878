"""Review conferences of every plan group: the first within 3 months of the start, each later
one within 6 months of the one before (NI 67, national timescales), all on working days.
Every review is on time except the ten late children of §6.3.1 (see lateness.py)."""

import random
from datetime import date, timedelta

from iro_service.dates import add_working_days

from .calendar import months_after, working_days
from .specs import GroupSpec, ReviewSpec
from .targets import YEAR_END

GAP = timedelta(days=28)  # reviews are at least four weeks apart
EARLY = 35  # days before the due date a review may be booked
# The recovery plan of §6.3.1: from the second review on, reviews are booked at most five
# months apart (a local target; NI 67 keeps the national six months).
RECOVERY_PLAN_FROM = date(2011, 9, 1)


def first_review_due(group: GroupSpec) -> date:
    """Start + 3 months; for a plan made before birth, also within 20 working days of the
    birth (local procedure, stricter than NI 67's national rule)."""
    due = months_after(group.start, 3)
    born = group.first.child.born if group.first.pre_birth and group.first.child else None
    if born and born > group.start:
        due = min(due, add_working_days(born, 20))
    return due


def schedule_reviews(rng: random.Random, group: GroupSpec) -> None:
    """Reviews from the start to the end (or 31 March 2012), each on or before its due date."""
    group.reviews = []
    _extend(rng, group, group.start, first_review_due(group))


def reschedule_after(rng: random.Random, group: GroupSpec, index: int) -> None:
    """Keep reviews up to `index` and plan the rest again from that review."""
    kept = group.reviews[: index + 1]
    group.reviews = kept
    _extend(rng, group, kept[-1].on, months_after(kept[-1].on, 6))


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
        previous, due = held, months_after(held, 6)
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
