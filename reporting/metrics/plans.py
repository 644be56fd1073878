"""Measures of child protection plans (indicators.md: NI 64, NI 65, stock, duration, cohorts).

Every function aggregates in the database; none loops over plans in Python.
"""

from datetime import date

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lead

from children.codes import Ethnicity
from children.models import Child, LookedAfterEpisode
from conferences.models import Category
from people.models import District
from plans.models import CategoryChange, ChildProtectionPlan
from plans.rules import OPEN_UNTIL
from reporting.models import ReferenceYear

from .periods import Period, count_ratio, ratio
from .shared import once, sharing
from .sql import AddMonths, AgeInYears, date_param, on_path, sql_rows

CATEGORIES = list(Category.values)
AGE_BANDS = {"0-4": (0, 4), "5-9": (5, 9), "10-15": (10, 15), "16+": (16, 200)}
BANDS = {"A": 3, "B": 6, "C": 12, "D": 24, "E": 36}  # band: lasted less than N months
EVERY_ROW = 2**62  # a LIMIT that keeps every row (see _profile)


def plans_for(district: District | None) -> QuerySet[ChildProtectionPlan]:
    plans = ChildProtectionPlan.objects.all()
    # The plan's stored district is its child's (plans/districts.py): no child is looked up.
    return plans.filter(district=district) if district is not None else plans


def open_on(on) -> Q:
    """Open on a date: started on or before it and not ended on or before it."""
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def category_on(on) -> Coalesce:
    """The plan's category as at a date: its last change on or before it, else its first."""
    change = CategoryChange.objects.filter(plan=OuterRef("pk"), changed_on__lte=on).order_by(
        "-changed_on", "-id"
    )
    return Coalesce(Subquery(change.values("to_category")[:1]), F("initial_category"))


def _count_by(field: str, values) -> dict:
    return {value: Count("id", filter=Q(**{field: value})) for value in values}


def _age_band_counts(field: str = "age") -> dict:
    return {
        band: Count("id", filter=Q(**{f"{field}__gte": low, f"{field}__lte": high}))
        for band, (low, high) in AGE_BANDS.items()
    }


def plans_open_on(*, on: date, district: District | None = None) -> dict:
    """Plans open on a date, by category as at that date (§6.1, §6.2)."""
    return plans_open_on_dates([on], district=district)[0]


def plans_open_on_dates(days: list[date], *, district: District | None = None) -> list[dict]:
    """Plans open on each of some dates, by category as at each date, in two queries whatever
    the number of dates (the twelve month ends of a year).

    The first counts the open plans by their first category, in one scan of the plans open at
    any of the dates. A plan's category changes on few plans, so the second corrects the
    counts from their changes alone, in one scan of them: each change holds from its date
    until the plan's next change (the next by date, then by id: category_on's order), so on
    each date the one change holding then, if any, moves its plan from its first category to
    the change's."""
    # Open at any of the dates: started by the last, open until after the first. Read as one
    # range of the plan_open_until index (plans/models.py).
    plans = (
        plans_for(district)
        .alias(open_until=Coalesce("end_date", Value(OPEN_UNTIL)))
        .filter(start_date__lte=max(days), open_until__gt=min(days))
    )
    opens = [open_on(day) for day in days]
    rows = (
        plans.order_by()
        .values("initial_category")
        .annotate(**{f"open_{i}": Count("id", filter=q) for i, q in enumerate(opens)})
    )
    counts = [dict.fromkeys(CATEGORIES, 0) for _ in days]
    for row in rows:  # one row per first category
        for i, by_category in enumerate(counts):
            by_category[row["initial_category"]] += row[f"open_{i}"]
    changes = CategoryChange.objects.alias(
        plan_open_until=Coalesce("plan__end_date", Value(OPEN_UNTIL))
    ).filter(
        plan__start_date__lte=max(days),
        plan_open_until__gt=min(days),
        changed_on__lte=max(days),
    )
    if district is not None:
        changes = changes.filter(plan__district=district)
    changes = (
        changes.annotate(
            first_category=F("plan__initial_category"),
            next_changed_on=Window(
                Lead("changed_on"),
                partition_by=[F("plan_id")],
                order_by=[F("changed_on").asc(), F("id").asc()],
            ),
            **{
                f"open_{i}": Case(When(on_path(q, "plan"), then=1), default=0)
                for i, q in enumerate(opens)
            },
        )
        .order_by()
        .values(
            "first_category",
            "to_category",
            "changed_on",
            "next_changed_on",
            *(f"open_{i}" for i in range(len(days))),
        )
    )
    inner, params = changes.query.sql_with_params()
    holding = ", ".join(
        f"SUM(CASE WHEN open_{i} = 1 AND changed_on <= %s "
        "AND (next_changed_on IS NULL OR next_changed_on > %s) THEN 1 ELSE 0 END)"
        for i in range(len(days))
    )
    sql = (  # Django-compiled SQL, its parameters apart
        f"SELECT first_category, to_category, {holding} FROM ({inner}) changes "  # noqa: S608
        "WHERE first_category <> to_category GROUP BY first_category, to_category"
    )
    days_params = [value for day in days for value in (date_param(day), date_param(day))]
    for first, then, *moved in sql_rows(sql, (*days_params, *params)):
        for i, by_category in enumerate(counts):
            by_category[first] -= moved[i]
            by_category[then] += moved[i]
    return [{"total": sum(by.values()), "by_category": by} for by in counts]


