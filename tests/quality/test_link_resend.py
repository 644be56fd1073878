"""Cancelling an unused one-time link, or sending a new one in its place (a parent says the
email went to the wrong address; a letter was lost): the old link and its code stop working,
the new one works, a used link is never changed, and only those who may send links may do it.
A child's upload over the size limit is refused from its declared length, before the body is
read, with nothing saved and the link still usable."""

import io
import os
import re
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from conferences.models import Conference
from people.models import Role
from quality_assurance import links
from quality_assurance.models import ChildView, FeedbackQuestionnaire, OneTimeLink
from quality_assurance.services import child_views, feedback, link_changes
from tests.conferences.test_paperwork_world import pdf_text
from tests.factories import UserFactory

from .test_feedback_helpers import (
    ANSWERS,
    NOW,
    PDF_BYTES,
    _fresh_cache,
    booked_conference,
    feedback_link,
    held_conference,
    private_media,
    views_link,
)

pytestmark = pytest.mark.django_db
__all__ = ["_fresh_cache", "private_media"]

FEEDBACK_REFUSED = ["iro", "district_manager", "directorate_manager", "auditor"]
VIEWS_REFUSED = ["district_manager", "directorate_manager", "auditor"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sent(world, clients):
    """A held conference whose links business support sent: the mother's by email, the
    father's by letter. Returns the conference, both invitees and the emailed link's path."""
    conference, mother, father, _police = held_conference(world)
    clients["business_support"].post(reverse("quality:feedback_links", args=[conference.pk]))
    [message] = mail.outbox
    emailed = re.search(r"http://testserver(/respond/feedback/[^/\s]+/)", message.body).group(1)
    return conference, mother, father, emailed


def in_force(invitee) -> OneTimeLink:
    return OneTimeLink.objects.get(invitee=invitee, cancelled_at__isnull=True)


def cancel_url(link):
    return reverse("quality:cancel_link", args=[link.pk])


def resend_url(link):
    return reverse("quality:resend_link", args=[link.pk])


def messages_on(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Cancelling


def test_cancelling_asks_first_then_the_link_and_its_code_no_longer_work(sent, clients, world):
    conference, mother, father, emailed = sent
    by_email, by_letter = in_force(mother), in_force(father)
    check = clients["business_support"].get(cancel_url(by_email))
    assert check.status_code == 200
    text = check.content.decode()
    assert "Are you sure you want to cancel the feedback link for Mo Parent?" in text
    assert "cannot be undone" in text
    by_email.refresh_from_db()
    assert by_email.cancelled_at is None  # looking at the check page changes nothing

    done = clients["business_support"].post(cancel_url(by_email), follow=True)
    assert "The link for Mo Parent was cancelled" in messages_on(done)
    by_email.refresh_from_db()
    assert by_email.cancelled_at == NOW
    assert by_email.cancelled_by == world.users["business_support"]

    page = Client().get(emailed)
    assert page.status_code == 410
    assert "This link is no longer valid" in page.content.decode()
    posted = Client().post(emailed, ANSWERS)
    assert posted.status_code == 410
    assert not FeedbackQuestionnaire.objects.exists()

    clients["senior_iro"].post(cancel_url(by_letter))
    typed = Client().post(reverse("respond:start"), {"code": by_letter.code})
    assert typed.status_code == 410
    assert "This link is no longer valid" in typed.content.decode()
    # The cancelled link is kept, with who cancelled it, and the page lists it.
    assert OneTimeLink.objects.count() == 2
    listing = clients["business_support"].get(
        reverse("quality:feedback_links", args=[conference.pk])
    )
    listed = listing.content.decode()
    assert listed.count("Cancelled</strong>") == 2
    assert "by Business" in listed  # who cancelled it (the fixture names users by role)
    # Nobody has a working link now, so both can be sent one again.
    assert "By email to mo@family.example" in listed
    assert "Fred Parent (Father)" in listed and "By letter with a code" in listed


def test_the_lookups_treat_a_cancelled_link_as_not_valid(world):
    conference, mother, *_ = held_conference(world)
    link, token = feedback_link(conference, mother, now=NOW)
    assert links.state(links.find_by_token(token), NOW) == links.VALID
    link_changes.cancel(link=link, by=world.users["business_support"], now=NOW)
    assert links.state(links.find_by_token(token), NOW) == links.CANCELLED
    assert links.state(links.find_by_code(link.code), NOW) == links.CANCELLED
    with pytest.raises(ValidationError) as refused:
        feedback.answer_online(link=link, answers=ANSWERS, now=NOW)
    assert refused.value.messages == [links.CANCELLED]
    assert not FeedbackQuestionnaire.objects.exists()


def test_a_cancelled_childs_link_says_so_and_saves_nothing(world, clients):
    booked = booked_conference(world)
    link, token = views_link(booked, world.child, now=NOW)
    assert clients["iro"].post(cancel_url(link)).status_code == 302  # the chair
    page = Client().post(reverse("respond:views", args=[token]), {"words": "Hello"})
    assert page.status_code == 410
    assert "This link is no longer valid" in page.content.decode()
    assert not ChildView.objects.exists()
    with pytest.raises(ValidationError):
        child_views.send_views(link=link, words="Hello", now=NOW)
    assert not ChildView.objects.exists()


def test_cancelling_twice_or_an_expired_link_is_refused_and_changes_nothing(sent, clients, world):
    conference, mother, *_ = sent
    link = in_force(mother)
    clients["business_support"].post(cancel_url(link))
    link.refresh_from_db()
    first = link.cancelled_at
    again = clients["senior_iro"].post(cancel_url(link), follow=True)
    assert "already cancelled" in messages_on(again)
    link.refresh_from_db()
    assert link.cancelled_at == first
    assert link.cancelled_by.username == "business_support"

    father_link = OneTimeLink.objects.get(invitee__name="Fred Parent")
    with time_machine.travel(father_link.expires_at, tick=False):
        late_client = Client()  # a sign-in lasts less than a link
        late_client.force_login(world.users["business_support"])
        late = late_client.post(cancel_url(father_link), follow=True)
        assert "already expired" in messages_on(late)
    father_link.refresh_from_db()
    assert father_link.cancelled_at is None


# Sending a new link in its place


def test_a_new_link_by_email_goes_to_the_corrected_address_and_the_old_one_is_dead(
    sent, clients, world
):
    conference, mother, father, old_url = sent
    old = in_force(mother)
    mother.email = "mo.parent@family.example"  # the first address was wrong
    mother.save()
    check = clients["business_support"].get(resend_url(old))
    assert check.status_code == 200
    assert "emailed to mo.parent@family.example" in check.content.decode()
    assert len(mail.outbox) == 1

    done = clients["business_support"].post(resend_url(old), follow=True)
    assert "A new link was emailed to Mo Parent at mo.parent@family.example" in messages_on(done)
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == ["mo.parent@family.example"]
    new_url = re.search(r"http://testserver(/respond/feedback/[^/\s]+/)", message.body).group(1)
    assert new_url != old_url

    old.refresh_from_db()
    assert (old.cancelled_at, old.cancelled_by) == (NOW, world.users["business_support"])
    new = in_force(mother)
    assert new.pk != old.pk and new.code != old.code
    assert (new.sent_by, new.sent_at, new.created_by) == (
        "email",
        NOW,
        world.users["business_support"],
    )
    assert new.expires_at == NOW + links.lifetime(OneTimeLink.Purpose.FEEDBACK)

    assert Client().get(old_url).status_code == 410
    assert Client().get(new_url).status_code == 200
    assert Client().post(new_url, ANSWERS).status_code == 302
    answer = FeedbackQuestionnaire.objects.get()
    assert answer.link == new
    assert answer.history.count() == 1  # the questionnaire keeps its history as before
    # Only the mother was sent again; the father's letter is untouched.
    assert OneTimeLink.objects.filter(invitee=father).count() == 1


def test_a_new_letter_has_a_new_code_in_the_letters_pdf(sent, clients, tmp_path):
    conference, mother, father, _ = sent
    old = in_force(father)
    done = clients["business_support"].post(resend_url(old), follow=True)
    assert "A new letter with a new code is ready for Fred Parent" in messages_on(done)
    assert len(mail.outbox) == 1  # a letter, not an email
    new = in_force(father)
    assert new.sent_by == "letter" and new.code != old.code

    letters_url = reverse("quality:feedback_letters", args=[conference.pk])
    everything = plain(pdf_text(clients["business_support"].get(letters_url).content, tmp_path))
    assert new.code in everything
    assert old.code not in everything
    only_his = clients["business_support"].get(letters_url, {"invitee": father.pk})
    assert only_his.status_code == 200
    assert new.code in plain(pdf_text(only_his.content, tmp_path))
    assert clients["business_support"].get(letters_url, {"invitee": mother.pk}).status_code == 404

    assert Client().post(reverse("respond:start"), {"code": old.code}).status_code == 410
    client = Client()
    typed = client.post(reverse("respond:start"), {"code": links.display_code(new.code)})
    assert typed.status_code == 302
    assert client.post(reverse("respond:feedback_by_code"), ANSWERS).status_code == 302
    assert FeedbackQuestionnaire.objects.get().link == new


def test_a_failed_email_changes_nothing_and_the_old_link_still_works(sent, world):
    conference, mother, _, old_url = sent
    old = in_force(mother)
    with (
        mock.patch(
            "quality_assurance.services.feedback.send",
            side_effect=smtplib.SMTPRecipientsRefused({}),
        ),
        pytest.raises(ValidationError) as refused,
    ):
        feedback.resend_link(link=old, by=world.users["business_support"], base_url="http://x/")
    assert "could not be sent, so nothing changed" in refused.value.messages[0]
    assert in_force(mother) == old
    assert OneTimeLink.objects.filter(invitee=mother).count() == 1
    assert Client().get(old_url).status_code == 200


def test_a_new_email_needs_an_address(sent, clients):
    conference, mother, *_ = sent
    old = in_force(mother)
    mother.email, mother.postal_address = "", "2 Low Road\nNorthbridge\nNB1 2BB"
    mother.save()
    check = clients["business_support"].get(resend_url(old))
    assert "has no email address now" in check.content.decode()
    assert "Send a new link</button>" not in check.content.decode()
    refused = clients["business_support"].post(resend_url(old), follow=True)
    assert "has no email address now" in messages_on(refused)
    assert in_force(mother) == old
    assert len(mail.outbox) == 1


# A used link is never changed


@pytest.mark.parametrize("url", [cancel_url, resend_url], ids=["cancel", "resend"])
def test_a_used_link_cannot_be_cancelled_or_replaced(sent, clients, url):
    conference, mother, _, emailed = sent
    assert Client().post(emailed, ANSWERS).status_code == 302
    link = in_force(mother)
    check = clients["business_support"].get(url(link))
    text = check.content.decode()
    assert "already been used" in text
    assert "govuk-button--warning" not in text
    refused = clients["business_support"].post(url(link), follow=True)
    assert "already been used, so it cannot be cancelled or sent again" in messages_on(refused)
    link.refresh_from_db()
    assert link.cancelled_at is None
    assert OneTimeLink.objects.filter(invitee=mother).count() == 1
    assert len(mail.outbox) == 1
    assert FeedbackQuestionnaire.objects.get().link == link


def test_a_used_link_cannot_be_cancelled_by_the_service_or_the_database(world):
    conference, mother, *_ = held_conference(world)
    link, _ = feedback_link(conference, mother, now=NOW)
    feedback.answer_online(link=link, answers=ANSWERS, now=NOW)
    with pytest.raises(ValidationError, match="already been used"):
        link_changes.cancel(link=link, by=world.users["business_support"], now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        OneTimeLink.objects.filter(pk=link.pk).update(cancelled_at=NOW)


def test_one_working_link_per_person_and_cancelled_ones_beside_it(world):
    conference, mother, *_ = held_conference(world)
    first, _ = feedback_link(conference, mother, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        feedback_link(conference, mother, now=NOW)
    link_changes.cancel(link=first, by=None, now=NOW)
    feedback_link(conference, mother, now=NOW)
    assert OneTimeLink.objects.filter(invitee=mother).count() == 2


# Who may


@pytest.mark.parametrize("role", FEEDBACK_REFUSED)
@pytest.mark.parametrize("url", [cancel_url, resend_url], ids=["cancel", "resend"])
def test_only_business_support_change_a_feedback_link(sent, clients, role, url):
    conference, mother, *_ = sent
    link = in_force(mother)
    assert clients[role].get(url(link)).status_code == 403
    assert clients[role].post(url(link)).status_code == 403
    assert clients["other_district_manager"].post(url(link)).status_code == 404
    link.refresh_from_db()
    assert link.cancelled_at is None
    assert OneTimeLink.objects.count() == 2
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", VIEWS_REFUSED)
@pytest.mark.parametrize("url", [cancel_url, resend_url], ids=["cancel", "resend"])
def test_only_business_support_and_the_chair_change_a_views_link(world, clients, role, url):
    booked = booked_conference(world)
    link, _ = views_link(booked, world.child, now=NOW)
    other_iro = Client()
    other_iro.force_login(UserFactory(username="other_iro", role=Role.IRO))
    for client in (clients[role], other_iro):
        assert client.get(url(link)).status_code == 403
        assert client.post(url(link)).status_code == 403
    assert clients["other_district_manager"].post(url(link)).status_code == 404
    assert (
        clients["business_support"].get(reverse("quality:cancel_link", args=[999])).status_code
        == 404
    )
    link.refresh_from_db()
    assert link.cancelled_at is None
    assert OneTimeLink.objects.count() == 1


# The child's views link


def test_the_chair_sends_a_new_views_link_emailed_and_shown_once(world, clients):
    booked = booked_conference(world)
    page = reverse("quality:views_link", args=[booked.pk])
    clients["business_support"].post(page, {"child": world.child.pk, "email_social_worker": "on"})
    old = OneTimeLink.objects.get(child=world.child)
    old_url = re.search(r"http://testserver(/respond/views/[^/\s]+/)", mail.outbox[0].body).group(1)
    listing = clients["iro"].get(page).content.decode()
    assert "Not used yet" in listing and resend_url(old) in listing

    made = clients["iro"].post(resend_url(old))
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    text = made.content.decode()
    assert f"New views link made for {world.child.first_name}" in text
    shown = re.search(r'value="http://testserver(/respond/views/[^"]+/)"', text).group(1)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["sam.social@council.example"]
    assert shown in mail.outbox[1].body and shown != old_url

    old.refresh_from_db()
    assert (old.cancelled_at, old.cancelled_by) == (NOW, world.users["iro"])
    new = OneTimeLink.objects.get(child=world.child, cancelled_at__isnull=True)
    assert (new.sent_by, new.created_by) == ("email", world.users["iro"])
    assert Client().get(old_url).status_code == 410
    assert Client().post(shown, {"words": "I like my school."}).status_code == 302
    assert ChildView.objects.get().link == new


def test_a_views_link_only_shown_is_shown_again_not_emailed(world, clients):
    booked = booked_conference(world)
    old, old_token = views_link(booked, world.sibling, now=NOW)
    made = clients["business_support"].post(resend_url(old))
    assert made.status_code == 200
    assert "/respond/views/" in made.content.decode()
    assert mail.outbox == []
    assert Client().get(reverse("respond:views", args=[old_token])).status_code == 410


def test_no_new_views_link_once_the_conference_is_held(world, clients):
    booked = booked_conference(world)
    link, token = views_link(booked, world.child, now=NOW)
    Conference.objects.filter(pk=booked.pk).update(status=Conference.Status.HELD)
    check = clients["business_support"].get(resend_url(link))
    assert "can no longer be asked for" in check.content.decode()
    refused = clients["business_support"].post(resend_url(link), follow=True)
    assert "can no longer be asked for" in messages_on(refused)
    link.refresh_from_db()
    assert link.cancelled_at is None
    assert OneTimeLink.objects.count() == 1


# An upload too big is refused before it is read


def upload(name: str, content: bytes, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def read(self, size=-1):
        raise AssertionError("the request body was read")

    readinto = readline = read


def test_an_oversized_upload_is_refused_with_nothing_saved_and_the_link_still_works(
    world, private_media, settings
):
    settings.IRO_UPLOAD_MAX_MB = 1
    booked = booked_conference(world)
    link, token = views_link(booked, world.child, now=NOW)
    url = reverse("respond:views", args=[token])
    big = PDF_BYTES + b"0" * (2 * 1024 * 1024)
    refused = Client().post(url, {"words": "Hello", "picture": upload("big.pdf", big)})
    assert refused.status_code == 413
    text = refused.content.decode()
    assert "There is a problem" in text
    assert "The file must be smaller than 1MB" in text
    assert not ChildView.objects.exists()
    assert not any(private_media.rglob("*.*")) if private_media.exists() else True
    link.refresh_from_db()
    assert link.used_at is None
    assert Client().post(url, {"words": "Hello"}).status_code == 302
    assert ChildView.objects.get().words == "Hello"


def test_an_oversized_upload_is_refused_before_its_body_is_read(world):
    booked = booked_conference(world)
    link, token = views_link(booked, world.child, now=NOW)
    refused = Client().generic(
        "POST",
        reverse("respond:views", args=[token]),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(11 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert refused.status_code == 413
    assert "The file must be smaller than 10MB" in refused.content.decode()
    link.refresh_from_db()
    assert link.used_at is None


def test_a_dead_link_with_an_oversized_upload_still_says_it_is_dead(world):
    booked = booked_conference(world)
    link, token = views_link(booked, world.child, now=NOW)
    link_changes.cancel(link=link, by=None, now=NOW)
    refused = Client().generic(
        "POST",
        reverse("respond:views", args=[token]),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(11 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert refused.status_code == 410
    assert "This link is no longer valid" in refused.content.decode()


def test_the_views_page_still_checks_the_csrf_token(world):
    booked = booked_conference(world)
    _, token = views_link(booked, world.child, now=NOW)
    url = reverse("respond:views", args=[token])
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, {"words": "Hello"}).status_code == 403
    assert not ChildView.objects.exists()
    form = client.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert client.post(url, {"words": "Hello", "csrfmiddlewaretoken": csrf}).status_code == 302
    assert ChildView.objects.get().words == "Hello"


def test_a_nine_megabyte_photo_is_accepted(world, private_media):
    """Django's own request limits do not turn a picture under IRO_UPLOAD_MAX_MB into a 400."""
    side = 1750  # 1750 x 1750 RGB noise: a PNG of about 9 MB that does not compress
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    content = out.getvalue()
    assert 8.5 * 1024 * 1024 < len(content) < 10 * 1024 * 1024
    booked = booked_conference(world)
    _, token = views_link(booked, world.child, now=NOW)
    sent = Client().post(
        reverse("respond:views", args=[token]),
        {"words": "My drawing", "picture": upload("photo.png", content)},
    )
    assert sent.status_code == 302
    view = ChildView.objects.get()
    assert view.picture_type == "image/png"
    assert view.history.count() == 1


# The API


def test_the_api_resends_and_cancels_a_feedback_link(sent, clients, world):
    conference, mother, father, old_url = sent
    old = in_force(father)
    resent = clients["business_support"].post(f"/api/links/{old.pk}/resend/")
    assert resent.status_code == 201
    body = resent.json()
    new = in_force(father)
    assert (body["cancelled"], body["id"], body["sent_by"]) == (old.pk, new.pk, "letter")
    assert body["code"] == links.display_code(new.code)
    assert body["letters_pdf"].endswith(f"?invitee={father.pk}")
    again = clients["business_support"].post(f"/api/links/{old.pk}/resend/")
    assert again.status_code == 400
    assert "already cancelled" in again.json()["non_field_errors"][0]

    emailed = in_force(mother)
    cancelled = clients["senior_iro"].post(f"/api/links/{emailed.pk}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["id"] == emailed.pk
    assert Client().get(old_url).status_code == 410
    assert clients["auditor"].post(f"/api/links/{new.pk}/cancel/").status_code == 403
    assert clients["other_district_manager"].post(f"/api/links/{new.pk}/cancel/").status_code == 404
    assert in_force(father) == new


def test_the_api_resends_a_views_link_shown_only_in_the_answer(world, clients):
    booked = booked_conference(world)
    old, old_token = views_link(booked, world.child, now=NOW)
    resent = clients["iro"].post(f"/api/links/{old.pk}/resend/")
    assert resent.status_code == 201
    assert resent["Cache-Control"] == "no-store"
    url = resent.json()["url"]
    assert url.startswith("http://testserver/respond/views/")
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200
    assert Client().get(reverse("respond:views", args=[old_token])).status_code == 410
    assert clients["district_manager"].post(f"/api/links/{old.pk}/resend/").status_code == 403
