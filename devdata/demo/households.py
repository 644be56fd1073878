"""The demo's invented households and children (load.py).

`plan_households` is pure: from a seeded random generator, a date and a scale it returns the
same households and children every time. `create_households` then adds them to the demo's
store, each dated when the family first became known (base.Store).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from stdnum.gb import nhs, upn

from children.codes import Disability, Ethnicity, Gender
from children.models import Child, Household
from children.validators import validate_nhs_number, validate_upn
from iro_service.dates import age_on, working_day_on_or_before

from .base import Decks, Demo, at
from .family import add_family, allocate_social_worker
from .names import BOYS, DISTRICTS, GIRLS, STREETS, SURNAMES

DISTRICT_WEIGHTS = (30, 25, 25, 20)
HOUSEHOLD_SIZES = {1: 35, 2: 35, 3: 20, 4: 10}
# What happens to each household over the demo's three years (cases.py), and how many
# households have each story at scale 1.0: a mid-sized authority with about 600 children on
# plans at a time.
STORIES = (
    ("case", 660),
    ("recent_case", 12),
    ("pre_birth", 16),
    ("pre_birth_born", 40),
    ("transfer_in", 36),
    ("s47_only", 200),
    ("s47_ongoing", 12),
    ("known", 220),
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
# How a baby known before birth is first recorded (create_households).
UNBORN = {
    "first_name": "Unborn",
    "date_of_birth": None,
    "gender": Gender.NOT_KNOWN,
    "disabilities": [],
    "upn": "",
    "nhs_number": "",
}


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


def story_counts(scale: float) -> dict[str, int]:
    """How many households have each story at `scale` (at least one of each)."""
    return {story: max(1, round(count * scale)) for story, count in STORIES}


def plan_households(rng: random.Random, today: date, scale: float = 1.0) -> list[HouseholdSpec]:
    counts = story_counts(scale)
    stories = [story for story, count in counts.items() for _ in range(count)]
    rng.shuffle(stories)
    households, next_id, numbers, decks = [], 1, set(), Decks(rng)
    dealt = dict.fromkeys(counts, 0)
    for number, story in enumerate(stories, start=1):
        # The k-th of n stories of a kind starts in the k-th of n equal spans of its range.
        span = (dealt[story] + rng.random()) / counts[story]
        dealt[story] += 1
        household = _plan_household(rng, decks, today, number, story, span, next_id, numbers)
        next_id += len(household.children)
        households.append(household)
    return households


def _plan_household(rng, decks, today, number, story, span, next_id, numbers) -> HouseholdSpec:
    district = rng.choices(range(len(DISTRICTS)), weights=DISTRICT_WEIGHTS)[0]
    starts_on = None
    if story in STARTS:
        fewest, most = STARTS[story]
        ago = fewest + round(span * (most - fewest))
        starts_on = working_day_on_or_before(today - timedelta(days=ago))
    surname = rng.choice(SURNAMES)
    ethnicity = rng.choices(list(ETHNICITIES), weights=list(ETHNICITIES.values()))[0]
    size = decks.deal("household size", HOUSEHOLD_SIZES)
    born = [_birth_date(rng, today, starts_on) for _ in range(size)]
    if story.startswith("pre_birth"):
        born[0] = None
    taken: set[str] = set()
    children = tuple(
        _plan_child(
            rng,
            today,
            f"C{204000 + next_id + i}",
            surname,
            ethnicity,
            dob,
            taken,
            story,
            starts_on,
            numbers,
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


# Invented children are under 18 (a child in law) and at least two months old when their story
# starts: the demo's choice of ages, not a timescale.
OLDEST_YEARS = 17
YOUNGEST_AT_START_DAYS = 60
OLDEST_MARGIN_DAYS = 30  # the oldest is just under 17, so none turns 18 within a year


def _birth_date(rng, today: date, starts_on: date | None) -> date:
    """Under 18 today; born at least two months before the story starts; mostly young."""
    latest = (starts_on or today) - timedelta(days=YOUNGEST_AT_START_DAYS)
    earliest = today - relativedelta(years=OLDEST_YEARS) + timedelta(days=OLDEST_MARGIN_DAYS)
    span = (latest - earliest).days
    return latest - timedelta(days=int(rng.triangular(0, span, 0)))


def _plan_child(rng, today, local_id, surname, ethnicity, dob, taken, story, starts_on, numbers):
    """One child; `numbers` holds the UPNs and NHS numbers given out, so none is given twice."""
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
        upn=_unique(_upn, numbers, rng, dob)
        if dob and age_on(dob, today) >= 4 and rng.random() < 0.7
        else "",
        nhs_number=_unique(_nhs_number, numbers, rng) if dob and rng.random() < 0.8 else "",
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


def _unique(make, numbers: set[str], *args) -> str:
    while (number := make(*args)) in numbers:
        pass
    numbers.add(number)
    return number


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
    """Add every household and child to the store; returns (spec, household, children) for
    each. Each is dated when the family became known: shortly before its story starts."""
    created = []
    for spec in specs:
        district = demo.org.districts[spec.district_index]
        by = demo.admin()
        if spec.starts_on:
            known_on = spec.starts_on - timedelta(days=demo.rng.randint(0, 20))
        else:
            known_on = demo.today - timedelta(days=demo.rng.randint(30, 1080))
        when = at(known_on, 11, demo.rng.choice((0, 15, 30, 45)))
        household = Household(
            reference=spec.reference,
            district=district,
            address=spec.address,
            postcode=spec.postcode,
        )
        demo.store.add(household, when=when, by=by, reason="Household added")
        children = [_add_child(demo, child, household, by, when) for child in spec.children]
        add_family(demo, household, spec.children[0].last_name, by=by, when=when)
        demo.children.extend(children)
        created.append((spec, household, children))
    return created


def _add_child(demo: Demo, spec: ChildSpec, household: Household, by, when) -> Child:
    child = Child(
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
    allocate_social_worker(child, household)
    born = spec.expected_date_of_birth is not None and spec.date_of_birth is not None
    if not born:
        demo.store.add(child, when=when, by=by, reason="Child added")
        return child
    # A baby known before birth: recorded as unborn, then updated once born.
    for name, value in UNBORN.items():
        setattr(child, name, value)
    demo.store.add(child, when=when, by=by, reason="Unborn child added")
    for name in UNBORN:
        setattr(child, name, getattr(spec, name))
    child.disabilities = list(spec.disabilities)  # a tuple in the spec
    recorded_on = spec.date_of_birth + timedelta(days=demo.rng.randint(1, 5))
    demo.store.change(child, when=at(recorded_on, 14), by=by, reason="Birth recorded")
    return child
