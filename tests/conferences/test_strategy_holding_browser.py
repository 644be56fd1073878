"""In the browser, the chair records a strategy meeting as held (a refusal on the way, a row
added without JavaScript's help, check your answers), then quality-assures a decision not to
convene. axe checks every page."""

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conferences.models import S47Enquiry, StrategyMeeting
from people.models import Role

from ..test_browser import axe_violations, sign_in
from .test_strategy_holding_world import NOW, book_meeting, no_conference_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def at_the_table(world):
    with time_machine.travel(NOW, tick=True):
        meeting = book_meeting(world)
        enquiry = no_conference_decision(world, world.child)
        yield meeting, enquiry


def test_the_chair_holds_a_strategy_meeting_and_reviews_a_decision_not_to_convene(
    page: Page, live_server, world, at_the_table
):
    meeting, enquiry = at_the_table
    sign_in(page, live_server.url, Role.IRO.value)
    page.goto(f"{live_server.url}/conferences/strategy-meetings/{meeting.pk}/hold/")
    expect(page.get_by_role("heading", name="Record the strategy meeting as held")).to_be_visible()
    assert axe_violations(page) == []

    page.locator("#id_attendance-1-name").fill("PC Dale Moss")
    page.locator("#id_attendance-1-agency").select_option("police")
    page.locator("#id_attendance-1-status").select_option("remote")
    page.get_by_role("button", name="Continue").click()  # nothing decided yet: refused
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter what the meeting decided")).to_be_visible()
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Add another person").click()
    expect(page.locator("#id_attendance-4-name")).to_be_visible()
    expect(page.locator("#id_attendance-1-name")).to_have_value("PC Dale Moss")
    page.locator("#id_attendance-4-name").fill("Dr Ann Lee")
    page.locator("#id_attendance-4-agency").select_option("gp")
    page.locator("#id_attendance-4-status").select_option("apologies")
    page.get_by_label("What the meeting decided").fill("Section 47 enquiry for Robin.")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.locator(f"#id_child_{world.child.pk}_0").check()
    page.locator(f"#id_child_{world.sibling.pk}_1").check()
    page.get_by_role("button", name="Continue").click()

    heading = page.get_by_role("heading", name="Check before you record the meeting as held")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Dr Ann Lee")).to_be_visible()
    assert axe_violations(page) == []
    assert StrategyMeeting.objects.get(pk=meeting.pk).status == StrategyMeeting.Status.BOOKED
    page.get_by_role("button", name="Record the meeting as held").click()

    expect(page.get_by_text("recorded as held, and 1 section 47 enquiry started")).to_be_visible()
    assert axe_violations(page) == []
    assert StrategyMeeting.objects.get(pk=meeting.pk).status == StrategyMeeting.Status.HELD
    assert S47Enquiry.objects.filter(strategy_meeting=meeting, child=world.child).exists()

    page.goto(f"{live_server.url}/conferences/no-conference-decisions/")
    listing = page.get_by_role("heading", name="Decisions not to convene to quality-assure")
    expect(listing).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Quality-assure the decision for Robin Ashdown").click()
    assert axe_violations(page) == []
    page.get_by_role("radio", name="Yes, I agree with the decision").check()
    page.get_by_label("Your note on the decision").fill("Proportionate: a CIN plan fits.")
    page.get_by_role("button", name="Save your review").click()
    expect(page.get_by_text("Your review of the decision has been saved.")).to_be_visible()
    assert axe_violations(page) == []
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by == world.users[Role.IRO]
