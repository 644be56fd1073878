"""Sibling groups: plans of one household's children that start at the same conference and
are reviewed and ended together. Siblings are made from plans with the same kind, months,
band and category, so the monthly flows and bands do not change."""

import random
from collections import defaultdict

from .calendar import month_of
from .specs import GroupSpec, PlanSpec

# (kind, open at 31 March 2012?) -> (pairs, triples)
SIBLINGS = {
    ("new", False): (14, 1),
    ("new", True): (26, 4),
    ("old", False): (40, 5),
    ("old", True): (14, 2),
}
# The long-open cohort (§6.3.2) in households: (ethnicity, category, children).
LONG_OPEN_HOUSEHOLDS = (("MWAS", "NEG", 3), ("MWAS", "EMO", 2), ("APKN", "NEG", 2))
LONG_OPEN_HOUSEHOLDS += (("WBRI", "NEG", 2),) + (("WBRI", "NEG", 1),) * 7
LONG_OPEN_HOUSEHOLDS += (("WBRI", "EMO", 1),) * 4 + (("MWBC", "NEG", 1), ("WOTH", "EMO", 1))


def group_plans(rng: random.Random, plans: list[PlanSpec]) -> list[GroupSpec]:
    groups = _long_open_groups([p for p in plans if p.cohort == "long_open"])
    others = [p for p in plans if p.cohort != "long_open"]
    for (kind, is_open), (pairs, triples) in SIBLINGS.items():
        pool = [p for p in others if p.kind == kind and (p.end is None) == is_open]
        groups += _siblings(rng, pool, pairs, triples)
    for index, group in enumerate(groups):
        group.key = index
        for plan in group.plans:
            plan.group = group
    return groups


def _bucket_key(plan: PlanSpec) -> tuple:
    start = month_of(plan.start) if plan.kind == "new" else plan.start.year
    end = month_of(plan.end) if plan.end else None
    return (start, end, plan.band, plan.category, plan.cohort)


def _siblings(rng: random.Random, pool: list[PlanSpec], pairs: int, triples: int) -> list:
    buckets = defaultdict(list)
    for plan in pool:
        buckets[_bucket_key(plan)].append(plan)
    keys = sorted(buckets, key=str)
    rng.shuffle(keys)
    groups, wanted = [], [3] * triples + [2] * pairs
    for key in keys:
        bucket = buckets[key]
        while wanted and len(bucket) >= wanted[0]:
            size = wanted.pop(0)
            members, bucket[:] = bucket[:size], bucket[size:]
            groups.append(_together(members))
        groups += [GroupSpec(0, [plan]) for plan in bucket]
    assert not wanted, f"too few alike plans for siblings: {wanted}"
    return groups


def _together(members: list[PlanSpec]) -> GroupSpec:
    first = members[0]
    for plan in members[1:]:
        plan.start, plan.end, plan.band = first.start, first.end, first.band
    return GroupSpec(0, members)


def _long_open_groups(cohort: list[PlanSpec]) -> list[GroupSpec]:
    """The 22 plans open two years or more: households as in LONG_OPEN_HOUSEHOLDS."""
    by_category = defaultdict(list)
    for plan in cohort:
        by_category[plan.category].append(plan)
    groups = []
    for ethnicity, category, size in LONG_OPEN_HOUSEHOLDS:
        members = [by_category[category].pop() for _ in range(size)]
        group = _together(members)
        group.ethnicity = ethnicity
        groups.append(group)
    assert not any(by_category.values())
    return groups
