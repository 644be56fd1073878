"""Households and children of the plan groups, each household's district (fixed by the
per-district NI 64 figures of §6.3.2) and the IRO it is allocated to (the caseloads of §5.4)."""

import random

from .calendar import month_end, month_start, working_days
from .flows import MONTHS, apportion
from .specs import ChildSpec, GroupSpec, HouseholdSpec
from .staff import CASELOAD_POSTS, in_post
from .targets import (
    CASELOADS,
    DISTRICT_WEIGHTS,
    ENDED_BY_DISTRICT,
    INITIAL_CONFERENCES,
    RIBBLE_VALLEY_UNDER_A_YEAR,
    STARTS,
    YEAR_END,
    YEAR_START,
)

RIBBLE_VALLEY = "ribble-valley"


class Households:
    """Every household and child of the sample, numbered in the order they are made."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.households: list[HouseholdSpec] = []
        self.children: list[ChildSpec] = []

    def new_household(self) -> HouseholdSpec:
        household = HouseholdSpec(len(self.households) + 1)
        self.households.append(household)
        return household

    def new_child(self, household: HouseholdSpec) -> ChildSpec:
        child = ChildSpec(len(self.children) + 1, household=household)
        self.children.append(child)
        household.children.append(child)
        return child

    def for_groups(self, groups: list[GroupSpec]) -> None:
        """One household per group; a repeat plan's group joins its earlier plan's household
        and child."""
        for group in sorted(groups, key=lambda g: (g.start, g.key)):
            earlier = group.first.follows
            if earlier:
                group.household = earlier.group.household
                group.first.child = earlier.child
            else:
                group.household = self.new_household()
                for plan in group.plans:
                    plan.child = self.new_child(group.household)
            group.household.groups.append(group)

    def no_plan_households(self, groups: list[GroupSpec]) -> None:
        """Initial conferences that made no plan: the rest of the 854 held in the year,
        spread over the months like the conferences that did."""
        started = sum(1 for g in groups if g.first.kind == "new")
        months = {m: STARTS[m - 1] for m in MONTHS}
        for month, count in apportion(INITIAL_CONFERENCES - started, months).items():
            days = working_days(month_start(month), month_end(month))
            for _ in range(count):
                household = self.new_household()
                household.no_plan_on = self.rng.choice(days)
                for _ in range(self.rng.choices((1, 2, 3), weights=(70, 22, 8))[0]):
                    self.new_child(household)

    def assign_districts(self) -> None:
        with_ended = [h for h in self.households if _ended(h)]
        quota = {code: list(counts) for code, counts in ENDED_BY_DISTRICT.items()}
        self._ribble_valley(with_ended, quota)
        # Alike households one after another, each to the district with most of its quota
        # left, so that every district gets its share of each duration band.
        ordered = sorted(with_ended, key=lambda h: (-_ni64(h), -_ended(h), _band(h), h.key))
        for household in ordered:
            if not household.district:
                household.district = _fit(household, quota)
        assert all(counts == [0, 0] for counts in quota.values()), quota
        codes, weights = list(DISTRICT_WEIGHTS), list(DISTRICT_WEIGHTS.values())
        for household in self.households:
            if not household.district:
                household.district = self.rng.choices(codes, weights=weights)[0]

    def _ribble_valley(self, with_ended: list, quota: dict) -> None:
        """Twelve plans ended in Ribble Valley, five of them under a year (§6.3.3)."""
        singles = [h for h in with_ended if _ended(h) == 1 and len(h.groups) == 1]
        short = [h for h in singles if h.groups[0].first.band in "ABC"]
        long = [h for h in singles if h.groups[0].first.band == "D"]
        ended = quota[RIBBLE_VALLEY][0]
        for household in (
            short[:RIBBLE_VALLEY_UNDER_A_YEAR] + long[: ended - RIBBLE_VALLEY_UNDER_A_YEAR]
        ):
            household.district = RIBBLE_VALLEY
        quota[RIBBLE_VALLEY] = [0, 0]

    def allocate_iros(self) -> None:
        """Households with a plan open at 31 March 2012 go to the six IROs holding caseloads,
        to exactly the caseloads published; the others to whoever was in post at the time."""
        room = dict(zip(CASELOAD_POSTS, CASELOADS, strict=True))
        open_now = sorted(
            (h for h in self.households if _open_children(h)),
            key=lambda h: (-_open_children(h), h.key),
        )
        for household in open_now:
            size = _open_children(household)
            post = max((p for p in room if room[p] >= size), key=lambda p: (room[p], p))
            room[post] -= size
            household.chair = post
        assert not any(room.values()), room
        for household in self.households:
            if not household.chair:
                household.chair = self._someone_in_post(_last_day(household))

    def _someone_in_post(self, day) -> str:
        posts = in_post(day)
        return self.rng.choices([p.label for p in posts], weights=[p.weight for p in posts])[0]


def _ended(household: HouseholdSpec) -> int:
    return sum(
        1 for g in household.groups for p in g.plans if p.end and YEAR_START <= p.end <= YEAR_END
    )


def _ni64(household: HouseholdSpec) -> int:
    return sum(1 for g in household.groups for p in g.plans if p.cohort == "ni64")


def _open_children(household: HouseholdSpec) -> int:
    return sum(1 for g in household.groups for p in g.plans if p.end is None)


def _last_day(household: HouseholdSpec):
    if not household.groups:
        return household.no_plan_on or household.referred_on
    group = household.groups[-1]
    return min(group.end or YEAR_END, YEAR_END)


def _band(household: HouseholdSpec) -> str:
    return household.groups[0].first.band or "Z"


def _fit(household: HouseholdSpec, quota: dict) -> str:
    """The district with the largest share of its quota left that the household fits in."""
    ended, ni64 = _ended(household), _ni64(household)
    fits = [
        code
        for code, (left, left_ni64) in quota.items()
        if left >= ended and left_ni64 >= ni64 and (ni64 or left - left_ni64 >= ended)
    ]
    if not fits:
        raise ValueError(f"no district fits a household with {ended} ended, {ni64} NI 64")

    def share_left(code: str) -> tuple:
        total, total_ni64 = ENDED_BY_DISTRICT[code]
        if ni64:
            return (quota[code][1] / total_ni64, code)
        return ((quota[code][0] - quota[code][1]) / (total - total_ni64), code)

    code = max(fits, key=share_left)
    quota[code][0] -= ended
    quota[code][1] -= ni64
    return code
