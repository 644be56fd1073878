"""The escalations API for each role: list, create, detail, respond, move up, resolve and
withdraw; 403 refusals, 404 outside a district manager's district, 400 {field: [messages]}
with nothing saved."""

import pytest
from django.utils import timezone

from people.models import Role
from quality_assurance.models import Escalation, EscalationResponse
from tests.fixtures import client_for

from .test_escalation_world import qa_form, raised

pytestmark = pytest.mark.django_db
L = Escalation.Level
API = "/api/escalations/"


def today():
    return timezone.localdate()


def create_data(child, **overrides) -> dict:
    data = {
        "child": child.pk,
        "theme": "visits",
        "concern": "No visits for six weeks.",
        "what_must_change": "Visits every ten working days.",
        "level": 1,
        "addressed_to_name": "Sam Social",
        "addressed_to_email": "sam@council.example",
    }
    data.update(overrides)
    return data


@pytest.fixture
def escalation(world):
    return raised(world, today=today())


@pytest.mark.parametrize("role", [Role.IRO, Role.SENIOR_IRO])
def test_chairs_create(world, clients, role):
    answer = clients[role].post(API, create_data(world.child), content_type="application/json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["level"] == 1 and body["status"] == "open"
    assert answer["Location"].endswith(f"{API}{body['id']}/")
    assert Escalation.objects.get().raised_by == world.users[role]


def test_create_from_a_qa_form(world, clients):
    form = qa_form(world)
    answer = clients[Role.IRO].post(
        API, create_data(world.sibling, qa_form=form.pk), content_type="application/json"
    )
    assert answer.status_code == 201
    assert answer.json()["conference"] == form.conference_id
    refused = clients[Role.IRO].post(
        API, create_data(world.south_child, qa_form=form.pk), content_type="application/json"
    )
    assert refused.status_code == 400
    assert "child" in refused.json()
    assert Escalation.objects.count() == 1


def test_create_refuses_bad_input_with_nothing_saved(world, clients):
    answer = clients[Role.IRO].post(
        API,
        create_data(world.child, theme="nope", level=7, addressed_to_name=""),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert {"theme", "level", "addressed_to_name"} <= set(answer.json())
    assert not Escalation.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.BUSINESS_SUPPORT, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
)
def test_other_roles_may_not_create(world, clients, role):
    answer = clients[role].post(API, create_data(world.child), content_type="application/json")
    assert answer.status_code == 403
    assert not Escalation.objects.exists()


def test_a_district_manager_cannot_see_another_districts(world, clients, escalation):
    assert clients["other_district_manager"].get(f"{API}{escalation.pk}/").status_code == 404
    assert clients["other_district_manager"].get(API).json()["results"] == []
    assert clients[Role.DISTRICT_MANAGER].get(f"{API}{escalation.pk}/").status_code == 200
    [listed] = clients[Role.DISTRICT_MANAGER].get(API).json()["results"]
    assert listed["id"] == escalation.pk


def test_the_senior_iro_lists_with_filters(world, clients, escalation):
    south = raised(world, child=world.south_child, level=L.TEAM_MANAGER, today=today())
    client = clients[Role.SENIOR_IRO]

    def ids(**query):
        return {row["id"] for row in client.get(API, query).json()["results"]}

    assert ids() == {escalation.pk, south.pk}
    assert ids(district=world.south.pk) == {south.pk}
    assert ids(level=1) == {escalation.pk}
    assert ids(status="resolved") == set()
    assert client.get(API, {"level": 9}).status_code == 400


def test_the_chair_lists_their_own(world, clients, escalation):
    raised(world, by=world.users[Role.SENIOR_IRO], today=today())
    rows = clients[Role.IRO].get(API).json()["results"]
    assert [row["id"] for row in rows] == [escalation.pk]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DIRECTORATE_MANAGER, Role.BUSINESS_SUPPORT])
def test_readers_read(world, clients, escalation, role):
    assert clients[role].get(f"{API}{escalation.pk}/").status_code == 200
    assert clients[role].get(API).status_code == 200


