"""The child's record page: plans with category history, and a timeline of everything."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from children import services as child_services
from conferences.models import Conference, ConferenceChild, StrategyMeetingChild
from people.models import Role
from plans import services
from plans.models import CoreGroupMeeting, ProtectionVisit

from .factories import (
    LONDON,
    ConferenceChildFactory,
    ConferenceFactory,
    HouseholdFactory,
    LookedAfterEpisodeFactory,
    StrategyMeetingFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def _fill_record(world, reviews: int):
    chair = UserFactory(username=f"chair{reviews}", first_name="Jordan", last_name="Pike")
    child = world.child
    meeting = StrategyMeetingFactory(district=world.north, chair=chair)
    StrategyMeetingChild.objects.create(meeting=meeting, child=child)
    initial = ConferenceFactory(household=child.household, chair=chair, venue=VenueFactory())
    ConferenceChildFactory(conference=initial, child=child, outcome="plan_started", category="NEG")
    plan = services.plan_start(
        child=child,
        start_date=dt.date(2024, 1, 10),
        category="NEG",
        by=chair,
        initial_conference=initial,
    )
    for number in range(reviews):
        review = ConferenceFactory(
            household=child.household,
            kind=Conference.Kind.REVIEW,
            chair=chair,
            scheduled_for=dt.datetime(2024, 4 + number, 9, 10, tzinfo=LONDON),
        )
        ConferenceChildFactory(
            conference=review, child=child, outcome="plan_continued", category="NEG"
        )
        CoreGroupMeeting.objects.create(plan=plan, held_on=dt.date(2024, 2 + number, 1))
        ProtectionVisit.objects.create(plan=plan, visited_on=dt.date(2024, 2 + number, 5))
    services.plan_change_category(
        plan=plan, changed_on=dt.date(2024, 4, 9), to_category="EMO", by=chair
    )
    return plan


def test_record_shows_plan_category_history_and_timeline(clients, world):
    _fill_record(world, reviews=2)
    LookedAfterEpisodeFactory(child=world.child)
    page = clients[Role.AUDITOR].get(reverse("children:detail", args=[world.child.pk])).text
    assert "On a child protection plan" in page
    assert "9 April 2024: Neglect to Emotional abuse" in page
    for event in (
        "Strategy meeting: Child protection (section 47)",
        "Initial conference",
        "Review conference",
        "Core group meeting",
        "Child protection visit",
        "Child protection plan started",
        "Category of abuse changed",
    ):
        assert event in page, event
    assert "chaired by Jordan Pike" in page
    assert "Accommodated under section 20" in page
    assert "Sky Ashdown" in page  # sibling in the same household


def test_record_page_queries_do_not_grow_with_the_record(clients, world):
    client = clients[Role.IRO]
    url = reverse("children:detail", args=[world.child.pk])
    _fill_record(world, reviews=1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # add many more conferences, meetings, core groups and visits to the same child
    plan = world.child.plans.get()
    for number in range(8):
        review = ConferenceFactory(household=world.child.household, kind=Conference.Kind.REVIEW)
        ConferenceChild.objects.create(
            conference=review, child=world.child, outcome="plan_continued", category="EMO"
        )
        CoreGroupMeeting.objects.create(plan=plan, held_on=dt.date(2024, 6, 1 + number))
        ProtectionVisit.objects.create(plan=plan, visited_on=dt.date(2024, 6, 10 + number))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_household_page_lists_children_and_conferences(clients, world):
    ConferenceFactory(
        household=world.child.household,
        status="adjourned",
        adjournment_reason="report_not_available",
    )
    page = (
        clients[Role.BUSINESS_SUPPORT]
        .get(reverse("children:household", args=[world.child.household.pk]))
        .text
    )
    assert "Robin Ashdown" in page and "Sky Ashdown" in page
    assert "Adjourned (report not available)" in page


def _history(client, child):
    response = client.get(reverse("children:history", args=[child.pk]))
    assert response.status_code == 200
    return response, [change for entry in response.context["entries"] for change in entry.changes]


def test_history_shows_labels_and_dates_as_people_write_them(clients, world):
    """Codes and ISO dates are for the database: the page says Emotional abuse, 28 May 2026."""
    iro = world.users[Role.IRO]
    child = world.child
    new_household = HouseholdFactory(district=world.south, reference="H-S-9")
    child_services.child_update(
        child=child,
        by=iro,
        date_of_birth=dt.date(2015, 7, 2),
        expected_date_of_birth=dt.date(2015, 6, 28),
        gender="2",
        ethnicity="WIRI",
        disabilities=["HEAR", "VIS"],
        nhs_number="9434765919",
        district=world.south,
        household=new_household,
    )
    plan = services.plan_start(child=child, start_date=dt.date(2026, 5, 3), category="EMO", by=iro)
    services.plan_change_category(
        plan=plan, changed_on=dt.date(2026, 5, 28), to_category="NEG", by=iro
    )
    plan.refresh_from_db()
    plan.is_pre_birth = True
    plan.number_of_previous_plans = 2
    plan._history_user = iro
    plan.save()
    services.plan_end(plan=plan, end_date=dt.date(2026, 12, 29), reason="moved_away", by=iro)

    response, changes = _history(clients[Role.AUDITOR], child)
    for change in (
        ("Date of birth", "1 June 2015", "2 July 2015"),
        ("Expected date of birth", "not recorded", "28 June 2015"),
        ("Gender", "Not known", "Female"),
        ("Ethnicity", "Information not yet obtained", "White Irish"),
        ("Disabilities", "not recorded", "Hearing, Vision"),
        ("NHS number", "not recorded", "9434765919"),
        ("Household", "Household H-N-1", "Household H-S-9"),
        ("District", "Northbridge", "Southmoor"),
        ("Latest category", "Emotional abuse", "Neglect"),
        ("Started before birth", "No", "Yes"),
        ("Number of previous plans", "not recorded", "2"),
        ("End date", "not recorded", "29 December 2026"),
        ("End reason", "not recorded", "Moved to another local authority"),
    ):
        assert change in changes, change
    assert ("Next review due by", "3 August 2026", "not recorded") in changes
    page = response.text
    assert "Plan from 3 May 2026" in page
    assert "Emotional abuse" in page and "29 December 2026" in page
    # As words: the page's random CSRF token can hold "NEG" or "EMO" among its letters.
    for code in ("EMO", "NEG", "WIRI", "HEAR", "2026-12-29", "moved_away", "True", "None"):
        assert not re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", page), code


def test_history_page_queries_do_not_grow_with_the_history(
    clients, world, django_assert_num_queries
):
    iro = world.users[Role.IRO]
    client = clients[Role.AUDITOR]
    for number in range(6):
        child_services.child_update(
            child=world.child,
            by=iro,
            first_name=f"Robin{number}",
            household=HouseholdFactory(district=world.north),
        )
    _history(client, world.child)
    # session, user, the child, the audit's record of the look, its versions, its plans'
    with django_assert_num_queries(6):
        _history(client, world.child)
