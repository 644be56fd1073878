"""Each child's date of birth, gender, ethnicity and name. Ages follow the published NI 64
and long-plan profiles (§6.3.2) where those fix them, and a plausible spread otherwise; an
unborn baby at a pre-birth conference gets an expected date and, once born, a birth date."""

import random
from datetime import date, timedelta

from .calendar import born_for_age
from .names import STREETS, family_name, given_name
from .specs import ChildSpec, HouseholdSpec, PlanSpec
from .targets import NI64_AGES, NI64_OTHER_ETHNICITY, YEAR_END

# Age at the start of a plan (or at a conference): weights for 0 to 17.
AGE_WEIGHTS = (14, 8, 7, 7, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 2, 1)
PRE_BIRTH_SHARE = {"new": 0.07, "old": 0.03}
ETHNICITY_WEIGHTS = {
    "default": {"WBRI": 88, "WOTH": 2, "WIRI": 1, "MWBC": 2, "MWAS": 1.5, "MOTH": 1.5,
                "APKN": 2, "AIND": 1, "BAFR": 0.5, "CHNE": 0.3, "OOTH": 0.2},
    "east": {"WBRI": 76, "APKN": 12, "ABAN": 2, "MWAS": 3, "MOTH": 2, "MWBC": 1, "WOTH": 2,
             "AIND": 1, "WROM": 1},
    "preston": {"WBRI": 72, "AIND": 8, "APKN": 6, "MWBC": 3, "MWAS": 2, "MOTH": 2, "WOTH": 3,
                "BAFR": 2, "BCRB": 1, "OOTH": 1},
}  # fmt: skip
EAST = {"burnley", "pendle", "hyndburn"}
POSTCODES = {
    "lancaster": "LA1", "preston": "PR1", "chorley": "PR7", "south-ribble": "PR25",
    "west-lancashire": "WN8", "burnley": "BB11", "pendle": "BB9", "ribble-valley": "BB7",
    "hyndburn": "BB5",
}  # fmt: skip


def plans_by_child(households: list[HouseholdSpec]) -> dict[int, list[PlanSpec]]:
    result = {}
    for household in households:
        for group in household.groups:
            for plan in group.plans:
                result.setdefault(plan.child.key, []).append(plan)
    return result


def describe(rng: random.Random, households: list[HouseholdSpec]) -> None:
    by_child = plans_by_child(households)
    _mark_pre_birth(rng, households)
    ni64_ages = list(NI64_AGES)
    rng.shuffle(ni64_ages)
    other_mixed = _ni64_other_household(rng, households)
    for household in households:
        household.ethnicity = _ethnicity(rng, household, other_mixed)
        household.last_name = family_name(rng, household.ethnicity)
        for child in household.children:
            plans = sorted(by_child.get(child.key, []), key=lambda p: p.start)
            _birth(rng, child, plans, household, ni64_ages)
            _person(rng, child, household)
    assert not ni64_ages


def _mark_pre_birth(rng: random.Random, households: list[HouseholdSpec]) -> None:
    for household in households:
        if len(household.children) != 1 or len(household.groups) != 1:
            continue
        plan = household.groups[0].first
        share = PRE_BIRTH_SHARE.get(plan.kind, 0)
        if not plan.cohort and rng.random() < share and (not plan.end or _days(plan) > 60):
            plan.pre_birth = True


def _days(plan: PlanSpec) -> int:
    return ((plan.end or YEAR_END) - plan.start).days


def _ni64_other_household(rng, households) -> HouseholdSpec:
    singles = [
        h
        for h in households
        if len(h.children) == 1 and h.groups and h.groups[0].first.cohort == "ni64"
    ]
    return rng.choice(singles)


def _ethnicity(rng, household: HouseholdSpec, other_mixed: HouseholdSpec) -> str:
    if household is other_mixed:
        return NI64_OTHER_ETHNICITY
    if household.groups and household.groups[0].ethnicity:
        return household.groups[0].ethnicity
    if any(p.cohort == "ni64" for g in household.groups for p in g.plans):
        return "WBRI"
    key = "preston" if household.district == "preston" else "default"
    key = "east" if household.district in EAST else key
    weights = ETHNICITY_WEIGHTS[key]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _birth(rng, child: ChildSpec, plans: list, household: HouseholdSpec, ni64_ages) -> None:
    first_day = plans[0].start if plans else household.no_plan_on or household.referred_on
    last_day = max(((p.end or YEAR_END) for p in plans), default=first_day)
    target = next((p.age_target for p in plans if p.age_target), None)
    ni64 = next((p for p in plans if p.cohort == "ni64"), None)
    if target:
        born = born_for_age(rng, *target)
    elif ni64:
        born = born_for_age(rng, ni64_ages.pop(), ni64.end)
    elif plans and plans[0].pre_birth or household.no_plan_on and rng.random() < 0.06:
        latest = min(120, (last_day - first_day).days - 30) if plans and plans[0].end else 120
        born = first_day + timedelta(days=rng.randint(14, max(latest, 15)))
    else:
        born = born_for_age(rng, _age(rng, first_day, last_day), first_day)
    if plans and born > plans[0].start:
        plans[0].pre_birth = True
    child.born, child.expected = (born, born if born > first_day else None)
    if born > YEAR_END:
        child.born = None


def _age(rng, first_day: date, last_day: date) -> int:
    oldest = 17 - ((last_day - first_day).days // 365 + 1)
    ages = list(range(max(oldest, 0) + 1))
    return rng.choices(ages, weights=AGE_WEIGHTS[: len(ages)])[0]


def _person(rng, child: ChildSpec, household: HouseholdSpec) -> None:
    child.ethnicity = household.ethnicity
    child.gender = rng.choice("12") if child.born else rng.choice("0012")
    child.first_name = given_name(rng, child.ethnicity, child.gender)
    child.last_name = household.last_name


def address(rng: random.Random, household: HouseholdSpec, district_name: str) -> tuple[str, str]:
    street = f"{rng.randint(1, 160)} {rng.choice(STREETS)}"
    inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    return f"{street}\n{district_name}", f"{POSTCODES[household.district]} {inward}"
