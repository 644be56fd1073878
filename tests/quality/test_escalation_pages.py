"""Escalation pages for each role: raise (check your answers first), the escalation's page,
respond, move up, resolve, withdraw and the lists; refusals (403) and other districts (404)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from quality_assurance.models import Escalation, EscalationResponse
from tests.fixtures import client_for

from .test_escalation_world import qa_form, raised

pytestmark = pytest.mark.django_db
L = Escalation.Level
NEW = reverse("quality:escalation_new")
LIST = reverse("quality:escalations")
READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]


def today():
    return timezone.localdate()


def raise_data(child, **overrides) -> dict:
    data = {
        "children": [str(child.pk)],
        "theme": "visits",
        "concern": "No visits for six weeks.",
        "what_must_change": "Visits every ten working days.",
        "level": "1",
        "addressed_to": "",
        "addressed_to_name": "Sam Social",
        "addressed_to_email": "sam@council.example",
    }
    data.update(overrides)
    return data


def date_parts(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def escalation(world):
    return raised(world, today=today())


# -- raising ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.IRO, Role.SENIOR_IRO])
def test_chairs_raise_from_a_childs_record_after_checking(world, clients, role):
    client = clients[role]
    url = f"{NEW}?child={world.child.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Raise an escalation" in page.content.decode()
    checked = client.post(url, raise_data(world.child))
    assert checked.status_code == 200
    assert "Check your answers before raising the escalation" in checked.content.decode()
    assert not Escalation.objects.exists()
    changed = client.post(url, {**raise_data(world.child), "change": "1"})
    assert 'name="concern"' in changed.content.decode()
    done = client.post(url, {**raise_data(world.child), "confirm": "1"})
    escalation = Escalation.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("quality:escalation", args=[escalation.pk])
    assert escalation.raised_by == world.users[role]
    assert escalation.addressed_to_name == "Sam Social"


def test_bad_input_shows_the_errors_and_saves_nothing(world, clients):
    url = f"{NEW}?child={world.child.pk}"
    page = clients[Role.IRO].post(
        url,
        {**raise_data(world.child, concern="", addressed_to_name=""), "confirm": "1"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in body
    assert "Describe the concern." in body
    assert not Escalation.objects.exists()
    page = clients[Role.IRO].post(
        url, {**raise_data(world.child, addressed_to_name=""), "confirm": "1"}
    )
    assert "Choose who it is addressed to" in page.content.decode()
    assert not Escalation.objects.exists()


def test_from_a_qa_form_is_prefilled_and_raises_one_per_child(world, clients):
    form = qa_form(world, plan_outcome_focused="no")
    url = f"{NEW}?qa_form={form.pk}"
    page = clients[Role.IRO].get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Sky Ashdown" in body and "Robin Ashdown" in body
    assert page.context["form"].initial["theme"] == "plan_quality"
    data = raise_data(world.child, children=[str(world.child.pk), str(world.sibling.pk)])
    clients[Role.IRO].post(url, {**data, "confirm": "1"})
    assert Escalation.objects.filter(qa_form=form, conference=form.conference).count() == 2


def test_only_the_chair_or_senior_iro_raises_from_a_qa_form(world, clients):
    form = qa_form(world)
    other_iro = client_for(
        type(world.users[Role.IRO]).objects.create(username="other", role=Role.IRO)
    )
    assert other_iro.get(f"{NEW}?qa_form={form.pk}").status_code == 403
    assert clients[Role.SENIOR_IRO].get(f"{NEW}?qa_form={form.pk}").status_code == 200


@pytest.mark.parametrize(
    "role", [Role.BUSINESS_SUPPORT, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
)
def test_other_roles_may_not_raise(world, clients, role):
    url = f"{NEW}?child={world.child.pk}"
    assert clients[role].get(url).status_code == 403
    assert clients[role].post(url, {**raise_data(world.child), "confirm": "1"}).status_code == 403
    assert not Escalation.objects.exists()


def test_raise_needs_a_child_or_form_that_exists(world, clients):
    assert clients[Role.IRO].get(NEW).status_code == 404
    assert clients[Role.IRO].get(f"{NEW}?child=99999").status_code == 404
    assert clients[Role.IRO].get(f"{NEW}?qa_form=nope").status_code == 404


# -- the escalation's page ---------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_page(world, clients, escalation, role):
    page = clients[role].get(reverse("quality:escalation", args=[escalation.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "No visits" in body or "Visits have not happened" in body
    manage = role in (Role.IRO, Role.SENIOR_IRO)
    assert ("Resolve the escalation" in body) is manage
    assert ("Move it up" in body) is manage


def test_other_district_manager_gets_not_found(world, clients, escalation):
    url = reverse("quality:escalation", args=[escalation.pk])
    assert clients["other_district_manager"].get(url).status_code == 404
    respond = reverse("quality:escalation_respond", args=[escalation.pk])
    assert clients["other_district_manager"].post(respond, {}).status_code == 404


def test_the_chair_records_a_response_moves_up_and_resolves(world, clients, escalation):
    client = clients[Role.IRO]
    day = today()
    page = client.post(
        reverse("quality:escalation_respond", args=[escalation.pk]),
        {"response": "Visits booked.", "responder_name": "", **date_parts("responded_on", day)},
    )
    assert page.status_code == 302
    assert EscalationResponse.objects.get().responder_name == "Sam Social"
    page = client.post(
        reverse("quality:escalation_move_up", args=[escalation.pk]),
        {"to_level": "3", "addressed_to": str(world.users[Role.DISTRICT_MANAGER].pk)},
    )
    assert page.status_code == 302
    escalation.refresh_from_db()
    assert escalation.level == L.DISTRICT_MANAGER
    assert escalation.addressed_to == world.users[Role.DISTRICT_MANAGER]
    page = client.post(
        reverse("quality:escalation_resolve", args=[escalation.pk]),
        {"outcome": "Visits happening weekly.", **date_parts("resolved_on", day)},
    )
    assert page.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED
    body = client.get(reverse("quality:escalation", args=[escalation.pk])).content.decode()
    assert "Visits booked." in body and "Visits happening weekly." in body
    assert "Resolve the escalation" not in body


def test_bad_input_on_the_page_shows_errors(world, clients, escalation):
    page = clients[Role.IRO].post(
        reverse("quality:escalation_move_up", args=[escalation.pk]),
        {"to_level": "2", "addressed_to_name": ""},
    )
    assert page.status_code == 400
    assert "Choose who it is addressed to" in page.content.decode()
    page = clients[Role.IRO].post(
        reverse("quality:escalation_withdraw", args=[escalation.pk]),
        {"withdrawal_reason": "", **date_parts("withdrawn_on", today())},
    )
    assert page.status_code == 400
    assert "Say why it is withdrawn." in page.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.level == L.SOCIAL_WORKER


def test_the_district_manager_addressed_responds_but_does_not_manage(world, clients):
    manager = world.users[Role.DISTRICT_MANAGER]
    escalation = raised(world, level=L.DISTRICT_MANAGER, addressed_to=manager, today=today())
    client = clients[Role.DISTRICT_MANAGER]
    body = client.get(reverse("quality:escalation", args=[escalation.pk])).content.decode()
    assert "Record the response" in body and "Resolve the escalation" not in body
    page = client.post(
        reverse("quality:escalation_respond", args=[escalation.pk]),
        {"response": "Agreed.", **date_parts("responded_on", today())},
    )
    assert page.status_code == 302
    assert EscalationResponse.objects.get().responded_by == manager
    resolve = client.post(
        reverse("quality:escalation_resolve", args=[escalation.pk]),
        {"outcome": "x", **date_parts("resolved_on", today())},
    )
    assert resolve.status_code == 403


@pytest.mark.parametrize(
    ("role", "action"),
    [
        (Role.AUDITOR, "escalation_respond"),
        (Role.AUDITOR, "escalation_resolve"),
        (Role.BUSINESS_SUPPORT, "escalation_withdraw"),
        (Role.DIRECTORATE_MANAGER, "escalation_move_up"),
        (Role.DISTRICT_MANAGER, "escalation_respond"),  # not addressed to them
    ],
)
def test_readers_may_not_change_it(world, clients, escalation, role, action):
    page = clients[role].post(reverse(f"quality:{action}", args=[escalation.pk]), {})
    assert page.status_code == 403
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.history.count() == 1


def test_another_iro_may_not_manage_someone_elses(world, clients, escalation):
    other = client_for(type(world.users[Role.IRO]).objects.create(username="iro2", role=Role.IRO))
    page = other.post(reverse("quality:escalation_resolve", args=[escalation.pk]), {})
    assert page.status_code == 403


# -- the lists ---------------------------------------------------------------------------


def test_the_chair_sees_only_what_they_raised(world, clients, escalation):
    raised(world, by=world.users[Role.SENIOR_IRO], child=world.south_child, today=today())
    page = clients[Role.IRO].get(LIST)
    assert page.status_code == 200
    assert [e.pk for e in page.context["page"].object_list] == [escalation.pk]
    assert "Escalations you raised" in page.content.decode()


def test_the_district_manager_sees_their_district(world, clients, escalation):
    south = raised(world, child=world.south_child, today=today())
    listed = clients[Role.DISTRICT_MANAGER].get(LIST).context["page"].object_list
    assert [e.pk for e in listed] == [escalation.pk]
    other = clients["other_district_manager"].get(LIST).context["page"].object_list
    assert [e.pk for e in other] == [south.pk]


def test_the_senior_iro_filters_by_district_level_age_and_status(world, clients, escalation):
    south = raised(world, child=world.south_child, level=L.TEAM_MANAGER, today=today())
    old = raised(world, today=today() - dt.timedelta(days=30))
    client = clients[Role.SENIOR_IRO]

    def listed(**query):
        return {e.pk for e in client.get(LIST, query).context["page"].object_list}

    assert listed() == {escalation.pk, south.pk, old.pk}
    assert listed(district=world.south.pk) == {south.pk}
    assert listed(level=2) == {south.pk}
    assert listed(open_days=20) == {old.pk}
    assert listed(status="resolved") == set()
    body = client.get(LIST).content.decode()
    assert "All districts" in body


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DIRECTORATE_MANAGER, Role.BUSINESS_SUPPORT])
def test_readers_see_the_list(world, clients, escalation, role):
    page = clients[role].get(LIST)
    assert page.status_code == 200
    assert escalation.pk in {e.pk for e in page.context["page"].object_list}


def test_the_list_is_paginated(world, clients):
    for _ in range(26):
        raised(world, today=today())
    page = clients[Role.IRO].get(LIST)
    assert len(page.context["page"].object_list) == 25
    assert 'aria-label="Pagination"' in page.content.decode()
    assert len(clients[Role.IRO].get(LIST, {"page": 2}).context["page"].object_list) == 1


def test_the_landing_page_partial(world, escalation):
    from django.template.loader import render_to_string

    from quality_assurance.selectors_escalations import open_escalations_raised_by

    html = render_to_string(
        "quality/_escalations.html",
        {"open_escalations": open_escalations_raised_by(world.users[Role.IRO]), "today": today()},
    )
    assert "Your open escalations" in html
    assert reverse("quality:escalation", args=[escalation.pk]) in html


def test_the_chair_records_who_it_is_addressed_to_at_its_level(world, clients, escalation):
    url = reverse("quality:escalation_readdress", args=[escalation.pk])
    refused = clients[Role.IRO].post(url, {"readdress-addressed_to_name": ""})
    assert refused.status_code == 400
    assert "Choose who it is addressed to" in refused.content.decode()
    assert clients[Role.AUDITOR].post(url, {"readdress-addressed_to_name": "X"}).status_code == 403
    done = clients[Role.IRO].post(
        url,
        {
            "readdress-addressed_to_name": "Tia Other",
            "readdress-addressed_to_email": "tia@council.example",
        },
    )
    assert done.status_code == 302
    escalation.refresh_from_db()
    assert escalation.addressed_to_name == "Tia Other"
    assert escalation.level == L.SOCIAL_WORKER
    assert escalation.history.first().history_change_reason == (
        "Addressed to Tia Other at social worker"
    )
