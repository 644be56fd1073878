"""Overdue core groups and visits: whose list each plan is on (the allocated IRO, the district,
everyone), what counts as overdue, and a fixed number of queries however many rows."""

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string

from conferences.models import Conference
from people.models import Role
from plans import services
from plans.selectors import overdue_contacts_for, overdue_rows

from ..factories import ChildFactory, HouseholdFactory, UserFactory
from .contacts_world import LONDON, STARTED, contacts_world, held_conference

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2026, 3, 20, 10, 0, tzinfo=LONDON)  # Friday: 4 days after the first due
TODAY = LATER.date()


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.fixture
def contacts(world):
    return contacts_world(world)


def _listed(user) -> dict[str, set]:
    lists = overdue_contacts_for(user, today=TODAY)
    return {kind: {plan.child.first_name for plan in plans} for kind, plans in lists.items()}


def test_an_iro_sees_the_children_allocated_to_them_only(world, contacts):
    assert _listed(world.users[Role.IRO]) == {
        "core_groups": {"Robin", "Sky"},
        "visits": {"Robin", "Sky"},
    }
    assert _listed(contacts.other_iro) == {"core_groups": {"Ellis"}, "visits": {"Ellis"}}


@pytest.mark.parametrize(
    "role", [Role.SENIOR_IRO, Role.BUSINESS_SUPPORT, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
)
def test_the_senior_iro_and_the_other_roles_see_the_whole_authority(world, contacts, role):
    everyone = {"Robin", "Sky", "Ellis"}
    assert _listed(world.users[role]) == {"core_groups": everyone, "visits": everyone}


def test_a_district_manager_sees_their_district_only(world, contacts):
    assert _listed(world.users[Role.DISTRICT_MANAGER])["visits"] == {"Robin", "Sky"}
    assert _listed(world.users["other_district_manager"])["visits"] == {"Ellis"}


def test_the_chair_of_the_latest_held_conference_is_the_allocated_iro(world, contacts):
    iro = world.users[Role.IRO]
    held_conference(
        household=world.south_child.household,
        children=[world.south_child],
        chair=iro,
        on=dt.date(2026, 3, 18),
        kind=Conference.Kind.REVIEW,
    )
    # A conference booked for later, chaired by someone else, does not change it.
    booked = held_conference(
        household=world.south_child.household,
        children=[world.south_child],
        chair=contacts.other_iro,
        on=dt.date(2026, 4, 1),
        kind=Conference.Kind.REVIEW,
    )
    Conference.objects.filter(pk=booked.pk).update(status=Conference.Status.BOOKED)
    assert _listed(iro)["visits"] == {"Robin", "Sky", "Ellis"}
    assert _listed(contacts.other_iro)["visits"] == set()


def test_only_dates_before_today_on_open_plans_are_overdue(world, contacts):
    support = world.users[Role.BUSINESS_SUPPORT]
    # Robin's visit on the 12th: the next is due on Thursday 26 March.
    services.visit_record(
        plan=contacts.plan,
        visited_on=dt.date(2026, 3, 12),
        child_seen=True,
        child_seen_alone=False,
        visited_by="Pat Social",
        by=support,
    )
    services.plan_end(
        plan=contacts.sibling_plan,
        end_date=dt.date(2026, 3, 19),
        reason="other",
        by=world.users[Role.IRO],
    )
    # A plan whose first core group and visit are due today is not yet overdue.
    due_today = services.plan_start(
        child=ChildFactory(household=world.child.household, first_name="Lee"),
        start_date=dt.date(2026, 3, 6),
        category="NEG",
        by=support,
    )
    assert due_today.next_visit_due_by == TODAY
    senior = world.users[Role.SENIOR_IRO]
    assert _listed(senior) == {"core_groups": {"Robin", "Ellis"}, "visits": {"Ellis"}}


def test_the_rows_say_when_each_was_due_how_late_it_is_and_who_is_allocated(world, contacts):
    lists = overdue_contacts_for(world.users[Role.SENIOR_IRO], today=TODAY)
    rows = overdue_rows(lists["visits"], kind="visits", today=TODAY)
    assert [(row.due_by, row.days_overdue) for row in rows] == [(dt.date(2026, 3, 16), 4)] * 3
    allocated = {row.child.first_name: row.allocated_iro for row in rows}
    assert allocated == {
        "Robin": world.users[Role.IRO],
        "Sky": world.users[Role.IRO],
        "Ellis": contacts.other_iro,
    }


def _more_overdue_plans(world, count: int) -> None:
    chairs = [UserFactory(role=Role.IRO) for _ in range(3)]
    for number in range(count):
        household = HouseholdFactory(district=world.north if number % 2 else world.south)
        child = ChildFactory(household=household)
        conference = held_conference(
            household=household, children=[child], chair=chairs[number % 3], on=STARTED
        )
        services.plan_start(
            child=child,
            start_date=STARTED,
            category="PHY",
            by=chairs[0],
            initial_conference=conference,
        )


def _evaluate(user) -> dict:
    lists = overdue_contacts_for(user, today=TODAY)
    return {kind: overdue_rows(plans, kind=kind, today=TODAY) for kind, plans in lists.items()}


@pytest.mark.parametrize("who", [Role.SENIOR_IRO, Role.IRO, Role.DISTRICT_MANAGER])
def test_the_lists_take_the_same_queries_however_many_rows(
    world, contacts, django_assert_num_queries, who
):
    user = world.users[who]
    # Each list's plans and its allocated IROs; for an IRO one more, for the few plans that
    # can be theirs.
    queries = 5 if who == Role.IRO else 4
    with django_assert_num_queries(queries):
        few = _evaluate(user)
    _more_overdue_plans(world, 15)
    held_conference(
        household=world.south_child.household,
        children=[world.south_child],
        chair=world.users[Role.IRO],
        on=dt.date(2026, 3, 18),
        kind=Conference.Kind.REVIEW,
    )
    with django_assert_num_queries(queries):
        many = _evaluate(user)
    assert len(many["visits"]) > len(few["visits"])


def test_the_summary_for_a_landing_page_counts_and_links(
    world, contacts, django_assert_num_queries
):
    lists = overdue_contacts_for(world.users[Role.IRO], today=TODAY)
    with django_assert_num_queries(2):  # one count for each list
        html = render_to_string("plans/_overdue_contacts.html", {"overdue_contacts": lists})
    assert "Overdue core groups and visits" in html
    assert '<strong class="govuk-tag govuk-tag--red">2</strong>' in html
    assert 'href="/plans/overdue/?show=visits"' in html
    nothing = overdue_contacts_for(contacts.other_iro, today=dt.date(2026, 3, 2))
    html = render_to_string("plans/_overdue_contacts.html", {"overdue_contacts": nothing})
    assert "govuk-tag--red" not in html and "None" in html
