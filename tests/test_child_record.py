"""The child's record page: plans with category history, and a timeline of everything."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.models import Conference, ConferenceChild, StrategyMeetingChild
from people.models import Role
from plans import services
from plans.models import CoreGroupMeeting, ProtectionVisit

from .factories import (
    LONDON,
    ConferenceChildFactory,
    ConferenceFactory,
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
