"""NI 65: 78 of the 720 plans started in the year are repeat plans (10.8%). Twenty children
come back within the year after a plan ceased ("revolving door", §6.3.3), thirty had a plan
that ended before April 2011, and 28 plans carry an imported NumberOfPreviousCPP."""

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .calendar import working_days
from .specs import GroupSpec, PlanSpec
from .targets import REPEATS_ENDED_BEFORE, REPEATS_ENDED_IN_YEAR, REPEATS_IMPORTED

HISTORIC_LATEST_END = date(2011, 2, 28)
COMEBACK_GAP = timedelta(days=30)


def _single(group: GroupSpec) -> bool:
    return len(group.plans) == 1 and not group.first.cohort and not group.first.pre_birth


def link_repeats(rng: random.Random, groups: list[GroupSpec]) -> list[GroupSpec]:
    """Mark the repeat plans; return the historic groups this adds (plans ended before
    the year)."""
    new_singles = [g for g in groups if g.first.kind == "new" and _single(g)]
    rng.shuffle(new_singles)
    used = set()
    _revolving_door(rng, groups, new_singles, used)
    historic = [
        _historic_before(rng, g, len(groups) + i)
        for i, g in enumerate(_take(new_singles, used, REPEATS_ENDED_BEFORE))
    ]
    for group in _take(new_singles, used, REPEATS_IMPORTED):
        group.first.previous_plans = rng.choice((1, 1, 1, 2))
    return historic


def _take(pool: list[GroupSpec], used: set, count: int) -> list[GroupSpec]:
    taken = [g for g in pool if g.key not in used][:count]
    assert len(taken) == count
    used.update(g.key for g in taken)
    return taken


def _revolving_door(rng, groups, new_singles, used) -> None:
    earlier = [
        g for g in groups if _single(g) and g.end and g.first.end_reason == "no_longer_at_risk"
    ]
    rng.shuffle(earlier)
    linked = 0
    for before in earlier:
        if linked == REPEATS_ENDED_IN_YEAR:
            return
        later = next(
            (
                g
                for g in new_singles
                if g.key not in used
                and g.key != before.key
                and g.start >= before.end + COMEBACK_GAP
            ),
            None,
        )
        if later and before.key not in used:
            used.update((before.key, later.key))
            later.first.follows = before.first
            linked += 1
    assert linked == REPEATS_ENDED_IN_YEAR, linked


def _historic_before(rng: random.Random, group: GroupSpec, key: int) -> GroupSpec:
    """An earlier plan of the same child, ended at a review before 1 April 2011."""
    gap = relativedelta(months=rng.randint(6, 40))
    end_days = working_days(date(2008, 1, 1), min(group.start - gap, HISTORIC_LATEST_END))
    end = rng.choice(end_days)
    start = rng.choice(working_days(end - relativedelta(months=18), end - relativedelta(months=4)))
    plan = PlanSpec(
        -key,
        "historic",
        rng.choice(("NEG", "NEG", "EMO", "PHY")),
        start,
        end,
        end_reason="no_longer_at_risk",
        ends_at_review=True,
    )
    historic = GroupSpec(key, [plan])
    plan.group = historic
    group.first.follows = plan
    return historic
