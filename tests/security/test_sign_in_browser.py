"""The sign-in pages of issue 12 in a real browser, each checked with axe: the page a locked
out person sees, the Senior IRO lifting the lockout, and changing your own password."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.fixtures import PASSWORD
from tests.test_browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_locked_out_then_unlocked_by_the_senior_iro(page: Page, live_server, world):
    guesser = Client()
    for n in range(10):
        guesser.post(
            "/sign-in/", {"username": "iro", "password": f"guess-{n}"}, REMOTE_ADDR="10.0.0.1"
        )

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("iro")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Too many attempts to sign in")).to_be_visible()
    expect(page.get_by_text("ask the Senior IRO")).to_be_visible()
    assert axe_violations(page) == []

    sign_in(page, live_server.url, "senior_iro")
    page.get_by_role("link", name="Sign-in lockouts").click()
    expect(page.get_by_role("heading", name="Sign-in lockouts")).to_be_visible()
    expect(page.get_by_role("rowheader", name="iro", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Unlock the account iro").click()
    expect(
        page.get_by_role("heading", name="Are you sure you want to unlock the account iro?")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("The account iro can sign in again.")).to_be_visible()
    expect(page.get_by_text("Nobody is locked out.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "iro")


def test_changing_your_own_password(page: Page, live_server, world):
    sign_in(page, live_server.url, "business_support")
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("Summer24")
    page.get_by_label("New password again").fill("Summer24")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="This password is too short.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("lantern-orchard-pebble")
    page.get_by_label("New password again").fill("lantern-orchard-pebble")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    page.goto(f"{live_server.url}/account/password/")
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_text("You have signed out everywhere you were signed in.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
