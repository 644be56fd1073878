"""Each plan's stored district is its child's, whichever door changed either
(plans/districts.py): the measures count a district's plans, and NI 67 its reviews, from it,
so a child moving district moves their figures with them."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Child
from children.services import child_update
from plans.models import ChildProtectionPlan
from reporting.metrics import Period, plans

from ..factories import ChildFactory, DistrictFactory, HouseholdFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)


def _open_by_district() -> dict:
    return plans.plans_open_by_district(on=YEAR.end)


def _ended_plan(child) -> ChildProtectionPlan:
    """A plan of two and a half years ended in the year: NI 64 counts it."""
    return PlanFactory(
        child=child,
        start_date=dt.date(2022, 6, 1),
        end_date=dt.date(2024, 12, 1),
        end_reason=ChildProtectionPlan.EndReason.NO_LONGER_AT_RISK,
    )


def test_a_plan_takes_its_childs_district_and_follows_the_child_to_another():
    child = ChildFactory()
    north, south = child.district, DistrictFactory(name="South")
    open_plan = PlanFactory(child=child, start_date=dt.date(2025, 1, 6))
    ended = _ended_plan(child)
    assert {open_plan.district, ended.district} == {north}
    assert _open_by_district() == {north.pk: 1}
    assert plans.plans_open_on(on=YEAR.end, district=north)["total"] == 1

    child = Child.objects.get(pk=child.pk)  # as a page loads it
    child_update(
        child=child,
        by=UserFactory(),
        household=HouseholdFactory(district=south),
        district=south,
        reason="Moved to the south",
    )

    assert set(ChildProtectionPlan.objects.values_list("district", flat=True)) == {south.pk}
    assert _open_by_district() == {south.pk: 1}
    assert plans.plans_open_on(on=YEAR.end, district=north)["total"] == 0
    assert plans.plans_open_on(on=YEAR.end, district=south)["total"] == 1
    assert plans.ni64(period=YEAR, by_district=True) == {
        south.pk: {"numerator": 1, "denominator": 1, "percent": 100.0}
    }
    assert plans.ni64(period=YEAR, district=north)["denominator"] == 0


def test_a_plan_moved_to_another_child_takes_that_childs_district():
    plan = PlanFactory(start_date=dt.date(2025, 1, 6))
    other = ChildFactory(household=HouseholdFactory(district=DistrictFactory(name="East")))

    plan = ChildProtectionPlan.objects.get(pk=plan.pk)
    plan.child_id = other.pk  # by id alone, as a form's cleaned data may
    plan.save(update_fields=["child"])

    plan.refresh_from_db()
    assert plan.district == other.district
    assert _open_by_district() == {other.district.pk: 1}


def test_saving_a_child_without_moving_them_does_not_touch_their_plans():
    child = ChildFactory()
    PlanFactory(child=child)
    child = Child.objects.get(pk=child.pk)

    with CaptureQueriesContext(connection) as queries:
        child_update(child=child, by=UserFactory(), first_name="Robin", reason="Spelling")

    written = [
        q["sql"] for q in queries.captured_queries if "plans_childprotectionplan" in q["sql"]
    ]
    assert written == []
    assert ChildProtectionPlan.objects.get().district == child.district


def test_rows_written_without_signals_get_their_district_from_store_derived(capsys):
    """The census import and the generators write by COPY or bulk_create, which neither
    call save() nor send signals; `store_derived` (which they call after) fills the district,
    and puts right one left behind when a child's district was changed in bulk."""
    moved, unstored = ChildFactory(), ChildFactory()
    PlanFactory(child=moved, start_date=dt.date(2025, 1, 6))
    PlanFactory(child=unstored, start_date=dt.date(2025, 2, 3))
    ChildProtectionPlan.objects.filter(child=unstored).update(district=None)
    west = DistrictFactory(name="West")
    Child.objects.filter(pk=moved.pk).update(district=west)  # no signal sent
    assert _open_by_district() == {moved.district.pk: 1, None: 1}

    call_command("store_derived")

    assert _open_by_district() == {west.pk: 1, unstored.district.pk: 1}
    assert "Stored" in capsys.readouterr().out
