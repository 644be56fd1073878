"""Each child's places at held conferences are stored with the conference's date and chair
(conferences/held.py), and caseloads count each on-plan child for the chair of their latest
held conference from them: whichever door changes a conference or who was at it, the
caseloads follow, and the stored rows stay what the records say."""

import datetime as dt

import pytest
from django.core.management import call_command

from conferences.held import COLUMNS, held_places, store_held_places
from conferences.models import Conference, ConferenceChild, HeldPlace
from reporting.metrics import staff

from ..factories import (
    LONDON,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2012, 3, 31)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)


def _caseloads() -> dict:
    """IRO (None: no chair recorded) -> children counted for them on ON."""
    return {row["iro_id"]: row["children"] for row in staff.caseloads(on=ON) if row["children"]}


def _stored() -> list[tuple]:
    return sorted(HeldPlace.objects.values_list(*COLUMNS))


def _from_records() -> list[tuple]:
    return sorted(held_places().values_list(*COLUMNS.values()))


@pytest.fixture
def child_on_plan():
    plan = PlanFactory(start_date=dt.date(2011, 6, 1))
    return plan.child


def _conference(child, day, chair, **fields) -> Conference:
    conference = ConferenceFactory(
        household=child.household, scheduled_for=_at(day), chair=chair, **fields
    )
    ConferenceChildFactory(conference=conference, child=child)
    return conference


def test_caseloads_follow_a_change_of_chair_and_the_holding_of_a_later_conference(child_on_plan):
    first, second = UserFactory(), UserFactory()
    initial = _conference(child_on_plan, dt.date(2011, 6, 1), first)
    review = _conference(
        child_on_plan,
        dt.date(2011, 9, 1),
        second,
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
    )
    assert _caseloads() == {first.pk: 1}  # a booked conference is not held

    review.status = Conference.Status.HELD
    review.save()
    assert _caseloads() == {second.pk: 1}

    review.chair = None
    review.save(update_fields=["chair"])
    assert _caseloads() == {None: 1}  # the latest held had no chair recorded

    review.chair = first
    review.scheduled_for = _at(dt.date(2012, 6, 1))  # moved after the date counted
    review.save()
    assert _caseloads() == {first.pk: 1}
    assert HeldPlace.objects.get(conference=initial).chair == first
    assert _stored() == _from_records()


def test_the_later_of_two_conferences_on_one_day_counts(child_on_plan):
    first, second = UserFactory(), UserFactory()
    _conference(child_on_plan, dt.date(2011, 6, 1), first)
    _conference(child_on_plan, dt.date(2011, 6, 1), second)
    assert _caseloads() == {second.pk: 1}


def test_a_child_added_to_a_held_conference_or_put_right_moves_with_it(child_on_plan):
    first, second = UserFactory(), UserFactory()
    _conference(child_on_plan, dt.date(2011, 6, 1), first)
    sibling = ChildFactory(household=child_on_plan.household)
    PlanFactory(child=sibling, start_date=dt.date(2011, 6, 1))
    assert _caseloads() == {None: 1, first.pk: 1}  # the sibling has no held conference yet

    later = ConferenceFactory(
        household=child_on_plan.household, scheduled_for=_at(dt.date(2011, 12, 1)), chair=second
    )
    place = ConferenceChildFactory(conference=later, child=sibling)
    assert _caseloads() == {first.pk: 1, second.pk: 1}

    place.child = child_on_plan  # recorded against the wrong child, then put right
    place.save()
    assert _caseloads() == {None: 1, second.pk: 1}
    assert _stored() == _from_records()


def test_writes_that_send_no_signal_are_stored_by_the_rewrite_and_the_command(child_on_plan):
    first, second = UserFactory(), UserFactory()
    conference = _conference(child_on_plan, dt.date(2011, 6, 1), first)
    # Bulk writes (as the census import and the generators make) send no signal.
    Conference.objects.filter(pk=conference.pk).update(chair=second)
    assert _stored() != _from_records()
    assert store_held_places(children=[child_on_plan.pk]) == 1
    assert _caseloads() == {second.pk: 1}

    other = ConferenceFactory(household=child_on_plan.household, scheduled_for=_at(ON))
    ConferenceChild.objects.bulk_create([ConferenceChild(conference=other, child=child_on_plan)])
    Conference.objects.filter(pk=other.pk).update(chair=first)
    call_command("store_derived")
    assert _stored() == _from_records()
    assert _caseloads() == {first.pk: 1}
