"""The demo's invented households and children (demo.py).

`plan_households` is pure: from a seeded random generator and a date it returns the same
households and children every time. `create_households` then saves them through the services.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from stdnum.gb import nhs, upn

from children.codes import Disability, Ethnicity, Gender
from children.models import Child, Household
from children.services import child_create, household_create
from children.validators import validate_nhs_number, validate_upn

from .demo_base import Demo, age_on, working_day_on_or_before
from .demo_names import BOYS, DISTRICTS, GIRLS, STREETS, SURNAMES

HOUSEHOLDS = 60
DISTRICT_WEIGHTS = (30, 25, 25, 20)
# What happens to each household over the demo's three years (demo_cases.py).
STORIES = (
    ("case", 27),
    ("recent_case", 2),
    ("pre_birth", 3),
    ("pre_birth_born", 2),
    ("transfer_in", 2),
    ("s47_only", 7),
    ("s47_ongoing", 2),
    ("known", 15),
)
# When the story starts: (fewest, most) days before today.
STARTS = {
    "case": (20, 1080),
    "recent_case": (4, 10),
    "pre_birth": (35, 70),
    "pre_birth_born": (200, 900),
    "transfer_in": (60, 700),
    "s47_only": (16, 500),
    "s47_ongoing": (2, 12),
}
ETHNICITIES = {
    "WBRI": 70,
    "WOTH": 5,
    "WIRI": 1,
    "WROM": 1,
    "MWBC": 3,
    "MWBA": 1,
    "MWAS": 3,
    "MOTH": 2,
    "AIND": 2,
    "APKN": 6,
    "ABAN": 1,
    "AOTH": 1,
    "BAFR": 1,
    "BCRB": 1,
    "CHNE": 1,
    "OOTH": 1,
}
DISABILITY_CODES = ("AUT", "LD", "COMM", "BEH", "MOB", "HEAR", "VIS", "DDA")
# A local authority number python-stdnum accepts; the rest of each UPN is random.
UPN_LA_NUMBER = "938"
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class ChildSpec:
    local_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    gender: str
    ethnicity: str
    disabilities: tuple[str, ...]
    upn: str
    nhs_number: str


@dataclass(frozen=True)
class HouseholdSpec:
    reference: str
    district_index: int
    address: str
    postcode: str
    story: str
    starts_on: date | None
    children: tuple[ChildSpec, ...]


def plan_households(rng: random.Random, today: date) -> list[HouseholdSpec]:
    stories = [story for story, count in STORIES for _ in range(count)]
    rng.shuffle(stories)
    households, next_id = [], 1
    for number, story in enumerate(stories, start=1):
        household = _plan_household(rng, today, number, story, next_id)
        next_id += len(household.children)
        households.append(household)
    return households


def _plan_household(rng, today, number: int, story: str, next_id: int) -> HouseholdSpec:
    district = rng.choices(range(len(DISTRICTS)), weights=DISTRICT_WEIGHTS)[0]
    starts_on = None
    if story in STARTS:
        starts_on = working_day_on_or_before(today - timedelta(days=rng.randint(*STARTS[story])))
    surname = rng.choice(SURNAMES)
    ethnicity = rng.choices(list(ETHNICITIES), weights=list(ETHNICITIES.values()))[0]
    size = rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
    born = [_birth_date(rng, today, starts_on) for _ in range(size)]
    if story.startswith("pre_birth"):
        born[0] = None
    taken: set[str] = set()
    children = tuple(
        _plan_child(
            rng, today, f"C{204000 + next_id + i}", surname, ethnicity, dob, taken, story, starts_on
        )
        for i, dob in enumerate(born)
    )
    postcode = (
        f"ZZ{district + 1}{rng.randint(1, 9)} {rng.randint(1, 9)}"
        f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    )
    address = f"{rng.randint(1, 140)} {rng.choice(STREETS)}\n{DISTRICTS[district][0]}"
    return HouseholdSpec(
        f"HH-{number:04d}", district, address, postcode, story, starts_on, children
    )


def _birth_date(rng, today: date, starts_on: date | None) -> date:
    """Under 18 today; born at least two months before the story starts; mostly young."""
    latest = (starts_on or today) - timedelta(days=60)
    earliest = today - relativedelta(years=17) + timedelta(days=30)
    span = (latest - earliest).days
    return latest - timedelta(days=int(rng.triangular(0, span, 0)))


def _plan_child(rng, today, local_id, surname, ethnicity, dob, taken, story, starts_on):
    expected = None
    if dob is None:  # the baby of a pre-birth story
        expected = starts_on + timedelta(
            days=rng.randint(84, 150) if story == "pre_birth" else rng.randint(50, 110)
        )
        if story == "pre_birth_born":
            dob = expected + timedelta(days=rng.randint(-14, 10))
    gender = Gender.NOT_KNOWN if dob is None else rng.choice((Gender.MALE, Gender.FEMALE))
    first_name = "Unborn" if dob is None else _first_name(rng, gender, taken)
    last_name = surname if rng.random() < 0.85 else rng.choice(SURNAMES)
    return ChildSpec(
        local_id=local_id,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=dob,
        expected_date_of_birth=expected,
        gender=gender,
        ethnicity=ethnicity if dob or rng.random() < 0.5 else Ethnicity.NOBT,
        disabilities=_disabilities(rng) if dob else (),
        upn=_upn(rng, dob) if dob and age_on(dob, today) >= 4 and rng.random() < 0.7 else "",
        nhs_number=_nhs_number(rng) if dob and rng.random() < 0.8 else "",
    )


def _first_name(rng, gender: str, taken: set[str]) -> str:
    names = BOYS if gender == Gender.MALE else GIRLS
    name = rng.choice([name for name in names if name not in taken])
    taken.add(name)
    return name


def _disabilities(rng) -> tuple[str, ...]:
    roll = rng.random()
    if roll < 0.55:
        return ()
    if roll < 0.88:
        return (Disability.NONE.value,)
    return tuple(sorted(rng.sample(DISABILITY_CODES, rng.randint(1, 2))))


def _upn(rng, dob: date) -> str:
    """A UPN: check letter, LA number, school number, year of issue, serial (DfE format)."""
    body = (
        f"{UPN_LA_NUMBER}{rng.randint(2000, 2999):04d}{(dob.year + 4) % 100:02d}"
        f"{rng.randint(1, 999):03d}"
    )
    number = upn.calc_check_digit(body) + body
    validate_upn(number)
    return number


def _nhs_number(rng) -> str:
    """An NHS number in the 999 range the NHS keeps for testing, so no real patient's."""
    while True:
        body = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        check = -nhs.checksum(body + "0") % 11
        if check < 10:
            number = body + str(check)
            validate_nhs_number(number)
            return number


def create_households(demo: Demo, specs: list[HouseholdSpec]):
    """Save every household and child; returns (spec, household, children) for each."""
    created = []
    for spec in specs:
        district = demo.org.districts[spec.district_index]
        by = demo.admin()
        household = household_create(
            by=by,
            reference=spec.reference,
            district=district,
            address=spec.address,
            postcode=spec.postcode,
        )
        children = [_create_child(child, household, by) for child in spec.children]
        created.append((spec, household, children))
    return created


def _create_child(spec: ChildSpec, household: Household, by) -> Child:
    return child_create(
        by=by,
        local_id=spec.local_id,
        first_name=spec.first_name,
        last_name=spec.last_name,
        date_of_birth=spec.date_of_birth,
        expected_date_of_birth=spec.expected_date_of_birth,
        gender=spec.gender,
        ethnicity=spec.ethnicity,
        disabilities=list(spec.disabilities),
        upn=spec.upn,
        nhs_number=spec.nhs_number,
        household=household,
        district=household.district,
    )
