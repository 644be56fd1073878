"""Category changes, decided at review conferences and kept as history (§6.2): those of
targets.CHANGES move the monthly stock between categories; a few more, before April 2011,
only explain why an old plan's initial category differs from its category in 2011/12."""

import random
from datetime import date

from .calendar import month_end, month_start, working_days
from .schedule import GAP
from .specs import GroupSpec, ReviewSpec
from .targets import CATEGORIES, CHANGES, YEAR_END, YEAR_START

EARLIER_CHANGES = 24


def change_categories(rng: random.Random, groups: list[GroupSpec]) -> None:
    singles = [g for g in groups if len(g.plans) == 1 and not g.first.cohort]
    rng.shuffle(singles)
    for month, frm, to in CHANGES:
        _change_in_year(singles, month, frm, to)
    old = [g for g in singles if g.first.kind == "old" and not g.first.changes]
    changed = 0
    for group in old:
        review = next((r for r in reversed(group.reviews) if r.on < YEAR_START), None)
        if review and changed < EARLIER_CHANGES:
            plan = group.first
            before = rng.choice([c for c in CATEGORIES if c != plan.category])
            plan.changes = [(review.on, before, plan.category)]
            plan.category = before
            review.changes_category = (before, plan.changes[0][2])
            changed += 1


def _change_in_year(singles: list[GroupSpec], month: int, frm: str, to: str) -> None:
    """A plan still open at 31 March 2012, in `frm` since it started, changed at a review in
    `month` (so the month-end stock moves one plan from `frm` to `to`). If no such plan has a
    review that month, one is brought forward into it."""
    first, last = month_start(month), month_end(month)
    candidates = [
        g
        for g in singles
        if g.first.end is None
        and not g.first.changes
        and g.first.category == frm
        and g.start < first
        and not any(r.late for r in g.reviews)
    ]
    found = [(g, r) for g in candidates for r in g.reviews if first <= r.on <= last]
    if not found:
        found = [(g, _bring_forward(g, first, last)) for g in candidates]
        found = [(g, r) for g, r in found if r]
    if not found:
        raise ValueError(f"no open {frm} plan to change in month {month}")
    group, review = found[0]
    group.first.changes = [(review.on, frm, to)]
    review.changes_category = (frm, to)


def _bring_forward(group: GroupSpec, first: date, last: date) -> ReviewSpec | None:
    points = [group.start] + [r.on for r in group.reviews] + [YEAR_END + GAP]
    for after, before in zip(points, points[1:], strict=False):
        days = working_days(max(first, after + GAP), min(last, before - GAP))
        if days:
            review = ReviewSpec(days[len(days) // 2], days[0], extra=True)
            group.reviews.append(review)
            group.reviews.sort(key=lambda r: r.on)
            return review
    return None
