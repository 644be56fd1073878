"""Real people in a real browser: sign in per role, find a child, keyboard and screen reader.

Headless Chromium through Playwright against Django's live server. axe-core (from npm) checks
each page against WCAG 2.2 AA rules.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from children import services as child_services
from children.models import Child
from people.models import Role

from .fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Each role lands on its own work list (the list to book, an IRO's next 4 weeks...); the
    # tests that use this go on from finding a child.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"{base_url}/children/")
    expect(page.get_by_role("heading", name="Find a child")).to_be_visible()


def axe_violations(page: Page) -> list[dict]:
    # Run through the browser's devtools, which the page's Content Security Policy does not
    # govern: a <script> tag added to the page (add_script_tag) would be refused, as it should.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_finds_a_child_and_opens_the_record(
    page: Page, live_server, world, role
):
    username = "district_manager" if role == Role.DISTRICT_MANAGER else role.value
    sign_in(page, live_server.url, username)
    page.get_by_label("Name or child ID").fill("Ashdown")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 children found")).to_be_visible()
    page.get_by_role("link", name="Robin Ashdown").click()
    expect(page.get_by_role("heading", name="Robin Ashdown", level=1)).to_be_visible()
    expect(page.get_by_text("Child ID " + world.child.local_id)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_pages_pass_automated_accessibility_checks(page: Page, live_server, world):
    page.goto(f"{live_server.url}/sign-in/")
    assert axe_violations(page) == []
    sign_in(page, live_server.url, "iro")
    page.get_by_label("Name or child ID").fill("Ashdown")  # sent by POST: not in the URL
    page.get_by_role("button", name="Search").click()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/children/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []


def test_keyboard_user_skips_to_content_and_follows_an_error_to_its_field(
    page: Page, live_server, world
):
    sign_in(page, live_server.url, "iro")
    page.goto(f"{live_server.url}/children/new/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.get_by_label("Child ID").fill("C777777")
    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Hollins")
    page.get_by_label("UPN").fill("A801200005001")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus for screen readers
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # The first error link goes to the first field in error: the date of birth's day box.
    expect(page.locator("#id_date_of_birth_0")).to_be_focused()
    expect(page.get_by_text("UPN check letter does not match")).to_have_count(2)


def test_district_manager_is_told_a_record_is_not_found_in_another_district(
    page: Page, live_server, world
):
    sign_in(page, live_server.url, "other_district_manager")
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_paginated_results_history_and_page_not_found_pass_accessibility_checks(
    page: Page, live_server, world
):
    Child.objects.bulk_create(
        Child(
            local_id=f"B{n:06d}",
            first_name=f"Alex{n:02d}",
            last_name="Ashdown",
            date_of_birth=world.child.date_of_birth,
            district=world.north,
        )
        for n in range(30)
    )
    child_services.child_update(
        child=world.child, by=world.users[Role.IRO], first_name="Robyn", gender="2"
    )
    sign_in(page, live_server.url, "iro")
    page.get_by_label("Name or child ID").fill("Ashdown")  # sent by POST: not in the URL
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="32 children found")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Robyn Ashdown")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/children/{world.child.pk}/history/")
    expect(page.get_by_text("Gender: Not known")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    assert axe_violations(page) == []


def test_the_booking_desk_pages_pass_automated_accessibility_checks(page: Page, live_server, world):
    sign_in(page, live_server.url, "business_support")
    household = world.child.household.pk
    for path in (
        "/conferences/to-book/",
        f"/conferences/book/{household}/review/",
        "/conferences/diary/",
        f"/conferences/strategy-meetings/book/{household}/",
        f"/children/households/{household}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/conferences/book/{household}/review/")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
