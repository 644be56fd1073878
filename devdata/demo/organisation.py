"""The invented authority's districts, teams, venues, staff and reference data (load.py)."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from conferences.models import Venue
from iro_service.dates import reporting_year_of
from people.models import District, IROProfile, Role, Team, User, Vacancy
from reporting.models import Benchmark, ReferenceYear

from .base import DEMO_USERNAMES, Demo, Organisation, record
from .names import DISTRICTS, STAFF, STREETS

EMAIL_DOMAIN = "northshire-council.example"

# (FTE, employment type, share of new cases) of the nine IROs who chair conferences (§5.2,
# §5.3). The shares are relative: the agency IRO and two others carry more than the handbook's
# 50-70 children, the part-timer fewer (cases.py allocates new cases by them).
IRO_POSTS = (
    ("1.00", IROProfile.Employment.PERMANENT, 1.15),
    ("1.00", IROProfile.Employment.PERMANENT, 1.0),
    ("1.00", IROProfile.Employment.PERMANENT, 1.0),
    ("0.80", IROProfile.Employment.PERMANENT, 0.8),
    ("1.00", IROProfile.Employment.TEMPORARY, 0.95),
    ("1.00", IROProfile.Employment.AGENCY, 1.1),
    ("1.00", IROProfile.Employment.PERMANENT, 0.9),
    ("1.00", IROProfile.Employment.SECONDMENT, 0.9),
    ("1.00", IROProfile.Employment.PERMANENT, 1.05),
)
# The IRO who joined most recently (the agency IRO): months before today.
NEWEST_IRO_MONTHS = 14
ADMINS = 3
# The demo's story: staff records entered 3 years 2 months ago, before the three years of case
# history; a part-time post vacant for the last 4 months.
RECORDS_BEGIN = relativedelta(years=3, months=2)
VACANT_FOR = relativedelta(months=4)


def records_begin(demo: Demo) -> date:
    """When the organisation's records were entered: before the three years of case history."""
    return demo.today - RECORDS_BEGIN


def create_organisation(demo: Demo) -> Organisation:
    """The authority as it stands before the demo's history begins (its records dated then)."""
    since = records_begin(demo)
    districts, venues = _create_districts(since)
    teams = _create_teams(districts, since)
    names = iter(STAFF)
    senior = _create_user(next(names), Role.SENIOR_IRO, since, team=teams["iro"])
    _create_iro_profile(demo, senior, "1.00", IROProfile.Employment.PERMANENT, is_senior=True)
    org = Organisation(districts, venues, [], senior, [], {})
    for fte, employment, share in IRO_POSTS:
        newest = employment == IROProfile.Employment.AGENCY
        joins = _newest_joined_on(demo) if newest else since
        iro = _create_user(next(names), Role.IRO, joins, team=teams["iro"])
        profile = _create_iro_profile(demo, iro, fte, employment, newest=newest)
        org.iros.append(iro)
        org.capacity[iro.pk] = share
        org.started_on[iro.pk] = profile.started_on
    org.admins = [
        _create_user(next(names), Role.BUSINESS_SUPPORT, since, team=teams["admin"])
        for _ in range(ADMINS)
    ]
    org.managers = {
        district.id: _create_user(
            next(names), Role.DISTRICT_MANAGER, since, district=district, team=teams[district.code]
        )
        for district in districts
    }
    _create_user(next(names), Role.DIRECTORATE_MANAGER, since)
    _create_user(next(names), Role.AUDITOR, since)
    _create_reference_data(demo, since)
    vacancy = Vacancy(
        fte=Decimal("0.50"),
        from_date=demo.today - VACANT_FOR,
        note="Part-time IRO post vacant after a retirement",
    )
    record(vacancy, by=None, when=vacancy.from_date)
    return org


def _venue_address(venue_name: str, town: str) -> str:
    """An invented street address (the letters print the venue's name above it), the same
    for a venue on every run without drawing on the demo's random generator."""
    number = 1 + sum(map(ord, venue_name)) % 90
    street = STREETS[sum(map(ord, venue_name)) % len(STREETS)]
    return f"{number} {street}\n{town}"


