"""Parent and carer feedback: business support send one-time links after a held conference
(email, or a letter with a code), the parent answers online, paper returns are typed in, and
the monthly counts move. Each role on each page and endpoint, refusals included."""

import datetime as dt
import re
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from conferences.models import Conference
from quality_assurance.models import FeedbackQuestionnaire, OneTimeLink
from quality_assurance.services import feedback
from reporting.metrics.periods import Period
from reporting.metrics.quality import feedback_returns
from tests.factories import InviteeFactory

from .test_feedback_helpers import (
    ANSWERS,
    HELD_ON,
    NOW,
    _fresh_cache,
    feedback_link,
    held_conference,
)

pytestmark = pytest.mark.django_db
__all__ = ["_fresh_cache"]

SENDERS = ["business_support", "senior_iro"]
REFUSED = ["iro", "district_manager", "other_district_manager", "directorate_manager", "auditor"]


@pytest.fixture
def held(world):
    return held_conference(world)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def paper_form(**changes):
    data = {
        "respondent": "mother",
        "received_on_day": "27",
        "received_on_month": "11",
        "received_on_year": "2026",
        **ANSWERS,
    }
    data.update(changes)
    return data


# The check-your-answers page and sending


@pytest.mark.parametrize("role", SENDERS)
def test_senders_check_who_gets_what_before_sending(held, clients, role):
    conference, mother, father, police = held
    response = clients[role].get(reverse("quality:feedback_links", args=[conference.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Check before you send" in text
    assert "By email to mo@family.example" in text
    assert "Fred Parent (Father)" in text and "By letter with a code" in text
    assert police.name not in text
    assert not OneTimeLink.objects.exists()


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_send_links(held, clients, role):
    conference, *_ = held
    page = reverse("quality:feedback_links", args=[conference.pk])
    assert clients[role].get(page).status_code == 403
    assert clients[role].post(page).status_code == 403
    assert (
        clients[role].get(reverse("quality:feedback_letters", args=[conference.pk])).status_code
        == 403
    )
    assert not OneTimeLink.objects.exists()
    assert mail.outbox == []


def test_a_conference_that_does_not_exist_is_not_found(clients):
    assert (
        clients["business_support"].get(reverse("quality:feedback_links", args=[999])).status_code
        == 404
    )


def test_sending_emails_parents_with_an_address_and_makes_letters_for_the_rest(
    held, clients, world
):
    conference, mother, father, police = held
    page = reverse("quality:feedback_links", args=[conference.pk])
    response = clients["business_support"].post(page, follow=True)
    assert "Feedback links sent: 1 emailed, 1 to get a letter" in response.content.decode()
    by_email = OneTimeLink.objects.get(invitee=mother)
    by_letter = OneTimeLink.objects.get(invitee=father)
    assert (by_email.sent_by, by_letter.sent_by) == ("email", "letter")
    assert by_email.purpose == OneTimeLink.Purpose.FEEDBACK
    assert by_email.created_by == world.users["business_support"]
    assert not OneTimeLink.objects.filter(invitee=police).exists()
    [message] = mail.outbox
    assert message.to == ["mo@family.example"]
    assert "Friday 20 November 2026" in message.body
    assert world_child_name_absent(message.body, conference)
    link_url = re.search(r"http://testserver(/respond/feedback/[^/\s]+/)", message.body).group(1)
    assert Client().get(link_url).status_code == 200
    # The letters PDF, with the code.
    pdf = clients["business_support"].get(reverse("quality:feedback_letters", args=[conference.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def world_child_name_absent(body: str, conference: Conference) -> bool:
    return all(child.first_name not in body for child in conference.children.all())


def test_sending_twice_is_refused_for_those_already_sent(held, clients):
    conference, mother, father, police = held
    page = reverse("quality:feedback_links", args=[conference.pk])
    clients["business_support"].post(page)
    again = clients["senior_iro"].post(page, follow=True)
    assert "already been sent a feedback link" in again.content.decode()
    assert OneTimeLink.objects.count() == 2
    assert len(mail.outbox) == 1
    # A parent added later is sent theirs; the others are not sent again.
    InviteeFactory(
        conference=conference, agency="family", role="Foster carer", email="fc@x.example"
    )
    clients["business_support"].post(page)
    assert OneTimeLink.objects.count() == 3
    assert [m.to for m in mail.outbox] == [["mo@family.example"], ["fc@x.example"]]


def test_links_are_only_sent_after_a_held_conference(world, clients):
    conference, *_ = held_conference(world)
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.BOOKED)
    page = reverse("quality:feedback_links", args=[conference.pk])
    assert "not held" in clients["business_support"].get(page).content.decode()
    clients["business_support"].post(page)
    assert not OneTimeLink.objects.exists()


def test_a_conference_with_no_parent_invited_has_nobody_to_ask(world, clients):
    conference, mother, father, _ = held_conference(world)
    type(mother).objects.filter(pk__in=[mother.pk, father.pk]).update(agency="social_care")
    response = clients["business_support"].get(
        reverse("quality:feedback_links", args=[conference.pk])
    )
    assert "No parent or carer was invited" in response.content.decode()


def test_a_failed_email_records_no_link_for_that_person(held, world):
    conference, mother, father, _ = held
    with mock.patch(
        "quality_assurance.services.feedback.send", side_effect=smtplib.SMTPRecipientsRefused({})
    ):
        sent = feedback.send_links(
            conference=conference, by=world.users["business_support"], base_url="http://x/"
        )
    assert sent.failed == [mother]
    assert [link.invitee for link in sent.letters] == [father]
    assert not OneTimeLink.objects.filter(invitee=mother).exists()
    # Tried again, the parent is emailed.
    again = feedback.send_links(
        conference=conference, by=world.users["business_support"], base_url="http://x/"
    )
    assert again.emailed == [mother]


def test_no_letters_to_print_is_not_found(held, clients):
    conference, *_ = held
    response = clients["business_support"].get(
        reverse("quality:feedback_letters", args=[conference.pk])
    )
    assert response.status_code == 404


# Answering online


def test_answering_online_saves_the_questionnaire_and_uses_the_link(held):
    conference, mother, *_ = held
    link, token = feedback_link(conference, mother)
    response = Client().post(reverse("respond:feedback", args=[token]), ANSWERS)
    assert response.status_code == 302
    saved = FeedbackQuestionnaire.objects.get()
    assert saved.source == FeedbackQuestionnaire.Source.ONLINE
    assert saved.respondent == FeedbackQuestionnaire.Respondent.MOTHER
    assert saved.link == link
    assert saved.entered_by is None
    assert saved.received_on == NOW.date()
    assert saved.stress_level == 4
    assert saved.could_express_views == "no"
    assert saved.history.count() == 1
    link.refresh_from_db()
    assert link.used_at == NOW


def test_an_incomplete_questionnaire_shows_errors_and_saves_nothing(held):
    conference, mother, *_ = held
    link, token = feedback_link(conference, mother)
    response = Client().post(
        reverse("respond:feedback", args=[token]),
        {**ANSWERS, "stress_level": "9", "met_chair_before": ""},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Choose yes, partly or no" in text
    assert not FeedbackQuestionnaire.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Mother", "mother"),
        ("Mum", "mother"),
        ("Father", "father"),
        ("Dad (not living at home)", "father"),
        ("Foster carer", "carer"),
        ("Special guardian", "carer"),
        ("Grandmother", "mother"),
        ("Aunt", "other"),
    ],
)
def test_the_respondent_follows_the_invitees_role(role, expected):
    assert feedback.respondent_for(mock.Mock(role=role)) == expected


# Paper returns


@pytest.mark.parametrize("role", SENDERS)
def test_senders_type_in_a_paper_questionnaire(held, clients, world, role):
    conference, *_ = held
    page = f"{reverse('quality:feedback_new')}?conference={conference.pk}"
    assert clients[role].get(page).status_code == 200
    response = clients[role].post(page, paper_form())
    assert response.status_code == 302
    saved = FeedbackQuestionnaire.objects.get()
    assert saved.source == FeedbackQuestionnaire.Source.PAPER
    assert saved.entered_by == world.users[role]
    assert saved.received_on == dt.date(2026, 11, 27)
    assert saved.link is None
    [row] = saved.history.all()
    assert row.history_user == world.users[role]
    assert row.history_change_reason == "Paper feedback questionnaire typed in"


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_type_in_feedback(held, clients, role):
    conference, *_ = held
    page = f"{reverse('quality:feedback_new')}?conference={conference.pk}"
    assert clients[role].get(page).status_code == 403
    assert clients[role].post(page, paper_form()).status_code == 403
    assert not FeedbackQuestionnaire.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"respondent": ""}, "Choose who filled in the form"),
        ({"received_on_day": ""}, "Date received must include a day"),
        ({"received_on_day": "19"}, "on or after the conference date"),
        ({"received_on_month": "12", "received_on_day": "25"}, "today or in the past"),
        ({"stress_level": "0"}, "Select a valid choice"),
        ({"clear_what_must_change": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_paper_input_is_explained_and_nothing_saved(held, clients, changes, message):
    conference, *_ = held
    page = f"{reverse('quality:feedback_new')}?conference={conference.pk}"
    response = clients["business_support"].post(page, paper_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FeedbackQuestionnaire.objects.exists()


def test_paper_entry_without_a_conference_is_not_found(clients):
    assert clients["business_support"].get(reverse("quality:feedback_new")).status_code == 404


# The measures


def test_the_monthly_counts_by_conference_kind_move(world, clients):
    initial, *_ = held_conference(world, kind=Conference.Kind.INITIAL, on=HELD_ON)
    review, mother, *_ = held_conference(world, kind=Conference.Kind.REVIEW, on=HELD_ON)
    period = Period(dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    before = feedback_returns(period=period)
    assert before["total"] == 0
    clients["business_support"].post(
        f"{reverse('quality:feedback_new')}?conference={initial.pk}", paper_form()
    )
    _, token = feedback_link(review, mother)
    Client().post(reverse("respond:feedback", args=[token]), ANSWERS)
    after = feedback_returns(period=period)
    assert (after["total"], after["initial"], after["review"]) == (2, 1, 1)
    assert after["by_month"] == [
        {"month": "2026-11", "initial": 1, "review": 0},
        {"month": "2026-12", "initial": 0, "review": 1},
    ]
    assert after["return_rate"] is not None


# The API


def api_paper(held_conference, **changes):
    body = {
        "conference": held_conference.pk,
        "respondent": "carer",
        "received_on": "2026-11-27",
        **{k: v for k, v in ANSWERS.items() if k != "stress_level"},
        "stress_level": 2,
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("role", SENDERS)
def test_the_api_sends_links(held, clients, role):
    conference, mother, father, _ = held
    url = f"/api/conferences/{conference.pk}/feedback-links/"
    response = clients[role].post(url)
    assert response.status_code == 201
    body = response.json()
    assert body["emailed"] == [mother.pk]
    assert body["failed"] == []
    assert [letter["invitee"] for letter in body["letters"]] == [father.pk]
    assert body["letters_pdf"].endswith(f"/quality/feedback/conferences/{conference.pk}/letters/")
    again = clients[role].post(url)
    assert again.status_code == 400
    assert "already been sent" in again.json()["non_field_errors"][0]


@pytest.mark.parametrize("role", REFUSED)
def test_the_api_refuses_other_roles(held, clients, role):
    conference, *_ = held
    assert (
        clients[role].post(f"/api/conferences/{conference.pk}/feedback-links/").status_code == 403
    )
    assert (
        clients[role]
        .post("/api/feedback/", api_paper(conference), content_type="application/json")
        .status_code
        == 403
    )
    assert not OneTimeLink.objects.exists()
    assert not FeedbackQuestionnaire.objects.exists()


def test_the_api_needs_a_sign_in(held):
    conference, *_ = held
    assert Client().post(f"/api/conferences/{conference.pk}/feedback-links/").status_code in {
        401,
        403,
    }
    assert Client().post("/api/feedback/", {}, content_type="application/json").status_code in {
        401,
        403,
    }


def test_the_api_takes_a_paper_questionnaire(held, clients, world):
    conference, *_ = held
    response = clients["business_support"].post(
        "/api/feedback/", api_paper(conference), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["source"] == "paper"
    saved = FeedbackQuestionnaire.objects.get()
    assert (saved.respondent, saved.stress_level) == ("carer", 2)
    assert saved.entered_by == world.users["business_support"]


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"stress_level": 6}, "stress_level", 400),
        ({"met_chair_before": "maybe"}, "met_chair_before", 400),
        ({"received_on": "2026-11-01"}, "received_on", 400),
        ({"conference": 99999}, None, 404),
    ],
)
def test_the_api_refuses_bad_paper_input(held, clients, changes, field, status):
    conference, *_ = held
    response = clients["business_support"].post(
        "/api/feedback/", api_paper(conference, **changes), content_type="application/json"
    )
    assert response.status_code == status
    if field:
        assert field in response.json()
    assert not FeedbackQuestionnaire.objects.exists()


def test_the_api_send_for_a_missing_conference_is_not_found(clients):
    assert (
        clients["business_support"].post("/api/conferences/99999/feedback-links/").status_code
        == 404
    )