def _stock_dates(period: Period) -> list[date]:
    """The dates of a period's stock: the day before it starts, then each month end."""
    return [date.fromordinal(period.start.toordinal() - 1), *period.month_ends()]


def _stock(days: list[date], *, period: Period, district: District | None) -> list[dict]:
    """Plans open on some of the period's stock dates. Inside one computation
    (shared_district_figures) they are read from the stock on every one of its dates, counted
    once (two queries) for the stock at the start and end, the monthly stock and the rate;
    alone, counted for these dates only."""
    if not sharing():
        return plans_open_on_dates(days, district=district)
    all_days = _stock_dates(period)
    stock = once(
        ("stock", period, district),
        lambda: dict(zip(all_days, plans_open_on_dates(all_days, district=district), strict=True)),
    )
    return [stock[day] for day in days]


def plans_open_at_end(*, period: Period, district: District | None = None) -> dict:
    return _stock([period.end], period=period, district=district)[0]


def plans_open_at_start(*, period: Period, district: District | None = None) -> dict:
    """Plans open the day before the period starts (at 31 March, for a reporting year)."""
    return _stock(_stock_dates(period)[:1], period=period, district=district)[0]


def monthly_stock(*, period: Period, district: District | None = None) -> list[dict]:
    """Plans open at each month end, by category as at that date (§6.2). Two queries."""
    month_ends = period.month_ends()
    return [
        {"month_end": month_end.isoformat(), **counts}
        for month_end, counts in zip(
            month_ends, _stock(month_ends, period=period, district=district), strict=True
        )
    ]


def plans_started(*, period: Period, district: District | None = None) -> int:
    return plans_for(district).filter(start_date__range=(period.start, period.end)).count()


def plans_ended(*, period: Period, district: District | None = None) -> int:
    return plans_for(district).filter(end_date__range=(period.start, period.end)).count()


def rate_per_10000(*, period: Period, district: District | None = None) -> dict:
    """Plans open at the period end per 10,000 children under 18 (§6.1). The population is
    reference data for the whole authority, so there is no rate for a district."""
    plans = plans_open_at_end(period=period, district=district)["total"]
    reference = ReferenceYear.objects.filter(year=period.reporting_year).first()
    population = reference.under_18_population if reference and district is None else None
    rate = round(plans / population * 10000, 2) if population else None
    return {"plans": plans, "population": population, "rate": rate}


def _ended_in(period: Period, district: District | None) -> QuerySet:
    return plans_for(district).filter(end_date__range=(period.start, period.end))


def ni64(*, period: Period, district: District | None = None, by_district: bool = False):
    """NI 64: of plans ended in the period, those that lasted two years or more."""
    return count_ratio(
        _ended_in(period, district),
        Q(end_date__gte=AddMonths(F("start_date"), 24)),
        by="district" if by_district else None,
    )


def ended_under_one_year(*, period: Period, by_district: bool = False):
    """Share of plans ended in the period that lasted under a year (bands A to C, §6.3.3)."""
    return count_ratio(
        _ended_in(period, None),
        Q(end_date__lt=AddMonths(F("start_date"), 12)),
        by="district" if by_district else None,
    )


def plans_open_by_district(*, on: date) -> dict:
    """Plans open on a date per district id, in one grouped query."""
    rows = plans_for(None).filter(open_on(on)).values("district").annotate(n=Count("id"))
    return {row["district"]: row["n"] for row in rows.order_by()}


def plans_ending_by_duration(*, period: Period, district: District | None = None) -> dict:
    """Plans ended in the period by duration band A to F (§6.3.3), counts."""
    lasted = {
        band: Q(end_date__gte=AddMonths(F("start_date"), months)) for band, months in BANDS.items()
    }
    order = list(BANDS)
    filters = {}
    for index, band in enumerate(order):
        shorter = ~lasted[band]
        filters[band] = shorter if index == 0 else lasted[order[index - 1]] & shorter
    filters["F"] = lasted["E"]
    return _ended_in(period, district).aggregate(
        **{band: Count("id", filter=condition) for band, condition in filters.items()}
    )


