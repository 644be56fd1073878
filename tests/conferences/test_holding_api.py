"""The holding API: the register, holding and adjourning, through the same service and rules
as the chair's pages, for each role."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from conferences.models import Conference
from people.models import Role
from plans.models import ChildProtectionPlan
from tests.factories import LONDON, HouseholdFactory, UserFactory

from .holding_world import booked_conference

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def booked(world):
    return booked_conference(
        household=HouseholdFactory(district=world.north), chair=world.users[Role.IRO]
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def register_body(booked, version=0, statuses=("attended", "remote", "attended", "attended")):
    return {
        "version": version,
        "lines": [
            {"invitee": i.pk, "name": i.name, "agency": i.agency, "role": i.role, "status": s}
            for i, s in zip(booked.invitees, statuses, strict=True)
        ],
    }


def hold_body(booked, version=1):
    return {
        "version": version,
        "decisions": [
            {
                "child": kid.pk,
                "outcome": "plan_started",
                "category": "PHY",
                "participation": "none",
                "targets": [{"description": "Safe care at home", "due_by": "2027-02-01"}],
            }
            for kid in booked.children
        ],
    }


def test_the_register_starts_from_the_invitees_and_saving_gives_the_quorum(booked):
    chair = api(booked.chair)
    url = f"/api/conferences/{booked.conference.pk}/attendance/"
    before = chair.get(url).json()
    assert before["quorum"] is None and {line["status"] for line in before["lines"]} == {""}
    saved = chair.post(url, register_body(booked), format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["quorum"]["quorate"] is True and saved.json()["version"] == 1


def test_holding_through_the_api_starts_the_plans(booked):
    chair = api(booked.chair)
    pk = booked.conference.pk
    chair.post(f"/api/conferences/{pk}/attendance/", register_body(booked), format="json")
    response = chair.post(f"/api/conferences/{pk}/hold/", hold_body(booked), format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "held" and body["decision_sheet_due_by"] == "2026-12-01"
    assert {d["next_review_due_by"] for d in body["decisions"]} == {"2027-02-28"}
    assert ChildProtectionPlan.objects.filter(latest_category="PHY").count() == 3


def test_bad_decisions_are_refused_with_reasons_and_nothing_saved(booked):
    chair = api(booked.chair)
    pk = booked.conference.pk
    chair.post(f"/api/conferences/{pk}/attendance/", register_body(booked), format="json")
    body = hold_body(booked)
    body["decisions"][0]["category"] = ""
    body["decisions"].pop()
    response = chair.post(f"/api/conferences/{pk}/hold/", body, format="json")
    assert response.status_code == 400
    text = str(response.json())
    assert "Choose the category of abuse" in text and "Record the decision for" in text
    assert not ChildProtectionPlan.objects.exists()


def test_a_stale_version_is_answered_409_with_the_changes(booked, world):
    pk = booked.conference.pk
    api(world.users[Role.BUSINESS_SUPPORT]).post(
        f"/api/conferences/{pk}/attendance/", register_body(booked), format="json"
    )
    response = api(booked.chair).post(
        f"/api/conferences/{pk}/hold/", hold_body(booked, version=0), format="json"
    )
    assert response.status_code == 409
    assert response.json()["changes"][0]["reason"] == "Attendance register kept"
    assert response.json()["version"] == 1


def test_adjourning_through_the_api(booked):
    response = api(booked.chair).post(
        f"/api/conferences/{booked.conference.pk}/adjourn/",
        {"version": 0, "reason": "interpreter"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["reconvene_by"] == "2026-12-28"
    booked.conference.refresh_from_db()
    assert booked.conference.status == Conference.Status.ADJOURNED


@pytest.mark.parametrize(
    "role,register,hold",
    [
        (Role.SENIOR_IRO, 200, 200),
        (Role.BUSINESS_SUPPORT, 200, 403),
        ("another_iro", 403, 403),
        (Role.DISTRICT_MANAGER, 403, 403),
        ("other_district_manager", 404, 404),
        (Role.AUDITOR, 403, 403),
        (Role.DIRECTORATE_MANAGER, 403, 403),
    ],
)
def test_who_may_write_through_the_api(booked, world, role, register, hold):
    user = (
        UserFactory(username="iro2", role=Role.IRO) if role == "another_iro" else world.users[role]
    )
    client = api(user)
    pk = booked.conference.pk
    answer = client.post(f"/api/conferences/{pk}/attendance/", register_body(booked), format="json")
    assert answer.status_code == register
    answer = client.post(
        f"/api/conferences/{pk}/hold/",
        hold_body(booked, version=1 if register == 200 else 0),
        format="json",
    )
    assert answer.status_code == hold
    assert client.post(
        f"/api/conferences/{pk}/adjourn/", {"version": 0, "reason": "other"}, format="json"
    ).status_code in ({hold} if hold != 200 else {400, 409})
    booked.conference.refresh_from_db()
    assert booked.conference.status == (
        Conference.Status.HELD if hold == 200 else Conference.Status.BOOKED
    )


def test_signed_out_is_refused(booked):
    assert APIClient().get(f"/api/conferences/{booked.conference.pk}/attendance/").status_code in (
        401,
        403,
    )
