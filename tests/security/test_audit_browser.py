"""The audit in a browser: an IRO finds a child by NHS number with the keyboard (the number
never in the address bar) and opens the record; the auditor then finds who looked at the
child from the Audit page. Every page passes axe."""

import pytest
from playwright.sync_api import Page, expect

from ..test_browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NHS_NUMBER = "9434765919"


def test_the_auditor_finds_who_looked_at_a_child_found_by_nhs_number(
    page: Page, live_server, world
):
    world.child.nhs_number = NHS_NUMBER
    world.child.save()
    sign_in(page, live_server.url, "iro")
    page.get_by_label("Name or child ID").fill(NHS_NUMBER)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 child found")).to_be_visible()
    assert NHS_NUMBER not in page.url and "search=" in page.url
    assert axe_violations(page) == []
    page.get_by_role("link", name="Robin Ashdown").click()
    expect(page.get_by_role("heading", name="Robin Ashdown", level=1)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "auditor")
    page.get_by_role("link", name="Audit", exact=True).click()
    expect(page.get_by_role("heading", name="Audit record", level=1)).to_be_visible()
    page.get_by_label("Child's name or child ID").fill("Nobody Here")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Child's name or child ID").fill("Ashdown")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Choose the child")).to_be_visible()
    assert "Ashdown" not in page.url
    page.get_by_role("link", name="Robin Ashdown").click()
    results = page.get_by_role("region", name="for Robin Ashdown")
    expect(results.get_by_role("row").filter(has_text="Viewed: Child's record")).to_have_count(1)
    expect(results.get_by_role("row").filter(has_text="(iro)")).to_have_count(1)
    assert axe_violations(page) == []
