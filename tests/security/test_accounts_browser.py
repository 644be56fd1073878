"""One story in a real browser, with MFA required: the Senior IRO (with an authenticator app)
creates an account; the new IRO signs in with the temporary password, must choose their own,
sets up an authenticator app from the key shown on the page, keeps the recovery codes and
reaches My work. Each page passes axe's WCAG 2.2 AA checks."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from people.models import Role, User

from ..fixtures import PASSWORD
from ..test_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPORARY = "harbour-violet-engine-3"
CHOSEN = "plum-orchard-lantern-7"


def _password_step(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_new_account_changes_its_password_and_sets_up_mfa(
    page: Page, live_server, world, settings
):
    settings.IRO_MFA_REQUIRED = True
    base = live_server.url
    senior_app = TOTPDevice.objects.create(user=world.users[Role.SENIOR_IRO], confirmed=True)

    _password_step(page, base, "senior_iro", PASSWORD)
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Code from your authenticator app").fill(f"{totp(senior_app.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", name="Staff accounts")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    assert not User.objects.filter(username="jo.marsh").exists()
    page.get_by_label("First name").fill("Jo")
    page.get_by_label("Last name").fill("Marsh")
    page.get_by_label("Username").fill("jo.marsh")
    page.get_by_label("Email address").fill("jo.marsh@example.org")
    page.get_by_label("Independent reviewing officer").check()
    page.get_by_label("Temporary password").fill(TEMPORARY)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Jo Marsh", level=1)).to_be_visible()
    expect(page.get_by_text("Must change password")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    _password_step(page, base, "jo.marsh", TEMPORARY)
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    expect(page.get_by_text("Choose a new password to replace the temporary one")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Current password").fill(TEMPORARY)
    page.get_by_label("New password", exact=True).fill(CHOSEN)
    page.get_by_label("New password again").fill(CHOSEN)
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="My conferences and meetings")).to_be_visible()
    expect(page.get_by_role("link", name="My work")).to_be_visible()
    account = User.objects.get(username="jo.marsh")
    assert account.check_password(CHOSEN) and not account.must_change_password
    assert TOTPDevice.objects.filter(user=account, confirmed=True).count() == 1
