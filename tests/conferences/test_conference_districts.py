"""Each conference's stored district is its household's, whichever door changed either
(conferences/districts.py): the measures count a district's conferences, QA forms and initial
conference dues from it, so a household moving district moves its figures with it."""

import datetime as dt

import pytest
from django.core.management import call_command

from children.models import Household
from conferences.models import Conference, InitialConferenceDue, S47Enquiry
from reporting.metrics import Period, conferences, quality

from ..factories import (
    LONDON,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    DistrictFactory,
    HouseholdFactory,
)
from ..quality.test_quarterly_report import QAFormFactory

pytestmark = pytest.mark.django_db
YEAR = Period.year(2012)
HELD_ON = dt.datetime(2011, 10, 3, 10, tzinfo=LONDON)


def _initial_conference_with_enquiry():
    child = ChildFactory()
    conference = ConferenceFactory(household=child.household, scheduled_for=HELD_ON)
    ConferenceChildFactory(conference=conference, child=child)
    S47Enquiry.objects.create(
        child=child,
        strategy_discussion_on=dt.date(2011, 9, 1),
        started_on=dt.date(2011, 9, 1),
        initial_conference=conference,
        initial_conference_due_by=dt.date(2011, 9, 22),
    )
    return child.household, conference


def _held(district) -> int:
    return conferences.conferences_held(period=YEAR, district=district)["total"]


def test_a_conference_takes_its_households_district_and_follows_it_when_it_moves():
    household, conference = _initial_conference_with_enquiry()
    QAFormFactory(conference=conference, completed_at=HELD_ON)
    north, south = household.district, DistrictFactory(name="South")
    conference.refresh_from_db()
    assert conference.district == north
    assert InitialConferenceDue.objects.get().district == north
    assert (_held(north), _held(south)) == (1, 0)

    household.district = south
    household.save()

    conference.refresh_from_db()
    assert conference.district == south
    assert InitialConferenceDue.objects.get().district == south
    assert (_held(north), _held(south)) == (0, 1)
    timeliness = conferences.initial_conference_timeliness(period=YEAR, by_district=True)
    assert timeliness == {south.pk: {"numerator": 0, "denominator": 1, "percent": 0.0}}
    completion = quality.qa_completion(period=YEAR, by_district=True)
    assert completion == {south.pk: {"numerator": 1, "denominator": 1, "percent": 100.0}}
    assert quality.qa_themes(period=YEAR, district=north)["forms"] == 0
    assert quality.qa_themes(period=YEAR, district=south)["forms"] == 1


def test_a_conference_moved_to_another_household_takes_that_households_district():
    household, conference = _initial_conference_with_enquiry()
    elsewhere = HouseholdFactory(district=DistrictFactory(name="East"))

    conference.household_id = elsewhere.pk  # by id alone, as a form's cleaned data may
    conference.save(update_fields=["household"])

    conference.refresh_from_db()
    assert conference.district == elsewhere.district
    assert _held(elsewhere.district) == 1
    assert _held(household.district) == 0


def test_rows_written_without_signals_get_their_district_from_store_derived(capsys):
    """The census import and the generators write by COPY or bulk_create, which neither
    call save() nor send signals; `store_derived` (which they call after) fills the district,
    and puts right one left behind when a household's district was changed in bulk."""
    household, conference = _initial_conference_with_enquiry()
    Conference.objects.filter(pk=conference.pk).update(district=None)
    other = DistrictFactory(name="West")
    Household.objects.filter(pk=household.pk).update(district=other)  # no signal sent
    assert _held(other) == 0

    call_command("store_derived")

    conference.refresh_from_db()
    assert conference.district == other
    assert InitialConferenceDue.objects.get().district == other
    assert _held(other) == 1
    assert "Stored" in capsys.readouterr().out
