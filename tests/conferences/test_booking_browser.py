"""Business support books an initial conference, a review and a strategy meeting in the
browser, meets a refusal on the way, and the invitation arrives with its calendar file."""

import datetime as dt

import icalendar
import pytest
import time_machine
from playwright.sync_api import Page, expect

from children.models import FamilyMember
from conferences.models import Conference, S47Enquiry, StrategyMeeting
from conferences.services import meetings
from people.models import Role

from ..test_browser import axe_violations, sign_in
from .booking_world import TODAY, booking_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(world, settings):
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"  # as in make run
    with time_machine.travel(TODAY, tick=True):
        people = booking_world(world)
        enquiry = meetings.s47_enquiry_record(
            by=people["by"],
            child=world.south_child,
            strategy_discussion_on=dt.date(2026, 12, 21),
            started_on=dt.date(2026, 12, 21),
            today=TODAY.date(),
        )
        meetings.s47_enquiry_decide(
            enquiry=enquiry,
            outcome=S47Enquiry.Outcome.CONFERENCE,
            decided_on=TODAY.date(),
            today=TODAY.date(),
            by=people["by"],
        )
        FamilyMember.objects.create(
            household=world.child.household,
            name="Dana Ashdown",
            relationship="mother",
            email="dana.ashdown@mail.example",
        )
        yield people


def _fill_booking(page: Page, *, day: str, month: str, time: str, venue, chair) -> None:
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Start time").fill(time)
    page.get_by_label("Venue").select_option(value=str(venue.pk))
    page.get_by_role("radio", name=chair.display_name).check()


def test_business_support_books_three_meetings_and_the_invitation_arrives(
    page: Page, live_server, world, desk
):
    base = live_server.url
    sign_in(page, base, "business_support")
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="To book")).to_be_visible()
    expect(page.get_by_text("Initial conference: 1")).to_be_visible()
    expect(page.get_by_text("Review: 1")).to_be_visible()

    # The review, through check your answers.
    page.get_by_role("link", name="Book review for Household H-N-1").click()
    expect(page.get_by_text("It must be held by Tuesday 2 February 2027")).to_be_visible()
    _fill_booking(page, day="27", month="1", time="10:00", venue=desk["venue"], chair=desk["iro"])
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Check the booking before you confirm it")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.get_by_text("The conference has been booked")).to_be_visible()
    review = Conference.objects.get(kind=Conference.Kind.REVIEW)

    # The initial conference: first with the same chair at an overlapping time (refused).
    page.goto(f"{base}/conferences/to-book/")
    page.get_by_role("link", name="Book initial conference for Household H-S-1").click()
    _fill_booking(page, day="27", month="1", time="11:00", venue=desk["big"], chair=desk["iro"])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_text("It must be held by 14 January 2027").first).to_be_visible()
    expect(page.get_by_text("Jo Chair cannot chair then").first).to_be_visible()
    assert axe_violations(page) == []
    _fill_booking(page, day="13", month="1", time="14:00", venue=desk["big"], chair=desk["iro"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.get_by_text("The conference has been booked")).to_be_visible()
    assert Conference.objects.filter(kind=Conference.Kind.INITIAL, status="booked").count() == 1

    # A strategy meeting, online.
    page.goto(f"{base}/children/households/{world.child.household.pk}/")
    page.get_by_role("link", name="Book a strategy meeting").click()
    page.get_by_label("Child sexual exploitation").check()
    page.get_by_label("Day").fill("6")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Start time").fill("15:00")
    page.get_by_label("Held online, or with some people joining online").check()
    page.get_by_label("Link to join online").fill("https://meet.example/strategy-1")
    page.get_by_role("radio", name=desk["other_iro"].display_name).check()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("The strategy meeting has been booked")).to_be_visible()
    assert StrategyMeeting.objects.get().kind == StrategyMeeting.Kind.SEXUAL_EXPLOITATION

    # Invite the mother from the household's record and read what she receives.
    page.goto(f"{base}/conferences/{review.pk}/invitees/")
    page.get_by_role("link", name="Add from the children's records").click()
    page.get_by_label("Dana Ashdown", exact=False).check()
    page.get_by_role("button", name="Add the people chosen").click()
    page.get_by_role("link", name="Send invitations").click()
    page.get_by_role("button", name="Send 1 email").click()
    page.goto(f"{base}/outbox/")
    page.get_by_role("link", name="Child protection conference", exact=False).first.click()
    expect(page.get_by_text("dana.ashdown@mail.example").first).to_be_visible()
    link = page.get_by_role("link", name="invitation.ics")
    calendar = icalendar.Calendar.from_ical(
        page.request.get(f"{base}{link.get_attribute('href')}").body()
    )
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == review.scheduled_for
    assert "Ashdown" not in str(event["SUMMARY"])  # no child named in an email
    assert Role.BUSINESS_SUPPORT  # the persona who did all of it
