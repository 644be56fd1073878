"""Two-step sign-in (people.mfa, people.views_mfa): a password, then a code from an
authenticator app. Codes are worked out here from the secret, as the phone's app would."""

import logging
import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import mfa
from people.models import Role

from ..fixtures import PASSWORD

pytestmark = pytest.mark.django_db

CHILD_SEARCH = "/children/"
API = "/api/children/"


@pytest.fixture
def required(settings):
    settings.IRO_MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    return settings


@pytest.fixture
def clock():
    """A clock that stands still unless moved: TOTP codes and django-otp's waits follow it."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def code_for(key: bytes, step_offset: int = 0) -> str:
    return f"{totp(key, drift=step_offset):06d}"


def wrong_code_for(key: bytes) -> str:
    """A 6-digit code the app would not show now, nor a step either side."""
    near = {code_for(key, offset) for offset in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(100000, 999999) if f"{n:06d}" not in near)


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, mfa.new_recovery_codes(user)


def test_enrolment_with_a_real_code_shows_ten_recovery_codes_once(required, world, clock):
    client = Client()
    sign_in(client, "iro")
    # Every page sends someone with no app to set one up, and comes back afterwards.
    response = client.get(CHILD_SEARCH)
    assert response.status_code == 302
    assert response.url == f"{reverse('mfa:set_up')}?next=%2Fchildren%2F"
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'aria-label="QR code to scan with your authenticator app"' in html
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7 ]+)<', html).group(1)
    key = b32decode(secret.replace(" ", ""))
    # Nothing is confirmed by looking at the page.
    assert not mfa.has_authenticator(world.users[Role.IRO])

    wrong = client.post(reverse("mfa:set_up"), {"code": wrong_code_for(key), "next": "/children/"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert not mfa.has_authenticator(world.users[Role.IRO])
    assert client.get(CHILD_SEARCH).status_code == 302

    clock.shift(2)  # the wait after one wrong code
    done = client.post(reverse("mfa:set_up"), {"code": code_for(key), "next": "/children/"})
    assert done.status_code == 302
    assert done.url == f"{reverse('mfa:recovery_codes')}?next=%2Fchildren%2F"
    shown = client.get(done.url).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10
    assert 'href="/children/"' in shown  # Continue goes back to the page first asked for
    stored = set(
        StaticToken.objects.filter(device__user=world.users[Role.IRO]).values_list(
            "token", flat=True
        )
    )
    assert stored == set(codes)
    # Shown once only.
    again = client.get(reverse("mfa:recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "shown only once" in again
    assert client.get(CHILD_SEARCH).status_code == 200


def test_sign_in_asks_for_the_code_and_blocks_pages_and_the_api_until_given(required, world, clock):
    device, _ = enrolled(world.users[Role.AUDITOR])
    client = Client()
    response = sign_in(client, "auditor")
    assert response.status_code == 302
    blocked = client.get(f"{CHILD_SEARCH}?q=Ashdown")
    assert blocked.status_code == 302
    assert blocked.url.startswith(reverse("mfa:verify"))
    assert client.get(f"/children/{world.child.pk}/").status_code == 302
    api = client.get(f"/api/children/{world.child.pk}/")
    assert api.status_code == 403
    assert b"Ashdown" not in api.content
    # Nor can they swap in an app of their own with the password alone.
    assert client.get(reverse("mfa:set_up")).url.startswith(reverse("mfa:verify"))
    assert client.get(reverse("mfa:recovery_codes")).status_code == 302
    assert TOTPDevice.objects.filter(user=world.users[Role.AUDITOR]).count() == 1
    # The navigation is not offered until then.
    page = client.get(blocked.url)
    assert page.status_code == 200
    assert b"Service navigation" not in page.content

    answered = client.post(
        reverse("mfa:verify"), {"code": code_for(device.bin_key), "next": "/children/?q=Ashdown"}
    )
    assert answered.status_code == 302
    assert answered.url == "/children/?q=Ashdown"
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    assert client.get(f"/api/children/{world.child.pk}/").status_code == 200


def test_a_wrong_code_is_refused_counted_and_logged_without_the_code(
    required, world, clock, caplog
):
    device, _ = enrolled(world.users[Role.IRO])
    failures = []

    def receiver(sender, request, user, reason, **kwargs):
        failures.append((user.pk, reason))

    mfa.mfa_failed.connect(receiver)
    try:
        client = Client()
        sign_in(client, "iro")
        wrong = wrong_code_for(device.bin_key)
        caplog.set_level(logging.WARNING, logger="people.mfa")
        response = client.post(reverse("mfa:verify"), {"code": wrong})
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html and "The code is not right" in html
        assert client.get(CHILD_SEARCH).status_code == 302
        # Counted: straight after, even the right code must wait.
        throttled = client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
        assert "too many wrong codes" in throttled.content.decode()
        assert client.get(CHILD_SEARCH).status_code == 302
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        clock.shift(2)
        ok = client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
        assert ok.status_code == 302
        assert client.get(CHILD_SEARCH).status_code == 200
    finally:
        mfa.mfa_failed.disconnect(receiver)
    user = world.users[Role.IRO]
    assert failures == [(user.pk, "wrong_code"), (user.pk, "throttled")]
    logged = [r.getMessage() for r in caplog.records if r.name == "people.mfa"]
    assert logged == [
        f"MFA code refused for user id {user.pk}: wrong_code",
        f"MFA code refused for user id {user.pk}: throttled",
    ]
    assert wrong not in caplog.text and code_for(device.bin_key) not in caplog.text


def test_a_recovery_code_works_once(required, world, clock):
    _, codes = enrolled(world.users[Role.BUSINESS_SUPPORT])
    client = Client()
    sign_in(client, "business_support")
    response = client.post(reverse("mfa:verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    page = client.get(response.url, follow=True)
    assert "You used a recovery code. You have 9 left" in page.content.decode()
    client.post(reverse("logout"))

    again = Client()
    sign_in(again, "business_support")
    refused = again.post(reverse("mfa:verify"), {"code": codes[0]})
    assert refused.status_code == 200
    assert "The code is not right" in refused.content.decode()
    assert again.get(CHILD_SEARCH).status_code == 302
    clock.shift(2)
    assert again.post(reverse("mfa:verify"), {"code": codes[1]}).status_code == 302
    assert again.get(CHILD_SEARCH).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(required, world, clock):
    device, old = enrolled(world.users[Role.IRO])
    client = Client()
    sign_in(client, "iro")
    client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
    response = client.post(reverse("mfa:recovery_codes"))
    assert response.status_code == 302
    new = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", client.get(response.url).content.decode()
    )
    assert len(new) == 10
    tokens = set(
        StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True)
    )
    assert tokens == set(new) and not tokens & set(old)


def test_not_required_when_the_setting_is_off_unless_they_set_up_an_app(settings, world, clock):
    settings.IRO_MFA_REQUIRED = False
    client = Client()
    sign_in(client, "iro")
    assert client.get(CHILD_SEARCH).status_code == 200
    assert client.get(f"/api/children/{world.child.pk}/").status_code == 200
    overview = client.get(reverse("mfa:overview")).content.decode()
    assert "You have not set up an authenticator app yet" in overview
    # Someone who has set one up is asked for its code even so.
    device, _ = enrolled(world.users[Role.SENIOR_IRO])
    other = Client()
    sign_in(other, "senior_iro")
    assert other.get(CHILD_SEARCH).url.startswith(reverse("mfa:verify"))
    other.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
    assert other.get(CHILD_SEARCH).status_code == 200


def test_sign_out_the_public_pages_and_static_files_stay_open_before_the_code(
    required, world, clock
):
    enrolled(world.users[Role.IRO])
    client = Client()
    sign_in(client, "iro")
    public = client.get("/respond/")
    assert public.status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(CHILD_SEARCH).url.startswith(reverse("login"))


def test_every_role_sets_up_their_own_app(required, world, clock):
    for key, user in world.users.items():
        client = Client()
        sign_in(client, user.username)
        page = client.get(reverse("mfa:set_up"))
        assert page.status_code == 200, key
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        assert (
            client.post(reverse("mfa:set_up"), {"code": code_for(device.bin_key)}).status_code
            == 302
        )
        assert client.get(CHILD_SEARCH).status_code == 200, key
    # Each has their own app; nobody's page showed another's.
    assert TOTPDevice.objects.filter(confirmed=True).count() == len(world.users)


def test_an_mfa_reset_ends_the_verified_session_and_asks_for_a_new_app(required, world, clock):
    user = world.users[Role.IRO]
    device, _ = enrolled(user)
    client = Client()
    sign_in(client, "iro")
    client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
    assert client.get(CHILD_SEARCH).status_code == 200
    mfa.remove_devices(user)
    assert not StaticDevice.objects.filter(user=user).exists()
    response = client.get(CHILD_SEARCH, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa:set_up"))
    assert client.get(f"/api/children/{world.child.pk}/").status_code == 403


def test_a_temporary_password_must_be_changed_first(required, world, clock):
    user = world.users[Role.IRO]
    user.must_change_password = True
    user.save()
    client = Client()
    sign_in(client, "iro")
    response = client.get(CHILD_SEARCH)
    assert response.url.startswith(reverse("password_change"))
    assert client.get(f"/api/children/{world.child.pk}/").status_code == 403
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase-42",
            "new_password2": "a-brand-new-passphrase-42",
        },
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    # Then the app.
    assert client.get(CHILD_SEARCH).url.startswith(reverse("mfa:set_up"))


def test_the_step_pages_need_sign_in(world):
    anonymous = Client()
    for name in ("mfa:overview", "mfa:set_up", "mfa:verify", "mfa:recovery_codes"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


def test_a_throttled_wait_grows_with_each_wrong_code(required, world, clock):
    device, _ = enrolled(world.users[Role.IRO])
    client = Client()
    sign_in(client, "iro")
    wrong = wrong_code_for(device.bin_key)
    for _ in range(4):
        client.post(reverse("mfa:verify"), {"code": wrong})
        clock.shift(timedelta(minutes=10))
    device.refresh_from_db()
    assert device.throttling_failure_count == 4
    client.post(reverse("mfa:verify"), {"code": wrong})  # fifth: wait 16 seconds
    clock.shift(10)
    response = client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
    assert "Wait 6 seconds" in response.content.decode()
    clock.shift(7)
    assert client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)}).status_code == 302


def test_the_session_id_changes_once_the_code_is_given(required, world, clock):
    device, _ = enrolled(world.users[Role.IRO])
    client = Client()
    sign_in(client, "iro")
    before = client.cookies["sessionid"].value
    client.post(reverse("mfa:verify"), {"code": code_for(device.bin_key)})
    after = client.cookies["sessionid"].value
    assert after != before
    # The old id is no good to anyone who learnt it before the code was given.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get(CHILD_SEARCH).url.startswith(reverse("login"))
    assert client.get(CHILD_SEARCH).status_code == 200