def _profile(plans: QuerySet, *, age_on, category_field: str) -> dict:
    """Age bands, categories, ethnicity and average age of a set of plans.

    The plans are thousands, the children a million at England's scale: each plan's child is
    read by primary key (a subquery; with nested loops off, as every measure runs, a join
    would hash every child)."""
    child = Child.objects.filter(pk=OuterRef("child_id")).order_by()
    aged = plans.annotate(age=AgeInYears(Subquery(child.values("date_of_birth")), age_on))
    # Sliced (a LIMIT no set of plans reaches), the plans with their ages are a subquery that
    # PostgreSQL computes once, then aggregates. Unsliced, it is merged into the aggregate,
    # and each plan's child was looked up again for every age band and category counted
    # (9 lookups a plan, where 1 is needed).
    aged = aged.order_by()[:EVERY_ROW]
    counts = aged.aggregate(
        total=Count("id"),
        average_age=Avg("age"),
        **{f"age_{band}": count for band, count in _age_band_counts().items()},
        **{f"category_{c}": Count("id", filter=Q(**{category_field: c})) for c in CATEGORIES},
    )
    by_ethnicity = dict(
        plans.annotate(ethnicity=Subquery(child.values("ethnicity")))
        .order_by()
        .values_list("ethnicity")
        .annotate(n=Count("id"))
        .values_list("ethnicity", "n")
    )
    average = counts.pop("average_age")
    return {
        "total": counts.pop("total"),
        "age_bands": {band: counts[f"age_{band}"] for band in AGE_BANDS},
        "by_category": {c: counts[f"category_{c}"] for c in CATEGORIES},
        "by_ethnicity": {
            code: by_ethnicity[code] for code in Ethnicity.values if code in by_ethnicity
        },
        "average_age": round(float(average), 1) if average is not None else None,
    }


def ni64_cohort(*, period: Period, district: District | None = None) -> dict:
    """Plans ended in the period after two years or more: age at end, category at end (the
    latest), ethnicity, average age (§6.3.2)."""
    plans = _ended_in(period, district).filter(end_date__gte=AddMonths(F("start_date"), 24))
    return _profile(plans, age_on=F("end_date"), category_field="latest_category")


def current_plans_over_two_years(*, period: Period, district: District | None = None) -> dict:
    """Plans open at the period end that started two years or more before it (§6.3.2)."""
    open_plans = plans_for(district).filter(open_on(period.end))
    long_plans = (
        open_plans.alias(two_years_on=AddMonths(F("start_date"), 24))
        .filter(two_years_on__lte=period.end)
        .annotate(category_then=category_on(period.end))
    )
    profile = _profile(long_plans, age_on=period.end, category_field="category_then")
    return {**profile, "share_of_open": ratio(profile["total"], open_plans.count())}


def ni65(*, period: Period, district: District | None = None, by_district: bool = False):
    """NI 65: of plans started in the period, those whose child had a plan before (however
    long ago), or an imported NumberOfPreviousCPP above 0. Whether a plan follows an earlier
    one of its child is stored on it (plans/earlier.py)."""
    started = plans_for(district).filter(start_date__range=(period.start, period.end))
    return count_ratio(
        started,
        Q(follows_earlier_plan=True) | Q(number_of_previous_plans__gt=0),
        by="district" if by_district else None,
    )


def looked_after_and_on_plan(*, period: Period, district: District | None = None) -> dict:
    """Children on a plan at the period end who are also looked after, by placement type and
    by legal status (§6.3.4)."""
    on = period.end
    episodes = LookedAfterEpisode.objects.filter(
        Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on)),
        Exists(plans_for(district).filter(open_on(on), child=OuterRef("child"))),
    )
    counts = episodes.aggregate(
        total=Count("child", distinct=True),
        **{
            f"placement_{v}": Count("id", filter=Q(placement_type=v))
            for v in LookedAfterEpisode.PlacementType.values
        },
        **{
            f"legal_{v}": Count("id", filter=Q(legal_status=v))
            for v in LookedAfterEpisode.LegalStatus.values
        },
    )
    return {
        "total": counts["total"],
        "by_placement": {
            v: counts[f"placement_{v}"] for v in LookedAfterEpisode.PlacementType.values
        },
        "by_legal_status": {v: counts[f"legal_{v}"] for v in LookedAfterEpisode.LegalStatus.values},
    }
