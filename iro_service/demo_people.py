"""The invented authority's districts, teams, venues, staff and reference data (demo.py)."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from conferences.models import Venue
from people.models import District, IROProfile, Role, Team, User, Vacancy
from reporting.models import Benchmark, ReferenceYear

from .demo_base import DEMO_USERNAMES, Demo, Organisation, record
from .demo_names import DISTRICTS, STAFF

EMAIL_DOMAIN = "northshire-council.example"

# (FTE, employment type) of the six IROs who chair conferences (§5.2, §5.3).
IRO_POSTS = (
    ("1.00", IROProfile.Employment.PERMANENT),
    ("1.00", IROProfile.Employment.PERMANENT),
    ("0.50", IROProfile.Employment.PERMANENT),
    ("1.00", IROProfile.Employment.TEMPORARY),
    ("1.00", IROProfile.Employment.AGENCY),
    ("0.50", IROProfile.Employment.SECONDMENT),
)


def create_organisation(demo: Demo) -> Organisation:
    districts, venues = _create_districts()
    teams = _create_teams(districts)
    names = iter(STAFF)
    senior = _create_user(next(names), Role.SENIOR_IRO, team=teams["iro"])
    _create_iro_profile(demo, senior, "1.00", IROProfile.Employment.PERMANENT, is_senior=True)
    iros = []
    for fte, employment in IRO_POSTS:
        iro = _create_user(next(names), Role.IRO, team=teams["iro"])
        _create_iro_profile(demo, iro, fte, employment)
        iros.append(iro)
    admins = [
        _create_user(next(names), Role.BUSINESS_SUPPORT, team=teams["admin"]) for _ in range(2)
    ]
    managers = {
        district.id: _create_user(
            next(names), Role.DISTRICT_MANAGER, district=district, team=teams[district.code]
        )
        for district in districts
    }
    _create_user(next(names), Role.DIRECTORATE_MANAGER)
    _create_user(next(names), Role.AUDITOR)
    _create_reference_data(demo)
    vacancy = Vacancy(
        fte=Decimal("0.50"),
        from_date=demo.today - relativedelta(months=4),
        note="Part-time IRO post vacant after a retirement",
    )
    record(vacancy, by=None)
    return Organisation(districts, venues, iros, senior, admins, managers)


def _create_districts() -> tuple[list[District], dict[int, list[Venue]]]:
    districts, venues = [], {}
    for name, code, venue_rows in DISTRICTS:
        district = record(District(name=name, code=code), by=None)
        districts.append(district)
        venues[district.id] = [
            record(
                Venue(
                    name=venue_name,
                    kind=kind,
                    district=district,
                    rooms=rooms,
                    has_family_room=family_room,
                    address=f"{venue_name}\n{name}",
                ),
                by=None,
            )
            for venue_name, kind, rooms, family_room in venue_rows
        ]
    return districts, venues


def _create_teams(districts: list[District]) -> dict[str, Team]:
    teams = {
        "iro": record(Team(name="Safeguarding IRO Unit", kind=Team.Kind.IRO_UNIT), by=None),
        "admin": record(
            Team(name="Safeguarding Business Support", kind=Team.Kind.BUSINESS_SUPPORT), by=None
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
        )
    return teams


def _create_user(name: tuple[str, str], role: str, **fields) -> User:
    """A member of staff. The first of each role gets the demo sign-in name; nobody gets a
    usable password here (demo.py sets the demo accounts' passwords, without history)."""
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
    return record(user, by=None, reason="Demo member of staff")


def _create_iro_profile(
    demo: Demo, user: User, fte: str, employment: str, *, is_senior: bool = False
) -> IROProfile:
    qualified = demo.today.year - demo.rng.randint(8, 28)
    began = demo.rng.randint(qualified + 3, demo.today.year - 2)
    joined = date(demo.rng.randint(began, demo.today.year - 1), demo.rng.randint(1, 12), 1)
    profile = IROProfile(
        user=user,
        qualification_year=qualified,
        began_as_iro_year=began,
        fte=Decimal(fte),
        employment_type=employment,
        is_senior=is_senior,
        started_on=joined,
    )
    return record(profile, by=None, reason="Demo staffing")


def reporting_year(day: date) -> int:
    """The reporting year (1 April to 31 March) a day falls in, named by the year it ends."""
    return day.year + 1 if day.month >= 4 else day.year


def _create_reference_data(demo: Demo) -> None:
    first = reporting_year(demo.today - relativedelta(years=3))
    years = sorted({2024, 2025, 2026} | set(range(first, reporting_year(demo.today) + 1)))
    for year in years:
        population = 59_400 + 300 * (year - 2024) + demo.rng.randint(-150, 150)
        record(ReferenceYear(year=year, under_18_population=population), by=None)
        published = year < reporting_year(demo.today)
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
