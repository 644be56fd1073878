"""Starting, re-categorising and ending plans: validated, atomic, with history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.models import CategoryChange

from .factories import ChildFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def iro():
    return UserFactory(username="iro-a", role="iro")


def test_starting_a_plan_stores_when_the_first_review_is_due(iro):
    plan = services.plan_start(
        child=ChildFactory(), start_date=dt.date(2011, 11, 30), category="NEG", by=iro
    )
    assert plan.next_review_due_by == dt.date(2012, 2, 29)
    assert plan.latest_category == plan.initial_category == "NEG"
    record = plan.history.get()
    assert record.history_user == iro
    assert record.history_change_reason == "Plan started"


def test_pre_birth_plan_review_falls_due_within_20_working_days_of_birth(iro):
    child = ChildFactory(date_of_birth=dt.date(2024, 3, 4))
    plan = services.plan_start(
        child=child, start_date=dt.date(2024, 3, 1), category="NEG", by=iro, is_pre_birth=True
    )
    assert plan.next_review_due_by == dt.date(2024, 4, 3)


def test_second_open_plan_is_refused_and_nothing_is_saved(iro):
    plan = PlanFactory()
    with pytest.raises(ValidationError) as caught:
        services.plan_start(
            child=plan.child, start_date=dt.date(2024, 6, 1), category="EMO", by=iro
        )
    assert "already has an open child protection plan" in str(caught.value)
    assert plan.child.plans.count() == 1


def test_category_change_is_kept_as_history_not_an_overwrite(iro):
    plan = PlanFactory(start_date=dt.date(2024, 1, 10), initial_category="NEG")
    services.plan_change_category(
        plan=plan, changed_on=dt.date(2024, 4, 10), to_category="EMO", by=iro
    )
    services.plan_change_category(
        plan=plan, changed_on=dt.date(2024, 10, 9), to_category="MUL", by=iro
    )
    plan.refresh_from_db()
    assert plan.initial_category == "NEG"
    assert plan.latest_category == "MUL"
    changes = list(
        CategoryChange.objects.filter(plan=plan).values_list("from_category", "to_category")
    )
    assert changes == [("NEG", "EMO"), ("EMO", "MUL")]


@pytest.mark.parametrize(
    ("changed_on", "to_category", "field"),
    [
        (dt.date(2024, 1, 9), "EMO", "changed_on"),  # before the plan started
        (dt.date(2024, 4, 1), "NEG", "to_category"),  # same category
    ],
)
def test_bad_category_change_is_refused(iro, changed_on, to_category, field):
    plan = PlanFactory(start_date=dt.date(2024, 1, 10), initial_category="NEG")
    with pytest.raises(ValidationError) as caught:
        services.plan_change_category(
            plan=plan, changed_on=changed_on, to_category=to_category, by=iro
        )
    assert field in caught.value.error_dict
    assert not CategoryChange.objects.exists()


def test_ending_a_plan_before_it_started_is_refused(iro):
    plan = PlanFactory(start_date=dt.date(2024, 1, 10))
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.plan_end(plan=plan, end_date=dt.date(2024, 1, 9), reason="other", by=iro)
    plan.refresh_from_db()
    assert plan.end_date is None


def test_ending_a_plan_keeps_who_ended_it(iro):
    plan = PlanFactory(start_date=dt.date(2024, 1, 10))
    services.plan_end(plan=plan, end_date=dt.date(2024, 7, 1), reason="no_longer_at_risk", by=iro)
    plan.refresh_from_db()
    assert plan.end_date == dt.date(2024, 7, 1)
    assert plan.next_review_due_by is None
    latest = plan.history.latest()
    assert latest.history_user == iro and latest.end_reason == "no_longer_at_risk"
    with pytest.raises(ValidationError, match="already ended"):
        services.plan_end(plan=plan, end_date=dt.date(2024, 8, 1), reason="other", by=iro)


def test_recomputing_deadlines_follows_a_changed_timescale_setting(iro, settings):
    from django.utils import timezone

    from conferences.models import Conference

    from .factories import ConferenceChildFactory, ConferenceFactory

    plan = services.plan_start(
        child=ChildFactory(), start_date=dt.date(2024, 1, 10), category="NEG", by=iro
    )
    review = ConferenceFactory(
        household=plan.child.household,
        kind=Conference.Kind.REVIEW,
        scheduled_for=timezone.make_aware(dt.datetime(2024, 4, 9, 10)),  # noqa: DTZ001
    )
    ConferenceChildFactory(
        conference=review, child=plan.child, outcome="plan_continued", category="NEG"
    )
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, "LATER_REVIEW_MONTHS": 5}
    assert services.plans_recompute_review_deadlines() == 1
    plan.refresh_from_db()
    assert plan.next_review_due_by == dt.date(2024, 9, 9)
    assert plan.history.latest().history_change_reason.startswith("Review date recomputed")
    assert services.plans_recompute_review_deadlines() == 0  # safe to run again
