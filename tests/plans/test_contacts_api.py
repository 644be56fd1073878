"""The core groups and visits API: the same services and access rules as the pages. Every
role reads; business support, IROs and the Senior IRO record; refusals 403, a plan not visible
404, bad input 400 with {field: [messages]} and nothing saved."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from people.models import Role
from plans.models import ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

from .contacts_world import EVERY_ROLE, LONDON, READ_ONLY, RECORDERS, contacts_world

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=LONDON)  # Friday: the first were due on Monday


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def contacts(world):
    return contacts_world(world)


def _core_groups(plan) -> str:
    return f"/api/plans/{plan.pk}/core-groups/"


def _visits(plan) -> str:
    return f"/api/plans/{plan.pk}/visits/"


CORE_GROUP = {"held_on": "2026-03-19", "attendees": "Pat Social, social worker", "note": ""}
VISIT = {
    "visited_on": "2026-03-18",
    "visited_by": "Pat Social",
    "child_seen": True,
    "child_seen_alone": True,
}


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_reads_a_plans_core_groups_and_visits(clients, contacts, role):
    answer = clients[role].get(_core_groups(contacts.plan))
    assert answer.status_code == 200
    assert answer.json() == {
        "plan": {
            "id": contacts.plan.pk,
            "child": contacts.plan.child_id,
            "start_date": "2026-03-02",
            "end_date": None,
            "first_core_group_due_by": "2026-03-16",
            "next_core_group_due_by": "2026-03-16",
            "next_visit_due_by": "2026-03-16",
        },
        "core_groups": [],
    }
    assert clients[role].get(_visits(contacts.plan)).json()["visits"] == []


def test_a_plan_in_another_district_is_not_found(clients, contacts):
    outsider = clients["other_district_manager"]
    assert outsider.get(_core_groups(contacts.plan)).status_code == 404
    assert outsider.get(_visits(contacts.plan)).status_code == 404
    assert outsider.get(_visits(contacts.south_plan)).status_code == 200
    assert (
        clients[Role.IRO]
        .post(
            _visits(contacts.plan).replace(str(contacts.plan.pk), "999999"),
            VISIT,
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_signed_out_requests_are_refused(contacts):
    assert Client().get(_core_groups(contacts.plan)).status_code == 403
    assert Client().get("/api/overdue-contacts/").status_code == 403


@pytest.mark.parametrize("role", RECORDERS)
def test_recorders_record_a_core_group_and_get_the_new_due_date(clients, contacts, world, role):
    answer = clients[role].post(
        _core_groups(contacts.plan), CORE_GROUP, content_type="application/json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["plan"]["next_core_group_due_by"] == "2026-04-19"
    assert body["core_group"]["held_on"] == "2026-03-19"
    assert body["core_group"]["recorded_by"]["id"] == world.users[role].pk
    listed = clients[Role.AUDITOR].get(_core_groups(contacts.plan)).json()
    assert [row["id"] for row in listed["core_groups"]] == [body["core_group"]["id"]]


@pytest.mark.parametrize("role", RECORDERS)
def test_recorders_record_a_visit_and_get_the_new_due_date(clients, contacts, role):
    answer = clients[role].post(_visits(contacts.plan), VISIT, content_type="application/json")
    assert answer.status_code == 201
    body = answer.json()
    assert body["plan"]["next_visit_due_by"] == "2026-04-01"
    assert body["visit"]["child_seen_alone"] is True
    assert ProtectionVisit.objects.get().visited_by == "Pat Social"


@pytest.mark.parametrize("role", [*READ_ONLY, "other_district_manager"])
def test_managers_and_auditors_cannot_record(clients, contacts, role):
    for url, body in ((_core_groups(contacts.plan), CORE_GROUP), (_visits(contacts.plan), VISIT)):
        answer = clients[role].post(url, body, content_type="application/json")
        assert answer.status_code == 403
        assert "record core groups and visits" in answer.json()["detail"]
    assert not CoreGroupMeeting.objects.exists() and not ProtectionVisit.objects.exists()


@pytest.mark.parametrize(
    ("url", "body", "field", "message"),
    [
        (_core_groups, {**CORE_GROUP, "held_on": "2026-03-21"}, "held_on", "in the future"),
        (_core_groups, {**CORE_GROUP, "attendees": " "}, "attendees", "Enter who attended"),
        (_core_groups, {**CORE_GROUP, "held_on": "19/03/2026"}, "held_on", "wrong format"),
        (_visits, {**VISIT, "child_seen": False}, "child_seen_alone", "not seen"),
        (_visits, {**VISIT, "visited_on": "2026-03-01"}, "visited_on", "before the plan"),
        (_visits, {**VISIT, "visited_by": ""}, "visited_by", "Enter who made the visit"),
        (_visits, {"visited_on": "2026-03-18", "visited_by": "Pat"}, "child_seen", "required"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    clients, contacts, url, body, field, message
):
    answer = clients[Role.BUSINESS_SUPPORT].post(
        url(contacts.plan), body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert not CoreGroupMeeting.objects.exists() and not ProtectionVisit.objects.exists()
    plan = ChildProtectionPlan.objects.get(pk=contacts.plan.pk)
    assert plan.next_core_group_due_by == plan.next_visit_due_by == dt.date(2026, 3, 16)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_reads_the_overdue_list_theirs_or_the_authoritys(clients, contacts, world, role):
    answer = clients[role].get("/api/overdue-contacts/")
    assert answer.status_code == 200
    body = answer.json()
    north = role in (Role.IRO, Role.DISTRICT_MANAGER)
    assert body["kind"] == "core_groups"
    assert body["counts"] == (
        {"core_groups": 2, "visits": 2} if north else {"core_groups": 3, "visits": 3}
    )
    names = {row["child"]["name"] for row in body["results"]}
    assert ("Ellis Brackwater" in names) != north
    first = body["results"][0]
    assert first["due_by"] == "2026-03-16" and first["days_overdue"] == 4
    if role == Role.IRO:
        assert first["allocated_iro"]["id"] == world.users[Role.IRO].pk


def test_the_overdue_list_of_visits_and_of_another_district(clients, contacts):
    body = clients["other_district_manager"].get("/api/overdue-contacts/?kind=visits").json()
    assert body["kind"] == "visits" and body["count"] == 1
    assert body["results"][0]["child"]["name"] == "Ellis Brackwater"
    assert body["results"][0]["child"]["district"] == "Southmoor"
    refused = clients[Role.SENIOR_IRO].get("/api/overdue-contacts/?kind=reviews")
    assert refused.status_code == 400 and "kind" in refused.json()


def test_the_schema_describes_the_endpoints(clients):
    schema = clients[Role.AUDITOR].get("/api/schema/").content.decode()
    for path in (
        "/api/plans/{id}/core-groups/",
        "/api/plans/{id}/visits/",
        "/api/overdue-contacts/",
    ):
        assert path in schema
