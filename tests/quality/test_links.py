"""One-time links: the token is shown only in the link and stored as a hash; a code for
letters; single use, expiry, tampering and the rate limit on the public pages; no login."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from quality_assurance import links
from quality_assurance.models import FeedbackQuestionnaire, OneTimeLink

from .test_feedback_helpers import ANSWERS, NOW, _fresh_cache, feedback_link, held_conference

pytestmark = pytest.mark.django_db
__all__ = ["_fresh_cache"]


@pytest.fixture
def sent(world):
    conference, mother, father, _police = held_conference(world)
    link, token = feedback_link(conference, mother, now=NOW)
    return link, token


def url(token):
    return reverse("respond:feedback", args=[token])


def test_only_the_hash_of_the_token_is_stored(sent):
    link, token = sent
    assert len(token) >= 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {link.token_hash, link.code}
    assert links.find_by_token(token) == link
    assert links.find_by_token(token, purpose=OneTimeLink.Purpose.CHILD_VIEWS) is None


def test_codes_are_ten_unambiguous_letters_and_found_however_typed(sent):
    link, _ = sent
    assert len(link.code) == 10
    assert set(link.code) <= set(links.CODE_ALPHABET)
    assert not set("01OIL") & set(links.CODE_ALPHABET)
    typed = f" {link.code[:5].lower()}-{link.code[5:]} "
    assert links.find_by_code(typed) == link
    assert links.find_by_code("") is None


def test_links_expire_after_the_setting(world, settings):
    settings.IRO_FEEDBACK_LINK_DAYS = 5
    conference, mother, *_ = held_conference(world)
    link, _ = feedback_link(conference, mother, now=NOW)
    assert link.expires_at == NOW + dt.timedelta(days=5)
    assert links.state(link, NOW + dt.timedelta(days=4, hours=23)) == links.VALID
    assert links.state(link, NOW + dt.timedelta(days=5)) == links.EXPIRED


def test_the_page_needs_no_sign_in_and_shows_only_the_conference_date(sent, world):
    _, token = sent
    with time_machine.travel(NOW, tick=False):
        response = Client().get(url(token))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Friday 20 November 2026" in text
    for secret in (world.child.first_name, world.child.last_name, "Mo Parent", "Northbridge"):
        assert secret not in text


def test_a_signed_in_member_of_staff_sees_no_navigation_on_the_public_page(sent, clients):
    _, token = sent
    with time_machine.travel(NOW, tick=False):
        response = clients["business_support"].get(url(token))
    assert response.status_code == 200
    assert 'id="navigation"' not in response.content.decode()
    assert "Sign out" not in response.content.decode()


def test_a_used_link_says_so_and_changes_nothing(sent):
    link, token = sent
    client = Client()
    with time_machine.travel(NOW, tick=False):
        assert client.post(url(token), ANSWERS).status_code == 302
        again = client.post(url(token), {**ANSWERS, "comments": "Second go"})
        page = client.get(url(token))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert page.status_code == 410
    assert FeedbackQuestionnaire.objects.count() == 1
    assert FeedbackQuestionnaire.objects.get().comments == "The chair listened."


def test_an_expired_link_says_so_and_changes_nothing(sent, settings):
    link, token = sent
    with time_machine.travel(link.expires_at + dt.timedelta(minutes=1), tick=False):
        page = Client().get(url(token))
        posted = Client().post(url(token), ANSWERS)
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()
    assert posted.status_code == 410
    assert not FeedbackQuestionnaire.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:-3],
        lambda token: token + "x",
        lambda token: "x" * 43,
    ],
    ids=["last-character", "shortened", "lengthened", "made-up"],
)
def test_a_tampered_or_unknown_link_says_it_does_not_work(sent, change):
    link, token = sent
    with time_machine.travel(NOW, tick=False):
        page = Client().get(url(change(token)))
        posted = Client().post(url(change(token)), ANSWERS)
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()
    assert posted.status_code == 404
    assert not FeedbackQuestionnaire.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_too_many_attempts_from_one_address_are_refused_with_nothing_changed(sent):
    _, token = sent
    client = Client()
    with time_machine.travel(NOW, tick=False):
        for _ in range(links.RATE_LIMIT_ATTEMPTS):
            assert client.get(url("guess" * 9)).status_code == 404
        refused = client.get(url(token))
        posted = client.post(url(token), ANSWERS)
        code = client.post(reverse("respond:start"), {"code": "ABCDEFGHJK"})
        other = Client(REMOTE_ADDR="10.0.0.9").get(url(token))
    assert refused.status_code == 429
    assert "Too many tries" in refused.content.decode()
    assert posted.status_code == 429
    assert code.status_code == 429
    assert not FeedbackQuestionnaire.objects.exists()
    assert other.status_code == 200  # another address is not held back
    # The window passes, and the address may try again.
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        # LocMemCache expires by the real clock, which time_machine moves too.
        assert client.get(url(token)).status_code == 200


def test_typing_the_code_opens_the_questionnaire_once(sent):
    link, _ = sent
    client = Client()
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse("respond:start")).status_code == 200
        wrong = client.post(reverse("respond:start"), {"code": "ZZZZZ ZZZZZ"})
        assert wrong.status_code == 200
        assert "does not match" in wrong.content.decode()
        found = client.post(reverse("respond:start"), {"code": link.code.lower()})
        assert found.status_code == 302
        assert found["Location"] == reverse("respond:feedback_by_code")
        assert client.get(found["Location"]).status_code == 200
        done = client.post(found["Location"], ANSWERS)
        assert done["Location"] == reverse("respond:thanks")
        again = client.post(reverse("respond:start"), {"code": link.code})
    assert again.status_code == 410
    saved = FeedbackQuestionnaire.objects.get()
    assert saved.link == link
    assert saved.source == FeedbackQuestionnaire.Source.ONLINE


def test_the_code_page_without_a_code_in_the_session_does_not_work():
    response = Client().get(reverse("respond:feedback_by_code"))
    assert response.status_code == 404
