"""Whether a plan follows an earlier plan of its child is stored on it (plans/earlier.py), and
NI 65 counts it: every door that changes the order of a child's plans puts it right."""

import datetime as dt

import pytest
from django.core.management import call_command

from plans.models import ChildProtectionPlan
from reporting.metrics import Period, plans

from ..factories import ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)  # April 2024 to March 2025
ENDED = ChildProtectionPlan.EndReason.NO_LONGER_AT_RISK


def _ended(child, start: dt.date, end: dt.date) -> ChildProtectionPlan:
    return PlanFactory(child=child, start_date=start, end_date=end, end_reason=ENDED)


def _follows(*plans_) -> list[bool]:
    return [ChildProtectionPlan.objects.get(pk=p.pk).follows_earlier_plan for p in plans_]


def _ni65() -> tuple[int, int]:
    figure = plans.ni65(period=YEAR)
    return figure["numerator"], figure["denominator"]


def test_a_childs_second_plan_follows_the_first_and_counts_for_ni65():
    child = ChildFactory()
    first = _ended(child, dt.date(2019, 5, 1), dt.date(2020, 6, 1))
    second = PlanFactory(child=child, start_date=dt.date(2024, 9, 2))
    only = PlanFactory(start_date=dt.date(2024, 10, 7))  # another child's first plan

    assert _follows(first, second, only) == [False, True, False]
    assert _ni65() == (1, 2)
    assert plans.ni65(period=YEAR, by_district=True) == {
        child.district_id: {"numerator": 1, "denominator": 1, "percent": 100.0},
        only.child.district_id: {"numerator": 0, "denominator": 1, "percent": 0.0},
    }


def test_a_corrected_start_date_puts_the_plans_in_their_new_order():
    child = ChildFactory()
    earlier = _ended(child, dt.date(2024, 4, 8), dt.date(2024, 8, 1))
    later = _ended(child, dt.date(2024, 9, 2), dt.date(2025, 1, 6))
    assert _follows(earlier, later) == [False, True]

    # The first plan's dates were entered wrongly: it was the later one.
    earlier = ChildProtectionPlan.objects.get(pk=earlier.pk)
    earlier.start_date, earlier.end_date = dt.date(2025, 1, 13), dt.date(2025, 3, 3)
    earlier.save(update_fields=["start_date", "end_date"])

    assert _follows(earlier, later) == [True, False]
    assert _ni65() == (1, 2)


def test_a_plan_moved_to_another_child_leaves_its_former_childs_plans_right():
    child, other = ChildFactory(), ChildFactory()
    wrong = _ended(child, dt.date(2020, 1, 6), dt.date(2021, 1, 4))
    kept = PlanFactory(child=child, start_date=dt.date(2024, 11, 4))
    others = PlanFactory(child=other, start_date=dt.date(2024, 5, 6))
    assert _follows(wrong, kept, others) == [False, True, False]

    wrong = ChildProtectionPlan.objects.get(pk=wrong.pk)
    wrong.child_id = other.pk  # recorded against the wrong child
    wrong.save(update_fields=["child"])
    assert _follows(wrong, kept, others) == [False, False, True]
    assert _ni65() == (1, 2)


def test_plans_written_without_signals_are_marked_by_store_derived(capsys):
    """The census import and the generators write by COPY or bulk_create, which send no
    signals; `store_derived` (which they call after) marks the plans that follow another."""
    child = ChildFactory()
    ChildProtectionPlan.objects.bulk_create(
        [
            ChildProtectionPlan(
                child=child,
                district=child.district,
                start_date=start,
                end_date=end,
                end_reason=ENDED if end else "",
                initial_category="NEG",
                latest_category="NEG",
            )
            for start, end in [
                (dt.date(2021, 3, 1), dt.date(2022, 3, 1)),
                (dt.date(2024, 7, 1), None),
            ]
        ]
    )
    assert _ni65() == (0, 1)

    call_command("store_derived")

    assert _ni65() == (1, 1)
    assert "Stored" in capsys.readouterr().out
