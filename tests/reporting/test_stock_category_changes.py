"""Plans open at each month end by their category then (§6.2): the counts are corrected from
the plans' category changes alone, and must agree with each plan's category as at each date
as `category_on` reads it (the latest change on or before the date, the later id on a day with
two), whatever the order and timing of the changes."""

import datetime as dt

import pytest
from django.db.models import Q

from plans.models import CategoryChange, ChildProtectionPlan
from reporting.metrics import Period, plans

from ..factories import ChildFactory, DistrictFactory, HouseholdFactory, PlanFactory

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def _change(plan, on, to):
    plan.refresh_from_db()
    frm = plan.latest_category
    CategoryChange.objects.create(plan=plan, changed_on=on, from_category=frm, to_category=to)
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(latest_category=to)


def _by_category_then(day, district=None) -> dict:
    """Each open plan counted by category_on, one by one: the rule the measure must match."""
    counts = dict.fromkeys(plans.CATEGORIES, 0)
    open_plans = plans.plans_for(district).filter(plans.open_on(day))
    for category in open_plans.annotate(then=plans.category_on(day)).values_list("then", flat=True):
        counts[category] += 1
    return counts


def test_month_end_counts_follow_every_change_as_category_on_reads_it():
    north = DistrictFactory(name="North")
    south = DistrictFactory(name="South")

    def plan(district, start, end=None, category="NEG"):
        child = ChildFactory(household=HouseholdFactory(district=district))
        fields = {"end_date": end, "end_reason": "no_longer_at_risk"} if end else {}
        return PlanFactory(child=child, start_date=start, initial_category=category, **fields)

    before = plan(north, dt.date(2023, 1, 9))  # changed long before the year, and in it
    _change(before, dt.date(2023, 6, 1), "PHY")
    _change(before, dt.date(2024, 9, 15), "EMO")
    same_day = plan(north, dt.date(2024, 2, 5))  # two changes on one day: the later id holds
    _change(same_day, dt.date(2024, 7, 31), "SAB")
    _change(same_day, dt.date(2024, 7, 31), "MUL")
    back = plan(south, dt.date(2024, 3, 4), category="EMO")  # back to its first category
    _change(back, dt.date(2024, 5, 20), "NEG")
    _change(back, dt.date(2024, 11, 30), "EMO")
    ended = plan(south, dt.date(2024, 1, 8), end=dt.date(2024, 10, 1))  # ends mid-year
    _change(ended, dt.date(2024, 6, 30), "PHY")
    after = plan(south, dt.date(2024, 12, 2))  # starts mid-year, changes after the year
    _change(after, dt.date(2025, 5, 1), "PHY")
    plan(north, dt.date(2024, 4, 1), category="SAB")  # never changed

    days = YEAR.month_ends()
    for district in (None, north, south):
        stock = plans.plans_open_on_dates(days, district=district)
        expected = [_by_category_then(day, district) for day in days]
        assert [month["by_category"] for month in stock] == expected
        assert [month["total"] for month in stock] == [sum(e.values()) for e in expected]

    # Spot checks of what an IRO would read off the table.
    july, august = days[3], days[4]
    assert (july, august) == (dt.date(2024, 7, 31), dt.date(2024, 8, 31))
    north_july = plans.plans_open_on(on=july, district=north)["by_category"]
    assert (north_july["MUL"], north_july["SAB"], north_july["PHY"]) == (1, 1, 1)
    south_december = plans.plans_open_on(on=days[8], district=south)["by_category"]
    assert (south_december["EMO"], south_december["NEG"], south_december["PHY"]) == (1, 1, 0)
    assert not ChildProtectionPlan.objects.filter(Q(pk=ended.pk) & plans.open_on(days[6]))
