"""Bring the review conferences held to the published 2,067, with 780 conferences of every
kind held from January to March 2012 (174 QA forms are 22.3% of them, §7.2).

The schedules of schedule.py hold a few hundred reviews fewer. The difference is made up with
early reviews (a conference brought forward, as the recovery plan of §6.3.1 did), added in the
longest gaps between a plan's conferences first. An early review never makes a later one
late: it only moves the next due date closer to a review already booked before it."""

from datetime import date, timedelta

from .calendar import working_days
from .schedule import first_review_due, national_due, reviews_in
from .specs import GroupSpec, ReviewSpec
from .targets import (
    CONFERENCES_IN_QA_QUARTER,
    QA_FROM,
    REVIEW_CONFERENCES,
    YEAR_END,
    YEAR_START,
)

MARGIN = timedelta(days=35)  # an early review is at least five weeks from its neighbours


def review_targets(groups: list[GroupSpec], no_plan_dates: list[date]) -> dict:
    """How many reviews must be held before and from 1 January 2012."""
    initial = sum(1 for g in groups if g.first.kind == "new" and g.start >= QA_FROM)
    initial += sum(1 for day in no_plan_dates if day >= QA_FROM)
    quarter = CONFERENCES_IN_QA_QUARTER - initial
    return {"quarter": quarter, "before": REVIEW_CONFERENCES - quarter}


def add_early_reviews(groups: list[GroupSpec], targets: dict) -> None:
    windows = {
        "before": (YEAR_START, QA_FROM - timedelta(days=1)),
        "quarter": (QA_FROM, YEAR_END),
    }
    for name, (first, last) in windows.items():
        missing = targets[name] - reviews_in(groups, first, last)
        if missing < 0:
            raise ValueError(f"{-missing} reviews too many {first} to {last}")
        gaps = sorted(_gaps(groups, first, last), key=lambda g: (-g[0], g[1].key, g[2]))
        if len(gaps) < missing:
            raise ValueError(f"only {len(gaps)} gaps for {missing} early reviews")
        for _, group, day in gaps[:missing]:
            group.reviews.append(ReviewSpec(day, day, extra=True))
            group.reviews.sort(key=lambda r: r.on)


def _gaps(groups: list[GroupSpec], first: date, last: date) -> list:
    """(length, group, day) for each gap in which an early review fits; one per group."""
    found = []
    for group in groups:
        best = None
        for after, before in _segments(group):
            day = _middle(after + MARGIN, before - MARGIN, first, last)
            length = (before - after).days
            if day and (best is None or length > best[0]):
                best = (length, group, day)
        if best:
            found.append(best)
    return found


def _segments(group: GroupSpec):
    points = [group.start] + [r.on for r in group.reviews]
    lates = {r.on for r in group.reviews if r.late}
    for after, before in zip(points, points[1:], strict=False):
        if before not in lates:
            yield after, before
    if group.end is None:
        yield points[-1], YEAR_END + MARGIN
    elif not group.first.ends_at_review:
        yield points[-1], group.end


def _middle(earliest: date, latest: date, first: date, last: date) -> date | None:
    days = working_days(max(earliest, first), min(latest, last))
    return days[len(days) // 2] if days else None


def set_due_dates(groups: list[GroupSpec]) -> None:
    """Each review's national due date (NI 67): start + 3 months, then previous + 6 months.
    Checks that only the reviews made late on purpose are late."""
    for group in groups:
        for index, review in enumerate(group.reviews):
            review.due = due = national_due(group, index)
            assert review.late == (review.on > due), (group.key, review.on, due)
        local_due = first_review_due(group)
        assert not group.reviews or group.reviews[0].late or group.reviews[0].on <= local_due
