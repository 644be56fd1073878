"""The paperwork API: the decision sheet, its sign-off and sending, the minutes, theirs, and
the list of paperwork not yet sent, for each role, through the same services and rules as the
pages: refusals 403, not visible 404, invalid 400 with {field: [messages]}."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conferences.models import Conference
from conferences.services import paperwork
from people.models import Role

from ..fixtures import client_for
from .test_paperwork_world import (
    NOW,
    refresh,
)

pytestmark = pytest.mark.django_db


READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
NOT_SIGNERS = [
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
    "other_iro",
]
NOT_SENDERS = [Role.IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
NOT_DRAFTERS = [Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR, "other_iro"]


def api(name: str, held=None) -> str:
    return reverse(f"api:{name}", args=[held.conference.pk] if held else [])


def as_user(world, held, who) -> Client:
    if who == "other_iro":
        return client_for(held.other_iro)
    if who == "taker":
        return client_for(held.taker)
    return client_for(world.users[who])


@pytest.mark.parametrize("role", READERS)
def test_every_reader_gets_the_decision_sheet(held, world, role):
    response = as_user(world, held, role).get(api("conference-decision-sheet", held))
    assert response.status_code == 200
    body = response.json()
    assert body["is_draft"] is True and body["reference"].startswith("CPC-")
    robin, sky = body["children"]
    assert robin["name"] == "Robin Ashdown" and robin["category"] == "Neglect"
    assert robin["decision"].startswith("A child protection plan is needed")
    assert robin["next_review_due_by"] == "2027-06-01"
    assert robin["targets"][0]["who"] == "Jo Ashdown, with the social worker"
    assert sky["dissents"] == [
        {"agency": "Police", "name": "PC Dana Hale", "reason": "Worried about the father."}
    ]
    assert {p["name"] for p in body["apologies"]} == {"Dr Ada Pryce"}
    assert body["due_by"] == "2027-03-02"


def test_the_other_districts_manager_gets_404_everywhere(held, world):
    client = as_user(world, held, "other_district_manager")
    for name in ("conference-decision-sheet", "conference-minutes"):
        assert client.get(api(name, held)).status_code == 404
    for name in (
        "conference-decision-sheet-sign-off",
        "conference-decision-sheet-send",
        "conference-minutes",
        "conference-minutes-sign-off",
        "conference-minutes-send",
    ):
        assert client.post(api(name, held), {"text": "x"}).status_code == 404, name


def test_a_conference_not_held_has_no_decision_sheet(held, world):
    Conference.objects.filter(pk=held.conference.pk).update(status=Conference.Status.BOOKED)
    client = as_user(world, held, Role.IRO)
    assert client.get(api("conference-decision-sheet", held)).status_code == 404
    refused = client.post(api("conference-decision-sheet-sign-off", held))
    assert refused.status_code == 400
    assert "booked, not held" in refused.json()["non_field_errors"][0]


def test_sign_off_then_send_then_refused_a_second_time(held, world):
    signed = as_user(world, held, Role.IRO).post(api("conference-decision-sheet-sign-off", held))
    assert signed.status_code == 200
    assert signed.json()["signed_off_by"] == world.users[Role.IRO].display_name
    again = as_user(world, held, Role.SENIOR_IRO).post(
        api("conference-decision-sheet-sign-off", held)
    )
    assert (
        again.status_code == 400 and "already signed off on" in again.json()["non_field_errors"][0]
    )
    support = as_user(world, held, Role.BUSINESS_SUPPORT)
    sent = support.post(api("conference-decision-sheet-send", held))
    assert sent.status_code == 200
    body = sent.json()
    assert sorted(body["emailed"]) == sorted(i.pk for i in held.by_email)
    assert body["letters"] == [held.by_letter[0].pk] and body["failed"] == []
    assert body["distributed_at"].startswith("2027-03-01T15:00")
    assert len(mail.outbox) == 3
    twice = support.post(api("conference-decision-sheet-send", held))
    assert twice.status_code == 400
    assert "already sent on Monday 1 March 2027 at 15:00" in twice.json()["non_field_errors"][0]
    assert len(mail.outbox) == 3


def test_a_sheet_not_signed_off_is_refused_400(held, world):
    response = as_user(world, held, Role.BUSINESS_SUPPORT).post(
        api("conference-decision-sheet-send", held)
    )
    assert response.status_code == 400
    assert "has not signed off the decision sheet" in response.json()["non_field_errors"][0]
    assert refresh(held.conference).decision_sheet_distributed_at is None


@pytest.mark.parametrize("who", NOT_SIGNERS)
def test_anyone_else_is_refused_403_signing_off(held, world, who):
    client = as_user(world, held, who)
    assert client.post(api("conference-decision-sheet-sign-off", held)).status_code == 403
    paperwork.minutes_write(conference=held.conference, by=held.taker, text="M.", now=NOW)
    assert client.post(api("conference-minutes-sign-off", held)).status_code == 403
    conference = refresh(held.conference)
    assert (
        conference.decision_sheet_signed_off_at is None and conference.minutes_signed_off_at is None
    )


@pytest.mark.parametrize("role", NOT_SENDERS)
def test_anyone_but_senders_is_refused_403_sending(held, world, role):
    paperwork.decision_sheet_sign_off(conference=held.conference, by=held.chair, now=NOW)
    paperwork.minutes_write(conference=held.conference, by=held.taker, text="M.", now=NOW)
    paperwork.minutes_sign_off(conference=held.conference, by=held.chair, now=NOW)
    client = as_user(world, held, role)
    assert client.post(api("conference-decision-sheet-send", held)).status_code == 403
    assert client.post(api("conference-minutes-send", held)).status_code == 403
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["taker", Role.BUSINESS_SUPPORT, Role.IRO, Role.SENIOR_IRO])
def test_the_minutes_are_written_by_those_who_may(held, world, who):
    client = as_user(world, held, who)
    response = client.post(
        api("conference-minutes", held), {"text": "The chair welcomed everyone."}
    )
    assert response.status_code == 200
    assert response.json()["text"] == "The chair welcomed everyone."
    assert response.json()["latest"] == "text"
    assert refresh(held.conference).minutes_text == "The chair welcomed everyone."


@pytest.mark.parametrize("who", NOT_DRAFTERS)
def test_anyone_else_is_refused_403_writing_the_minutes(held, world, who):
    response = as_user(world, held, who).post(api("conference-minutes", held), {"text": "x"})
    assert response.status_code == 403
    assert refresh(held.conference).minutes_text == ""


def test_blank_minutes_are_400_on_their_field(held, world):
    client = as_user(world, held, "taker")
    response = client.post(api("conference-minutes", held), {"text": "   "})
    assert response.status_code == 400 and response.json() == {"text": ["Enter the minutes"]}
    assert refresh(held.conference).minutes_drafted_at is None


def test_minutes_signed_off_and_sent_then_frozen(held, world):
    chair = as_user(world, held, Role.IRO)
    no_draft = chair.post(api("conference-minutes-sign-off", held))
    assert (
        no_draft.status_code == 400 and "no draft minutes" in no_draft.json()["non_field_errors"][0]
    )
    chair.post(api("conference-minutes", held), {"text": "Minutes."})
    assert chair.post(api("conference-minutes-sign-off", held)).status_code == 200
    frozen = chair.post(api("conference-minutes", held), {"text": "Changed"})
    assert (
        frozen.status_code == 400
        and "can no longer be changed" in frozen.json()["non_field_errors"][0]
    )
    sent = as_user(world, held, Role.BUSINESS_SUPPORT).post(api("conference-minutes-send", held))
    assert sent.status_code == 200 and len(sent.json()["emailed"]) == 3
    state = as_user(world, held, Role.AUDITOR).get(api("conference-minutes", held)).json()
    assert state["signed_off_by"] == world.users[Role.IRO].display_name
    assert state["distributed_by"] == world.users[Role.BUSINESS_SUPPORT].display_name


@pytest.mark.parametrize("role", READERS)
def test_every_reader_lists_the_paperwork_not_sent(held, world, role):
    response = as_user(world, held, role).get(api("paperwork"))
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["late"], body["decision_sheets"], body["minutes"]) == (2, 0, 1, 1)
    first = body["results"][0]
    assert first["document"] == "decision_sheet" and first["due_by"] == "2027-03-02"
    assert first["stage"] == "To sign off" and first["late"] is False


def test_the_list_keeps_a_district_manager_to_their_district(held, world):
    other = as_user(world, held, "other_district_manager")
    assert other.get(api("paperwork")).json()["count"] == 0
    assert other.get(api("paperwork"), {"district": world.north.pk}).status_code == 404
    bad = as_user(world, held, Role.BUSINESS_SUPPORT).get(api("paperwork"), {"stage": "later"})
    assert bad.status_code == 400 and "stage" in bad.json()


def test_signed_out_is_refused(held):
    assert Client().get(api("paperwork")).status_code == 403
    assert Client().post(api("conference-decision-sheet-sign-off", held)).status_code == 403


def test_the_schema_describes_the_paperwork_endpoints(world):
    schema = client_for(world.users[Role.SENIOR_IRO]).get(reverse("api:schema"))
    text = schema.content.decode()
    for path in (
        "/api/conferences/{id}/decision-sheet/",
        "/api/conferences/{id}/decision-sheet/sign-off/",
        "/api/conferences/{id}/decision-sheet/send/",
        "/api/conferences/{id}/minutes/",
        "/api/conferences/{id}/minutes/sign-off/",
        "/api/conferences/{id}/minutes/send/",
        "/api/paperwork/",
    ):
        assert path in text, path