def test_anonymous_is_refused(client, world, escalation):
    assert client.get(API).status_code == 403


def test_respond_move_up_resolve(world, clients, escalation):
    client = clients[Role.IRO]
    answer = client.post(
        f"{API}{escalation.pk}/respond/", {"response": "Booked."}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["responses"][0]["responder_name"] == "Sam Social"
    answer = client.post(
        f"{API}{escalation.pk}/move-up/",
        {"to_level": 4, "addressed_to_name": "Hal Head"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["level"] == 4
    down = client.post(
        f"{API}{escalation.pk}/move-up/",
        {"to_level": 2, "addressed_to_name": "Tam"},
        content_type="application/json",
    )
    assert down.status_code == 400
    assert "to_level" in down.json()
    answer = client.post(
        f"{API}{escalation.pk}/resolve/", {"outcome": "Fixed."}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "resolved"
    again = client.post(
        f"{API}{escalation.pk}/withdraw/",
        {"withdrawal_reason": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400


def test_withdraw(world, clients, escalation):
    answer = clients[Role.SENIOR_IRO].post(
        f"{API}{escalation.pk}/withdraw/",
        {"withdrawal_reason": "Raised in error."},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "withdrawn"


def test_the_addressed_district_manager_responds_only(world, clients):
    manager = world.users[Role.DISTRICT_MANAGER]
    escalation = raised(world, level=L.DISTRICT_MANAGER, addressed_to=manager, today=today())
    client = clients[Role.DISTRICT_MANAGER]
    answer = client.post(
        f"{API}{escalation.pk}/respond/", {"response": "Agreed."}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert EscalationResponse.objects.get().responded_by == manager
    for action, data in [("resolve", {"outcome": "x"}), ("move-up", {"to_level": 4})]:
        assert (
            client.post(
                f"{API}{escalation.pk}/{action}/", data, content_type="application/json"
            ).status_code
            == 403
        )


@pytest.mark.parametrize(
    ("role", "action", "data"),
    [
        (Role.AUDITOR, "respond", {"response": "x"}),
        (Role.DISTRICT_MANAGER, "respond", {"response": "x"}),
        (Role.BUSINESS_SUPPORT, "resolve", {"outcome": "x"}),
        (Role.DIRECTORATE_MANAGER, "withdraw", {"withdrawal_reason": "x"}),
        (Role.AUDITOR, "move-up", {"to_level": 2, "addressed_to_name": "x"}),
    ],
)
def test_readers_may_not_write(world, clients, escalation, role, action, data):
    answer = clients[role].post(
        f"{API}{escalation.pk}/{action}/", data, content_type="application/json"
    )
    assert answer.status_code == 403
    escalation.refresh_from_db()
    assert escalation.history.count() == 1
    assert not EscalationResponse.objects.exists()


def test_another_iro_may_not_manage(world, escalation):
    other = client_for(type(world.users[Role.IRO]).objects.create(username="iro2", role=Role.IRO))
    answer = other.post(
        f"{API}{escalation.pk}/resolve/", {"outcome": "x"}, content_type="application/json"
    )
    assert answer.status_code == 403


def test_bad_response_is_400_with_nothing_saved(world, clients, escalation):
    answer = clients[Role.IRO].post(
        f"{API}{escalation.pk}/respond/",
        {"response": "x", "responded_on": "2099-01-01"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "responded_on" in answer.json()
    assert not EscalationResponse.objects.exists()


def test_addressee(world, clients, escalation):
    url = f"{API}{escalation.pk}/addressee/"
    manager = world.users[Role.DISTRICT_MANAGER]
    assert (
        clients[Role.AUDITOR]
        .post(url, {"addressed_to": manager.pk}, content_type="application/json")
        .status_code
        == 403
    )
    bad = clients[Role.IRO].post(url, {"addressed_to_name": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert "addressed_to_name" in bad.json()
    answer = clients[Role.IRO].post(
        url, {"addressed_to": manager.pk}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["addressed_to"] == manager.pk
