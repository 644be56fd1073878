"""In a real browser: business support send a parent a new link in place of one sent to the
wrong address, then cancel another, checking first each time; the chair sends a new views
link; the parent's old link says it is no longer valid. axe checks each page (WCAG 2.2 AA)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from quality_assurance.models import OneTimeLink
from tests.test_browser import axe_violations, sign_in

from .test_feedback_helpers import (
    _fresh_cache,
    booked_conference,
    feedback_link,
    held_conference,
    views_link,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["_fresh_cache"]


def test_business_support_send_a_new_link_and_cancel_one(page: Page, live_server, world):
    conference, mother, father, _ = held_conference(world)
    _, old_token = feedback_link(conference, mother)
    feedback_link(conference, father)
    OneTimeLink.objects.update(sent_by="email")
    OneTimeLink.objects.filter(invitee=father).update(sent_by="letter")
    sign_in(page, live_server.url, "business_support")
    page.goto(live_server.url + reverse("quality:feedback_links", args=[conference.pk]))
    expect(page.get_by_role("table", name="Links sent")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Send a new link to Mo Parent").click()
    expect(page.get_by_role("heading", name="Send Mo Parent a new feedback link")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_text("A new link was emailed to Mo Parent")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Cancel the link for Fred Parent").click()
    expect(page.get_by_role("heading", name="Are you sure you want to cancel")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Cancel the link").click()
    expect(page.get_by_text("The link for Fred Parent was cancelled")).to_be_visible()
    assert OneTimeLink.objects.filter(cancelled_at__isnull=False).count() == 2

    page.goto(live_server.url + reverse("respond:feedback", args=[old_token]))
    expect(page.get_by_role("heading", name="This link is no longer valid")).to_be_visible()
    assert axe_violations(page) == []


def test_the_chair_sends_a_new_views_link(page: Page, live_server, world):
    conference = booked_conference(world)
    views_link(conference, world.child)
    sign_in(page, live_server.url, "iro")
    page.goto(live_server.url + reverse("quality:views_link", args=[conference.pk]))
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Send a new link to {world.child.first_name}").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send a new link").click()
    expect(
        page.get_by_role("heading", name=f"New views link made for {world.child.first_name}")
    ).to_be_visible()
    assert axe_violations(page) == []
    assert "/respond/views/" in page.locator("#views-link").input_value()
