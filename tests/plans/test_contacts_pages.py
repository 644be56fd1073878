"""The plan's "Core groups and visits" page, recording a core group and a visit, and the
overdue list: each role, including those refused, and a district manager of another district
who is told the plan does not exist."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Role
from plans import services
from plans.models import ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

from ..factories import ChildFactory
from ..fixtures import client_for
from .contacts_world import (
    EVERY_ROLE,
    LONDON,
    READ_ONLY,
    RECORDERS,
    contacts_world,
    held_conference,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=LONDON)  # Friday: the first were due on Monday


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def contacts(world):
    return contacts_world(world)


def _url(contacts, page="contacts") -> str:
    return {
        "contacts": f"/plans/{contacts.plan.pk}/contacts/",
        "core_group": f"/plans/{contacts.plan.pk}/core-groups/new/",
        "visit": f"/plans/{contacts.plan.pk}/visits/new/",
    }[page]


def _core_group_form(**changes) -> dict:
    data = {
        "held_on_day": "19",
        "held_on_month": "3",
        "held_on_year": "2026",
        "attendees": "Pat Social, social worker\nDee Health, health visitor",
        "note": "",
    }
    return {**data, **changes}


def _visit_form(**changes) -> dict:
    data = {
        "visited_on_day": "18",
        "visited_on_month": "3",
        "visited_on_year": "2026",
        "visited_by": "Pat Social",
        "child_seen": "yes",
        "child_seen_alone": "no",
        "note": "Seen at home with mother.",
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_reads_the_plans_core_groups_and_visits(clients, contacts, role):
    page = clients[role].get(_url(contacts))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Core groups and visits" in html and "Robin Ashdown" in html
    assert "Overdue by 4 days" in html  # the first core group and visit were due on Monday
    assert ("Record a core group" in html) == (role in RECORDERS)


def test_a_district_manager_of_another_district_is_told_there_is_no_such_plan(clients, contacts):
    outsider = clients["other_district_manager"]
    assert outsider.get(_url(contacts)).status_code == 404
    assert outsider.get(f"/plans/{contacts.south_plan.pk}/contacts/").status_code == 200


def test_signed_out_people_are_sent_to_sign_in(contacts):
    from django.test import Client

    for page in ("contacts", "core_group", "visit"):
        assert Client().get(_url(contacts, page)).status_code == 302
    assert Client().get("/plans/overdue/").status_code == 302


@pytest.mark.parametrize("role", RECORDERS)
def test_business_support_and_iros_record_a_core_group(clients, contacts, world, role):
    client = clients[role]
    assert client.get(_url(contacts, "core_group")).status_code == 200
    answer = client.post(_url(contacts, "core_group"), _core_group_form(), follow=True)
    assert answer.redirect_chain[-1][0] == _url(contacts)
    html = answer.content.decode()
    assert "The core group has been recorded for Robin Ashdown." in html
    meeting = CoreGroupMeeting.objects.get()
    assert meeting.held_on == dt.date(2026, 3, 19) and meeting.recorded_by == world.users[role]
    assert "Dee Health, health visitor" in html
    assert "19 April 2026" in html  # the next, a month on


@pytest.mark.parametrize("role", [*READ_ONLY, "other_district_manager"])
def test_managers_and_auditors_cannot_record(clients, contacts, role):
    for page, form in (("core_group", _core_group_form()), ("visit", _visit_form())):
        assert clients[role].get(_url(contacts, page)).status_code == 403
        assert clients[role].post(_url(contacts, page), form).status_code == 403
    assert not CoreGroupMeeting.objects.exists() and not ProtectionVisit.objects.exists()


def test_a_core_group_refused_shows_why_and_saves_nothing(clients, contacts):
    client = clients[Role.BUSINESS_SUPPORT]
    answer = client.post(
        _url(contacts, "core_group"), _core_group_form(held_on_day="21", attendees="")
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "There is a problem" in html and "Error:" in html
    assert "Enter who attended the core group" in html
    answer = client.post(_url(contacts, "core_group"), _core_group_form(held_on_day="21"))
    assert "The date of the core group cannot be in the future." in answer.content.decode()
    answer = client.post(_url(contacts, "core_group"), _core_group_form(held_on_month="13"))
    assert "must be a real date" in answer.content.decode()
    assert not CoreGroupMeeting.objects.exists()


def test_a_shared_core_group_is_recorded_for_brothers_and_sisters_at_once(clients, contacts):
    client = clients[Role.BUSINESS_SUPPORT]
    form = client.get(_url(contacts, "core_group")).content.decode()
    assert "Also record this core group for" in form and "Sky Ashdown" in form
    answer = client.post(
        _url(contacts, "core_group"),
        _core_group_form(also_for=[str(contacts.sibling_plan.pk)]),
        follow=True,
    )
    assert "recorded for Robin Ashdown, Sky Ashdown" in answer.content.decode()
    assert set(CoreGroupMeeting.objects.values_list("plan", flat=True)) == {
        contacts.plan.pk,
        contacts.sibling_plan.pk,
    }
    sibling = ChildProtectionPlan.objects.get(pk=contacts.sibling_plan.pk)
    assert sibling.next_core_group_due_by == dt.date(2026, 4, 19)


def test_when_a_brother_or_sister_cannot_have_it_nobody_does(clients, contacts, world):
    # A third child whose plan started after the core group.
    late = services.plan_start(
        child=ChildFactory(household=world.child.household, first_name="Ash"),
        start_date=dt.date(2026, 3, 20),
        category="NEG",
        by=world.users[Role.IRO],
    )
    answer = clients[Role.BUSINESS_SUPPORT].post(
        _url(contacts, "core_group"),
        _core_group_form(also_for=[str(contacts.sibling_plan.pk), str(late.pk)]),
    )
    html = answer.content.decode()
    assert "For Ash Example: The core group cannot be before the plan started" in html
    assert not CoreGroupMeeting.objects.exists()


def test_another_households_plan_cannot_be_slipped_into_the_shared_core_group(clients, contacts):
    answer = clients[Role.BUSINESS_SUPPORT].post(
        _url(contacts, "core_group"), _core_group_form(also_for=[str(contacts.south_plan.pk)])
    )
    assert "Select a valid choice" in answer.content.decode()
    assert not CoreGroupMeeting.objects.exists()


@pytest.mark.parametrize("role", RECORDERS)
def test_business_support_and_iros_record_a_visit(clients, contacts, role):
    client = clients[role]
    form = client.get(_url(contacts, "visit")).content.decode()
    assert "Was Robin seen?" in form
    answer = client.post(_url(contacts, "visit"), _visit_form(), follow=True)
    assert "The visit has been recorded." in answer.content.decode()
    visit = ProtectionVisit.objects.get()
    assert visit.child_seen and not visit.child_seen_alone and visit.visited_by == "Pat Social"
    # Wed 18 March 2026: the next by Wed 1 April (10 working days).
    plan = ChildProtectionPlan.objects.get(pk=contacts.plan.pk)
    assert plan.next_visit_due_by == dt.date(2026, 4, 1)


def test_the_visit_form_offers_the_childs_social_worker(clients, contacts, world):
    world.child.social_worker_name = "Morgan Field"
    world.child.save()
    form = clients[Role.BUSINESS_SUPPORT].get(_url(contacts, "visit")).content.decode()
    assert 'value="Morgan Field"' in form


def test_a_visit_refused_shows_why_and_saves_nothing(clients, contacts):
    client = clients[Role.IRO]
    answer = client.post(
        _url(contacts, "visit"), _visit_form(child_seen="no", child_seen_alone="yes")
    )
    assert "A child who was not seen cannot have been seen alone." in answer.content.decode()
    answer = client.post(_url(contacts, "visit"), _visit_form(child_seen_alone=""))
    assert "Select whether Robin was seen alone" in answer.content.decode()
    answer = client.post(_url(contacts, "visit"), _visit_form(child_seen="", visited_by=""))
    html = answer.content.decode()
    assert "Select whether Robin was seen" in html and "Enter who made the visit" in html
    assert not ProtectionVisit.objects.exists()


def test_a_visit_where_the_child_was_not_seen_needs_no_seen_alone_answer(clients, contacts):
    answer = clients[Role.IRO].post(
        _url(contacts, "visit"), _visit_form(child_seen="no", child_seen_alone="")
    )
    assert answer.status_code == 302
    visit = ProtectionVisit.objects.get()
    assert not visit.child_seen and not visit.child_seen_alone


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_sees_the_overdue_list_theirs_or_the_authoritys(clients, contacts, role):
    page = clients[role].get("/plans/overdue/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Overdue core groups and visits" in html
    north = role in (Role.IRO, Role.DISTRICT_MANAGER)
    assert "Robin Ashdown" in html
    assert ("Ellis Brackwater" in html) != north
    assert "4 days" in html


def test_the_iros_list_leaves_out_the_allocated_iro_column_the_seniors_shows_it(clients, contacts):
    mine = clients[Role.IRO].get("/plans/overdue/").content.decode()
    assert "Allocated IRO" not in mine and "allocated to you" in mine
    team = clients[Role.SENIOR_IRO].get("/plans/overdue/?show=visits").content.decode()
    assert "Allocated IRO" in team and "Sam Other" in team
    assert 'aria-current="page">Visits (3)' in team


def test_a_district_managers_list_is_their_districts(clients, contacts):
    html = clients["other_district_manager"].get("/plans/overdue/").content.decode()
    assert "Ellis Brackwater" in html and "Robin Ashdown" not in html
    assert "in Southmoor" in html


def test_the_overdue_list_is_paginated_and_its_queries_do_not_grow(
    world, contacts, django_assert_num_queries
):
    senior = client_for(world.users[Role.SENIOR_IRO])
    senior.get("/plans/overdue/")  # the first request of a session saves it
    with CaptureQueriesContext(connection) as few:
        senior.get("/plans/overdue/")
    # The session, the user, the two lists' counts, the page's rows and their IROs.
    assert len(few) == 6
    children = [ChildFactory(household=world.child.household) for _ in range(30)]
    held_conference(
        household=world.child.household,
        children=children,
        chair=contacts.other_iro,
        on=dt.date(2026, 2, 2),
    )
    for child in children:
        ChildProtectionPlan.objects.create(
            child=child,
            start_date=dt.date(2026, 2, 2),
            initial_category="NEG",
            latest_category="NEG",
            next_core_group_due_by=dt.date(2026, 2, 16),
            next_visit_due_by=dt.date(2026, 2, 16),
        )
    with django_assert_num_queries(len(few)):
        first = senior.get("/plans/overdue/")
    assert "33 core groups overdue" in first.content.decode()
    last = senior.get("/plans/overdue/?page=2").content.decode()
    assert "Robin Ashdown" in last  # due most recently, so last
