"""Database constraints hold the invariants even if a service is bypassed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from children.models import Child
from iro_service.records import HardDeleteRefused
from people.models import Role, User
from plans.models import ChildProtectionPlan

from .factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    LookedAfterEpisodeFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def _refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_plan_cannot_end_before_it_starts():
    _refused_by_database(
        lambda: PlanFactory(
            start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 30), end_reason="other"
        )
    )
    plan = PlanFactory.build(
        child=ChildFactory(),
        start_date=dt.date(2024, 5, 1),
        end_date=dt.date(2024, 4, 30),
        end_reason="other",
    )
    with pytest.raises(ValidationError, match="A plan cannot end before it starts"):
        plan.full_clean()


def test_plan_may_end_on_the_day_it_starts():
    PlanFactory(start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 1), end_reason="other")


def test_child_cannot_have_two_open_plans():
    first = PlanFactory()
    _refused_by_database(lambda: PlanFactory(child=first.child, start_date=dt.date(2024, 6, 1)))
    second = ChildProtectionPlan(
        child=first.child,
        start_date=dt.date(2024, 6, 1),
        initial_category="EMO",
        latest_category="EMO",
    )
    with pytest.raises(ValidationError, match="already has an open child protection plan"):
        second.full_clean()


def test_child_may_have_a_second_plan_after_the_first_ended():
    first = PlanFactory(end_date=dt.date(2024, 5, 1), end_reason="no_longer_at_risk")
    PlanFactory(child=first.child, start_date=dt.date(2024, 9, 1))
    assert first.child.plans.count() == 2


def test_ended_plan_needs_a_reason():
    _refused_by_database(lambda: PlanFactory(end_date=dt.date(2024, 5, 1), end_reason=""))


def test_child_is_considered_once_per_conference():
    row = ConferenceChildFactory()
    _refused_by_database(lambda: ConferenceChildFactory(conference=row.conference, child=row.child))


def test_plan_outcome_at_conference_needs_a_category():
    _refused_by_database(lambda: ConferenceChildFactory(outcome="plan_started", category=""))


def test_adjourned_conference_needs_a_reason():
    _refused_by_database(lambda: ConferenceFactory(status="adjourned", adjournment_reason=""))


def test_child_needs_a_date_of_birth_or_an_expected_one():
    _refused_by_database(lambda: ChildFactory(date_of_birth=None, expected_date_of_birth=None))
    ChildFactory(date_of_birth=None, expected_date_of_birth=dt.date(2025, 1, 1))


def test_district_manager_must_have_a_district():
    _refused_by_database(
        lambda: User.objects.create(username="dm", role=Role.DISTRICT_MANAGER, district=None)
    )


def test_one_open_looked_after_episode_per_child():
    episode = LookedAfterEpisodeFactory()
    _refused_by_database(lambda: LookedAfterEpisodeFactory(child=episode.child))


def test_case_records_are_never_hard_deleted():
    plan = PlanFactory()
    with pytest.raises(HardDeleteRefused):
        plan.child.delete()
    with pytest.raises(HardDeleteRefused):
        Child.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        plan.delete()
    assert Child.objects.filter(pk=plan.child.pk).exists()