def _create_districts(since: date) -> tuple[list[District], dict[int, list[Venue]]]:
    districts, venues = [], {}
    for name, code, venue_rows in DISTRICTS:
        district = record(District(name=name, code=code), by=None, when=since)
        districts.append(district)
        venues[district.id] = [
            record(
                Venue(
                    name=venue_name,
                    kind=kind,
                    district=district,
                    rooms=rooms,
                    has_family_room=family_room,
                    address=_venue_address(venue_name, name),
                ),
                by=None,
                when=since,
            )
            for venue_name, kind, rooms, family_room in venue_rows
        ]
    return districts, venues


def _create_teams(districts: list[District], since: date) -> dict[str, Team]:
    teams = {
        "iro": record(
            Team(name="Safeguarding IRO Unit", kind=Team.Kind.IRO_UNIT), by=None, when=since
        ),
        "admin": record(
            Team(name="Safeguarding Business Support", kind=Team.Kind.BUSINESS_SUPPORT),
            by=None,
            when=since,
        ),
    }
    for district in districts:
        teams[district.code] = record(
            Team(
                name=f"{district.name} Social Work Team",
                kind=Team.Kind.SOCIAL_WORK,
                district=district,
            ),
            by=None,
            when=since,
        )
    return teams


def _create_user(name: tuple[str, str], role: str, since: date, **fields) -> User:
    """A member of staff. The first of each role gets the demo sign-in name; nobody gets a
    usable password here (load.py sets the demo accounts' passwords, without history)."""
    first, last = name
    username = DEMO_USERNAMES[role]
    if User.objects.filter(username=username).exists():
        username = f"{first[0]}.{last}".lower().replace("-", "")
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        role=role,
        email=f"{first}.{last}@{EMAIL_DOMAIN}".lower(),
        **fields,
    )
    user.set_unusable_password()
    return record(user, by=None, when=since, reason="Demo member of staff")


def _create_iro_profile(
    demo: Demo, user: User, fte: str, employment: str, *, is_senior=False, newest=False
) -> IROProfile:
    """Everyone but the newest joined before the demo's three years of history began."""
    qualified = demo.today.year - demo.rng.randint(8, 28)
    began = demo.rng.randint(qualified + 3, demo.today.year - 4)
    if newest:
        joined = _newest_joined_on(demo)
        began = min(began, joined.year)
    else:
        joined = date(demo.rng.randint(began, demo.today.year - 4), demo.rng.randint(1, 12), 1)
    profile = IROProfile(
        user=user,
        qualification_year=qualified,
        began_as_iro_year=began,
        fte=Decimal(fte),
        employment_type=employment,
        is_senior=is_senior,
        started_on=joined,
    )
    # The profile of someone who joined before the records begin is dated when they begin.
    when = max(joined, records_begin(demo))
    return record(profile, by=None, when=when, reason="Demo staffing")


def _newest_joined_on(demo: Demo) -> date:
    return (demo.today - relativedelta(months=NEWEST_IRO_MONTHS)).replace(day=1)


def _create_reference_data(demo: Demo, since: date) -> None:
    """Reference years with an under-18 population that gives the full-size demo a plausible
    rate per 10,000 (about 45), and invented benchmarks."""
    first = reporting_year_of(demo.today - relativedelta(years=3))
    years = sorted({2024, 2025, 2026} | set(range(first, reporting_year_of(demo.today) + 1)))
    for year in years:
        population = 128_400 + 500 * (year - 2024) + demo.rng.randint(-300, 300)
        population = round(population * demo.scale)
        record(ReferenceYear(year=year, under_18_population=population), by=None, when=since)
        published = year < reporting_year_of(demo.today)
        for indicator, england, neighbours, target in _benchmark_values(demo):
            record(
                Benchmark(
                    indicator=indicator,
                    year=year,
                    local_target=target,
                    england=england if published else None,
                    statistical_neighbours=neighbours if published else None,
                ),
                by=None,
                when=since,
            )


def _benchmark_values(demo: Demo):
    """Invented but plausible England and statistical-neighbour values for one year."""

    def around(value: float, spread: float) -> Decimal:
        return Decimal(str(round(value + demo.rng.uniform(-spread, spread), 1)))

    return (
        (Benchmark.Indicator.NI64, around(3.2, 0.6), around(3.8, 0.9), Decimal("5.0")),
        (Benchmark.Indicator.NI65, around(23.0, 1.5), around(21.5, 2.5), Decimal("18.0")),
        (Benchmark.Indicator.NI67, around(91.5, 1.5), around(93.0, 2.0), Decimal("100.0")),
    )
