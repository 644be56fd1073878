"""The Safeguarding IRO team of §5.2 and §5.3, districts, venues, business support and
reference data (population and benchmarks, §6.1 and §6.3)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from conferences.models import Venue
from people.models import District, IROProfile, Role, Team, User, Vacancy
from reporting.models import Benchmark, ReferenceYear

from .names import DIRECTORATE, MANAGERS, STAFF, SUPPORT_STAFF
from .targets import DISTRICTS, UNDER_18_POPULATION

EMAIL_DOMAIN = "lancashire-sample.example"
P, A = IROProfile.Employment.PERMANENT, IROProfile.Employment.AGENCY


@dataclass(frozen=True)
class Post:
    label: str
    qualified: int
    began: int
    started_on: date
    left_on: date | None = None
    fte: str = "1.00"
    employment: str = P
    senior_year: int | None = None
    weight: float = 1.0  # share of new cases allocated while in post


# §5.2's table, then the staff who left during or just before the year (§5.3).
POSTS = (
    Post("Senior IRO", 1983, 2011, date(2011, 5, 16), senior_year=2011, weight=0),
    Post("IRO 1", 1995, 2004, date(2004, 9, 6)),
    Post("IRO 2", 1988, 2000, date(2000, 4, 3)),
    Post("IRO 3", 1995, 2001, date(2001, 6, 4)),
    Post("IRO 4", 1999, 2010, date(2010, 10, 4)),
    Post("IRO 5", 1996, 2011, date(2011, 5, 3)),
    Post("IRO 6", 1982, 2011, date(2011, 6, 1)),
    Post("IRO 7", 2000, 2011, date(2011, 7, 4)),
    Post("IRO 8", 2004, 2011, date(2011, 6, 13), fte="0.50", weight=0.5),
    Post("Retired IRO", 1976, 1996, date(1996, 9, 2), left_on=date(2011, 12, 31)),
    Post("Agency IRO", 1990, 2006, date(2011, 2, 7), date(2011, 7, 29), employment=A),
    Post(
        "Agency IRO (part time)",
        1998,
        2008,
        date(2011, 2, 7),
        date(2011, 7, 29),
        "0.50",
        A,
        None,
        0.5,
    ),
    Post("Former IRO", 1986, 2003, date(2003, 1, 6), left_on=date(2011, 2, 25)),
    Post("Former IRO (2)", 1992, 2007, date(2007, 3, 5), left_on=date(2011, 3, 31)),
)
CASELOAD_POSTS = ("IRO 1", "IRO 2", "IRO 3", "IRO 4", "IRO 5", "IRO 6")
VACANCIES = (
    ("1.00", date(2011, 4, 1), date(2011, 5, 15), "Senior IRO post, filled May 2011"),
    (
        "3.50",
        date(2011, 4, 1),
        date(2011, 7, 3),
        "IRO posts: growth, personal reasons, job evaluation",
    ),
    ("1.00", date(2012, 1, 1), None, "Retirement of a long-standing IRO; two offers declined"),
)
BENCHMARKS = (
    # indicator, year, published locally, England, statistical neighbours, local target
    ("ni64", 2008, "5.3", "5.3", "5.0", None),
    ("ni64", 2009, "2.9", "5.8", "6.7", None),
    ("ni64", 2010, "3.8", "5.9", "7.9", None),
    ("ni64", 2011, "4.8", "6.0", "7.5", None),
    ("ni64", 2012, "4.4", None, None, "4.4"),
    ("ni65", 2011, "13.7", "13.1", "12.5", None),
    ("ni65", 2012, "10.8", None, None, "12.0"),
    ("ni67", 2011, "100.0", "97.1", None, None),
    ("ni67", 2012, "98.90", None, None, "100.0"),
    ("rate_per_10000", 2010, None, "35.50", None, None),
    ("rate_per_10000", 2012, "22.36", None, None, None),
)
VENUE_KINDS = (
    ("District Office", Venue.Kind.DISTRICT_OFFICE, 4, True),
    ("Children's Centre", Venue.Kind.CHILDRENS_CENTRE, 2, True),
    ("CaPSS Centre", Venue.Kind.CAPSS_CENTRE, 3, False),
)


def in_post(day: date) -> list[Post]:
    return [
        p
        for p in POSTS
        if p.weight and p.started_on <= day and (p.left_on is None or p.left_on >= day)
    ]


def create_organisation() -> dict:
    """Districts, venues, teams and staff; returns what the case records refer to."""
    districts = {
        code: District.objects.get_or_create(code=code, defaults={"name": name})[0]
        for name, code in DISTRICTS
    }
    venues = {code: _venues(district) for code, district in districts.items()}
    iro_team = Team.objects.create(name="Safeguarding IRO Team (sample)", kind=Team.Kind.IRO_UNIT)
    support = Team.objects.create(
        name="Safeguarding Business Support (sample)", kind=Team.Kind.BUSINESS_SUPPORT
    )
    iros = {post.label: _iro(post, name, iro_team) for post, name in zip(POSTS, STAFF, strict=True)}
    clerks = {
        code: _user(name, Role.BUSINESS_SUPPORT, team=support)
        for code, name in zip(districts, SUPPORT_STAFF, strict=True)
    }
    for district, name in zip(districts.values(), MANAGERS, strict=True):
        _user(name, Role.DISTRICT_MANAGER, district=district)
    _user(DIRECTORATE[0], Role.DIRECTORATE_MANAGER)
    _user(DIRECTORATE[1], Role.AUDITOR)
    _reference_data()
    return {"districts": districts, "venues": venues, "iros": iros, "clerks": clerks}


def _venues(district: District) -> list[Venue]:
    return [
        Venue.objects.create(
            name=f"{district.name} {suffix}",
            kind=kind,
            district=district,
            rooms=rooms,
            has_family_room=family_room,
            address=f"{district.name} {suffix}\n{district.name}, Lancashire",
        )
        for suffix, kind, rooms, family_room in VENUE_KINDS
    ]


def _user(name: tuple[str, str], role: str, *, active: bool = True, **fields) -> User:
    first, last = name
    user = User(
        username=f"{first}.{last}".lower().replace("-", ""),
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@{EMAIL_DOMAIN}".lower(),
        role=role,
        is_active=active,
        **fields,
    )
    user.set_unusable_password()
    user.save()
    return user


def _iro(post: Post, name: tuple[str, str], team: Team) -> User:
    role = Role.SENIOR_IRO if post.senior_year else Role.IRO
    user = _user(name, role, active=post.left_on is None, team=team)
    IROProfile.objects.create(
        user=user,
        qualification_year=post.qualified,
        began_as_iro_year=post.began,
        fte=Decimal(post.fte),
        employment_type=post.employment,
        is_senior=bool(post.senior_year),
        began_as_senior_year=post.senior_year,
        started_on=post.started_on,
        left_on=post.left_on,
    )
    return user


def _reference_data() -> None:
    for year, population in UNDER_18_POPULATION.items():
        ReferenceYear.objects.update_or_create(
            year=year, defaults={"under_18_population": population}
        )
    for fte, start, end, note in VACANCIES:
        Vacancy.objects.create(fte=Decimal(fte), from_date=start, to_date=end, note=note)
    for indicator, year, local, england, neighbours, target in BENCHMARKS:
        Benchmark.objects.update_or_create(
            indicator=indicator,
            year=year,
            defaults={
                "local_value_published": _decimal(local),
                "england": _decimal(england),
                "statistical_neighbours": _decimal(neighbours),
                "local_target": _decimal(target),
            },
        )


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None
