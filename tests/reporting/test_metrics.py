"""The measures of indicators.md, edge case by edge case, on the real database."""

import datetime as dt

import pytest

from children.models import Child
from conferences.models import Conference
from plans.models import CategoryChange, ChildProtectionPlan
from reporting.metrics import Period, compute_all, conferences, plans, reviews

from ..factories import (
    LONDON,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db
YEAR = Period.year(2012)  # 1 April 2011 to 31 March 2012


def _review(child, on: dt.date, *, status="held", **extra):
    conference = ConferenceFactory(
        household=child.household,
        kind=Conference.Kind.REVIEW,
        status=status,
        scheduled_for=dt.datetime(on.year, on.month, on.day, 10, tzinfo=LONDON),
        **extra,
    )
    ConferenceChildFactory(
        conference=conference, child=child, outcome="plan_continued", category="NEG"
    )
    return conference


def test_plan_ending_on_31_march_is_ended_in_the_year_and_not_open_at_its_end():
    PlanFactory(start_date=dt.date(2011, 6, 1), end_date=dt.date(2012, 3, 31), end_reason="other")
    assert plans.plans_ended(period=YEAR) == 1
    assert plans.plans_open_at_end(period=YEAR)["total"] == 0
    assert plans.plans_open_on(on=dt.date(2012, 3, 30))["total"] == 1


def test_plan_lasting_exactly_two_years_counts_for_ni64_and_a_day_less_does_not():
    PlanFactory(start_date=dt.date(2010, 3, 31), end_date=dt.date(2012, 3, 31), end_reason="other")
    PlanFactory(start_date=dt.date(2010, 4, 1), end_date=dt.date(2012, 3, 31), end_reason="other")
    assert plans.ni64(period=YEAR) == {"numerator": 1, "denominator": 2, "percent": 50.0}
    assert plans.plans_ending_by_duration(period=YEAR) == {
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 1,
        "E": 1,
        "F": 0,
    }


def test_leap_day_two_year_plan():
    # 29 Feb 2008 + 24 months = 28 Feb 2010 (clamped): a plan ending then lasted two years.
    PlanFactory(start_date=dt.date(2008, 2, 29), end_date=dt.date(2010, 2, 28), end_reason="other")
    assert plans.ni64(period=Period.year(2010))["numerator"] == 1


def test_child_on_two_plans_in_one_year_counts_twice_and_the_second_is_a_repeat():
    first = PlanFactory(
        start_date=dt.date(2011, 5, 1), end_date=dt.date(2011, 9, 1), end_reason="other"
    )
    PlanFactory(child=first.child, start_date=dt.date(2012, 1, 10))
    PlanFactory(start_date=dt.date(2011, 7, 1))  # another child, first plan
    assert plans.plans_started(period=YEAR) == 3
    assert plans.ni65(period=YEAR) == {"numerator": 1, "denominator": 3, "percent": 33.33}


def test_imported_previous_plan_count_makes_a_repeat():
    PlanFactory(start_date=dt.date(2011, 7, 1), number_of_previous_plans=2)
    PlanFactory(start_date=dt.date(2011, 7, 1), number_of_previous_plans=0)
    assert plans.ni65(period=YEAR)["numerator"] == 1


def test_category_change_during_the_year_moves_the_plan_between_month_ends():
    plan = PlanFactory(start_date=dt.date(2011, 1, 10), initial_category="NEG")
    CategoryChange.objects.create(
        plan=plan, changed_on=dt.date(2011, 9, 15), from_category="NEG", to_category="EMO"
    )
    stock = {row["month_end"]: row["by_category"] for row in plans.monthly_stock(period=YEAR)}
    assert stock["2011-08-31"]["NEG"] == 1 and stock["2011-08-31"]["EMO"] == 0
    assert stock["2011-09-30"]["NEG"] == 0 and stock["2011-09-30"]["EMO"] == 1
    assert len(stock) == 12 and "2012-02-29" in stock


def test_stock_by_category_agrees_with_each_plans_category_on_each_month_end():
    """Two queries count a year's month ends (plans_open_on_dates); each plan's category at
    each month end, read one plan and date at a time, must give the same counts: changes on
    a month end, two on one day (the later recorded wins), before and after the year, and a
    plan ending on a month end."""
    changes = {
        ("NEG", dt.date(2010, 6, 1), None): [(dt.date(2011, 5, 31), "EMO")],
        ("PHY", dt.date(2011, 4, 20), dt.date(2011, 11, 30)): [
            (dt.date(2011, 7, 4), "SAB"),
            (dt.date(2011, 7, 4), "MUL"),
        ],
        ("EMO", dt.date(2009, 3, 1), None): [(dt.date(2010, 1, 5), "NEG")],
        ("SAB", dt.date(2011, 9, 1), None): [(dt.date(2012, 4, 2), "PHY")],
        ("MUL", dt.date(2011, 12, 31), dt.date(2012, 3, 31)): [],
    }
    for (first, start, end), moves in changes.items():
        plan = PlanFactory(
            start_date=start, end_date=end, end_reason="RTP" if end else "", initial_category=first
        )
        previous = first
        for changed_on, to in moves:
            CategoryChange.objects.create(
                plan=plan, changed_on=changed_on, from_category=previous, to_category=to
            )
            previous = to
    for row in plans.monthly_stock(period=YEAR):
        on = dt.date.fromisoformat(row["month_end"])
        expected = dict.fromkeys(plans.CATEGORIES, 0)
        for plan in ChildProtectionPlan.objects.filter(plans.open_on(on)).annotate(
            then=plans.category_on(on)
        ):
            expected[plan.then] += 1
        assert row["by_category"] == expected, on
        assert row["total"] == sum(expected.values())
    assert plans.monthly_stock(period=YEAR)[3]["by_category"]["MUL"] == 1  # 31 July


def test_first_review_due_on_a_leap_day_is_on_time_on_it_and_late_a_day_after():
    on_time = PlanFactory(start_date=dt.date(2011, 11, 30))
    _review(on_time.child, dt.date(2012, 2, 29))
    late = PlanFactory(start_date=dt.date(2011, 11, 30))
    _review(late.child, dt.date(2012, 3, 1), delay_reason="admin_error")
    rows = reviews.late_reviews(period=YEAR)
    assert [(r["child_id"], r["due_on"], r["held_on"], r["days_late"]) for r in rows] == [
        (late.child.pk, "2012-02-29", "2012-03-01", 1)
    ]
    assert rows[0]["reason"] == "Booked late in error"
    assert reviews.ni67(period=YEAR) == {"numerator": 1, "denominator": 2, "percent": 50.0}


def test_ni67_later_reviews_within_six_months_and_none_overdue_at_31_march():
    plan = PlanFactory(start_date=dt.date(2010, 8, 1))
    _review(plan.child, dt.date(2010, 10, 30))
    _review(plan.child, dt.date(2011, 4, 30))  # 6 months after 30 Oct is 30 April: on time
    _review(plan.child, dt.date(2011, 10, 28))
    overdue = PlanFactory(start_date=dt.date(2010, 8, 1))
    _review(overdue.child, dt.date(2010, 10, 30))
    _review(overdue.child, dt.date(2011, 4, 30))
    _review(overdue.child, dt.date(2011, 9, 29))  # next due 29 March 2012: overdue at 31 March
    assert reviews.ni67(period=YEAR) == {"numerator": 1, "denominator": 2, "percent": 50.0}
    assert reviews.late_reviews(period=YEAR) == []


def test_ni67_needs_three_months_on_the_plan_and_counts_only_reviews_the_child_was_at():
    PlanFactory(start_date=dt.date(2012, 1, 1))  # under 3 months at 31 March: not counted
    plan = PlanFactory(start_date=dt.date(2011, 12, 31))  # exactly 3 months: counted
    sibling = ChildFactory(household=plan.child.household)
    conference = ConferenceFactory(
        household=plan.child.household,
        kind=Conference.Kind.REVIEW,
        scheduled_for=dt.datetime(2012, 3, 20, 10, tzinfo=LONDON),
    )
    ConferenceChildFactory(conference=conference, child=sibling)  # not the plan's child
    assert reviews.ni67(period=YEAR) == {"numerator": 1, "denominator": 1, "percent": 100.0}
    # the 31 March due date is met by the start alone (start + 3 months = 31 March)


def test_rearranged_review_is_late_with_the_adjournment_reason():
    plan = PlanFactory(start_date=dt.date(2011, 6, 1))
    first = _review(
        plan.child, dt.date(2011, 8, 30), status="rearranged", adjournment_reason="not_quorate"
    )
    _review(plan.child, dt.date(2011, 9, 14), rearranged_from=first)
    [row] = reviews.late_reviews(period=YEAR)
    assert row["due_on"] == "2011-09-01" and row["days_late"] == 13
    assert row["reason"] == "Not quorate"
    adjourned = conferences.adjournments(period=YEAR)
    assert adjourned == [{"month": "2011-08", "reason": "not_quorate", "count": 1}]
    assert conferences.conferences_held(period=YEAR)["review"] == 1


def test_unborn_child_plan_counts_in_the_stock_and_has_no_age():
    child = ChildFactory(date_of_birth=None, expected_date_of_birth=dt.date(2012, 5, 1))
    PlanFactory(child=child, start_date=dt.date(2012, 2, 1), is_pre_birth=True)
    assert plans.plans_open_at_end(period=YEAR)["total"] == 1
    profile = plans.current_plans_over_two_years(period=YEAR)
    assert profile["total"] == 0


def test_initial_conference_timeliness_counts_children_and_skips_bank_holidays():
    from conferences.models import S47Enquiry
    from conferences.rules import initial_conference_due_by

    household = ChildFactory().household
    siblings = [ChildFactory(household=household) for _ in range(2)]
    discussion = dt.date(2011, 12, 20)  # 15 working days, Christmas and New Year skipped
    due = initial_conference_due_by(strategy_discussion_on=discussion)
    assert due == dt.date(2012, 1, 13)
    held = ConferenceFactory(
        household=household, scheduled_for=dt.datetime(2012, 1, 13, 10, tzinfo=LONDON)
    )
    for child in siblings:
        ConferenceChildFactory(conference=held, child=child, outcome="plan_started", category="NEG")
        S47Enquiry.objects.create(
            child=child,
            strategy_discussion_on=discussion,
            started_on=discussion,
            initial_conference=held,
            initial_conference_due_by=due,
            outcome="conference",
        )
    other = ChildFactory()
    late = ConferenceFactory(
        household=other.household, scheduled_for=dt.datetime(2012, 1, 16, 10, tzinfo=LONDON)
    )
    ConferenceChildFactory(conference=late, child=other, outcome="no_plan")
    S47Enquiry.objects.create(
        child=other,
        strategy_discussion_on=discussion,
        started_on=discussion,
        initial_conference=late,
        initial_conference_due_by=due,
        outcome="conference",
    )
    assert conferences.initial_conference_timeliness(period=YEAR) == {
        "numerator": 2,
        "denominator": 3,
        "percent": 66.67,
    }


def test_district_filter_limits_every_measure(world):
    PlanFactory(child=world.child, start_date=dt.date(2011, 5, 1))
    PlanFactory(child=world.south_child, start_date=dt.date(2011, 5, 1))
    assert plans.plans_started(period=YEAR, district=world.north) == 1
    assert compute_all(period=YEAR, district=world.south)["plans_open_at_end"]["total"] == 1
    assert compute_all(period=YEAR)["plans_open_at_end"]["total"] == 2


def test_cohort_profile_ages_at_the_end_of_the_plan():
    child = ChildFactory(date_of_birth=dt.date(2005, 4, 1), ethnicity="MOTH")
    PlanFactory(
        child=child,
        start_date=dt.date(2009, 6, 1),
        end_date=dt.date(2012, 3, 31),
        end_reason="other",
        initial_category="EMO",
    )
    cohort = plans.ni64_cohort(period=YEAR)
    assert cohort["age_bands"] == {"0-4": 0, "5-9": 1, "10-15": 0, "16+": 0}
    assert cohort["by_category"]["EMO"] == 1 and cohort["by_ethnicity"] == {"MOTH": 1}
    assert cohort["average_age"] == 6.0
    assert Child.objects.count() == 1
