"""The IRO team: caseloads against the handbook's band, and staffing (§5.2-§5.4, §10.1)."""

from datetime import date

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum

from children.models import Child
from conferences.models import HeldPlace, StrategyMeeting
from conferences.rules import caseload_meetings_after
from people.models import District, IROProfile, Role, User, Vacancy

from .plans import open_on, plans_for


def _children_by_latest_chair(*, on: date, district: District | None) -> dict:
    """chair id (None: no chair) -> (children, households) among the children on a plan at a
    date, each counted for the chair of their latest held conference up to it (the latest by
    date, then by the conference's id; a child with none, or whose latest had no chair
    recorded, counts under None).

    Each on-plan child's latest held conference is read from the stored places at held
    conferences (conferences/held.py): one step backwards along their covering index per
    child, without reading the conferences, so the cost grows with the children on a plan
    whatever the number of conferences ever held."""
    latest = HeldPlace.objects.filter(child=OuterRef("child_id"), held_on__lte=on).order_by(
        "-held_on", "-conference_id"
    )
    household = Child.objects.filter(pk=OuterRef("child_id")).order_by().values("household_id")
    found = (
        plans_for(district)
        .filter(open_on(on))
        .annotate(chair_ref=Subquery(latest.values("chair_id")[:1]))
        .values("chair_ref")
        .annotate(
            children=Count("child_id", distinct=True),
            households=Count(Subquery(household), distinct=True),
        )
        .values_list("chair_ref", "children", "households")
        .order_by()
    )
    return {chair: (children, households) for chair, children, households in found}


def _in_post(iro: dict, on: date) -> bool:
    """Whether an IRO (read with their profile's id and dates) was in post on a date."""
    if iro["iro_profile__id"] is None:
        return False
    started_on, left_on = iro["iro_profile__started_on"], iro["iro_profile__left_on"]
    return (started_on is None or started_on <= on) and (left_on is None or left_on >= on)


def caseloads(*, on: date, district: District | None = None) -> list[dict]:
    """Per IRO at a date: children on plans whose latest conference they chaired, their
    households, and strategy meetings chaired in the three months before (§5.4)."""
    by_chair = {
        chair: {"children": children, "households": households}
        for chair, (children, households) in _children_by_latest_chair(
            on=on, district=district
        ).items()
    }
    meetings = StrategyMeeting.objects.filter(
        status=StrategyMeeting.Status.HELD, date__gt=caseload_meetings_after(on), date__lte=on
    )
    if district is not None:
        meetings = meetings.filter(district=district)
    meetings_by_chair = dict(
        meetings.values("chair").annotate(n=Count("id")).values_list("chair", "n")
    )
    low, high = settings.IRO_CASELOAD_BAND
    iros = (
        User.objects.filter(
            Q(role__in=[Role.IRO, Role.SENIOR_IRO]) | Q(pk__in=[k for k in by_chair if k])
        )
        .order_by("last_name", "first_name")
        .values(
            "pk",
            "first_name",
            "last_name",
            "username",
            "iro_profile__id",
            "iro_profile__fte",
            "iro_profile__started_on",
            "iro_profile__left_on",
        )
    )
    rows = []
    for iro in iros:  # one row per IRO on the team (tens to hundreds), not per record
        row = by_chair.get(iro["pk"], {})
        children = row.get("children", 0)
        fte = iro["iro_profile__fte"]
        rows.append(
            {
                "iro_id": iro["pk"],
                "name": User.name_of(iro["first_name"], iro["last_name"], iro["username"]),
                "fte": float(fte) if iro["iro_profile__id"] is not None else None,
                "children": children,
                "households": row.get("households", 0),
                "strategy_meetings_last_3_months": meetings_by_chair.get(iro["pk"], 0),
                "band": "above" if children > high else ("below" if children < low else "within"),
                "in_post": _in_post(iro, on),
            }
        )
    unallocated = by_chair.get(None, {}).get("children", 0)
    return [
        r for r in rows if r["children"] or r["strategy_meetings_last_3_months"] or r["in_post"]
    ] + (
        [
            {
                "iro_id": None,
                "name": "No chair recorded",
                "fte": None,
                "children": unallocated,
                "households": by_chair[None]["households"],
                "strategy_meetings_last_3_months": 0,
                "band": "none",
                "in_post": False,
            }
        ]
        if unallocated
        else []
    )


def staffing(*, on: date) -> dict:
    """The IRO team at a date: experience, FTE and employment, and vacancies (§5.2, §5.3)."""
    profiles = (
        IROProfile.objects.filter(Q(started_on__isnull=True) | Q(started_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .order_by("-is_senior", "began_as_iro_year", "user__last_name")
        .values(
            "user__first_name",
            "user__last_name",
            "user__username",
            "is_senior",
            "qualification_year",
            "began_as_iro_year",
            "began_as_senior_year",
            "fte",
            "employment_type",
        )
    )
    team = [
        {
            "name": User.name_of(
                profile["user__first_name"], profile["user__last_name"], profile["user__username"]
            ),
            "senior": profile["is_senior"],
            "qualification_year": profile["qualification_year"],
            "began_as_iro_year": profile["began_as_iro_year"],
            "began_as_senior_year": profile["began_as_senior_year"],
            "fte": float(profile["fte"]),
            "employment_type": profile["employment_type"],
        }
        for profile in profiles
    ]
    vacancies = Vacancy.objects.filter(from_date__lte=on).filter(
        Q(to_date__isnull=True) | Q(to_date__gte=on)
    )
    vacant = vacancies.aggregate(fte=Sum("fte"))["fte"]
    return {
        "team": team,
        "fte_in_post": round(sum(member["fte"] for member in team), 2),
        "vacant_fte": float(vacant) if vacant is not None else 0.0,
    }
