"""The ten children whose review was late in 2011/12 (§6.3.1), and the other adjournments.

Three conferences were booked late in error (one child 4 days late, a sibling pair 15 days,
one child 9 days) and six were rearranged after the original date (report not available,
the family's social worker absent, the IRO's car broken down, more information needed, not
quorate). Each reconvened within 28 days. Every other adjourned review was still held by its
due date, so it is not late."""

import random
from datetime import date, timedelta

from .calendar import month_end, month_start, working_days
from .schedule import GAP, national_due, reschedule_after
from .specs import GroupSpec, ReviewSpec
from .targets import LATE_BY_ERROR, LATE_REARRANGED

LATE_FROM, LATE_UNTIL = date(2011, 5, 1), date(2012, 1, 31)
# Adjournments that did not make a review late: (month, reason, status), April first.
ON_TIME_ADJOURNMENTS = (
    (1, "family_illness", "rearranged"),
    (2, "parent_did_not_attend", "adjourned"),
    (3, "interpreter", "rearranged"),
    (4, "professional_unavailable", "rearranged"),
    (5, "family_illness", "rearranged"),
    (5, "venue_unavailable", "rearranged"),
    (6, "report_not_available", "adjourned"),
    (7, "parent_did_not_attend", "adjourned"),
    (8, "family_illness", "rearranged"),
    (8, "not_quorate", "adjourned"),
    (9, "professional_unavailable", "rearranged"),
    (10, "interpreter", "rearranged"),
    (10, "family_illness", "rearranged"),
    (11, "report_not_available", "adjourned"),
    (11, "parent_did_not_attend", "adjourned"),
    (12, "professional_unavailable", "rearranged"),
)
INITIAL_ADJOURNMENTS = ((2, "interpreter"), (6, "family_illness"), (9, "parent_did_not_attend"))
INITIAL_ADJOURNMENTS += ((11, "professional_unavailable"),)


def make_reviews_late(rng: random.Random, groups: list[GroupSpec]) -> None:
    candidates = [
        g for g in groups if g.end is None and not g.first.cohort and g.first.kind in ("new", "old")
    ]
    rng.shuffle(candidates)
    used = set()
    for days, children in LATE_BY_ERROR:
        _late(rng, candidates, used, days, children, delay_reason="admin_error")
    for reason, days in LATE_REARRANGED:
        _late(rng, candidates, used, days, 1, rearranged_reason=reason)


def _late(rng, candidates, used, days, children, *, delay_reason="", rearranged_reason=""):
    for group in candidates:
        if group.key in used or len(group.plans) != children:
            continue
        for index, review in enumerate(group.reviews):
            due = national_due(group, index)
            held = due + timedelta(days=days)
            if not (LATE_FROM <= review.on <= LATE_UNTIL) or review.ceasing:
                continue
            if not working_days(held, held):
                continue
            original = _original_date(group, index, due)
            if rearranged_reason and original is None:
                continue
            group.reviews[index] = ReviewSpec(held, due, delay_reason, late=True)
            if rearranged_reason:
                group.reviews[index].rearranged_from = (original, rearranged_reason, "rearranged")
            reschedule_after(rng, group, index)
            used.add(group.key)
            return
    raise ValueError(f"no plan group for a review {days} days late")


def _original_date(group: GroupSpec, index: int, due: date) -> date | None:
    previous = group.reviews[index - 1].on if index else group.start
    days = working_days(max(previous + GAP, due - timedelta(days=6)), due)
    return days[-1] if days else None


def adjourn_others(rng: random.Random, groups: list[GroupSpec]) -> None:
    """Reviews first booked a week or two earlier and adjourned or rearranged, none of them
    late."""
    for month, reason, status in ON_TIME_ADJOURNMENTS:
        review, previous = _review_in(rng, groups, month)
        days = working_days(
            max(previous + GAP, review.on - timedelta(days=14)), review.on - timedelta(days=5)
        )
        review.rearranged_from = (rng.choice(days), reason, status)


def adjourn_initials(rng: random.Random, groups: list[GroupSpec]) -> None:
    """A few initial conferences adjourned a week or so before they were held (their strategy
    discussions are timed from the first booking, see meetings.py)."""
    for month, reason in INITIAL_ADJOURNMENTS:
        group = rng.choice(
            [
                g
                for g in groups
                if g.first.kind == "new"
                and month_start(month) <= g.start <= month_end(month)
                and not g.adjourned_initial
            ]
        )
        days = working_days(group.start - timedelta(days=12), group.start - timedelta(days=5))
        group.adjourned_initial = (rng.choice(days), reason)


def _review_in(rng, groups, month):
    first, last = month_start(month), month_end(month)
    options = []
    for group in groups:
        for index, review in enumerate(group.reviews):
            previous = group.reviews[index - 1].on if index else group.start
            if (
                first <= review.on <= last
                and not review.late
                and not review.rearranged_from
                and (review.on - previous).days >= 45
            ):
                options.append((review, previous))
    return rng.choice(options)
