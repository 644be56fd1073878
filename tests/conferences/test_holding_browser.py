"""The whole journey in the browser, with axe on every page: business support books an initial
conference for a household of three; the chair holds it with the register and each child's
decision; the plans start with their categories; the decision sheet is signed off and sent;
the review comes onto the list to book with the right due date; it is held and one plan
ceases; the measures change accordingly."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from conferences.models import Conference, Invitee, S47Enquiry
from conferences.services import meetings
from people.models import Role
from plans.models import ChildProtectionPlan
from reporting.metrics import compute_all
from reporting.metrics.periods import Period
from tests.factories import LONDON, ChildFactory, VenueFactory

from ..test_browser import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
BOOKING_DAY = dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)  # a Monday
INVITED = [
    ("Dana Social", "social_care", "Social worker", "In person"),
    ("PC Pat Moss", "police", "Public protection officer", "Remotely"),
    ("Hana Health", "health_visitor", "Health visitor", "In person"),
    ("Jo Ashdown", "family", "Mother", "In person"),
]


def _invite(conference: Conference) -> None:
    for name, agency, role, _ in INVITED:
        Invitee.objects.create(
            conference=conference,
            name=name,
            agency=agency,
            role=role,
            email=f"{name.split()[-1].lower()}@agency.example",
        )


def _checked(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def _sign_in_as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


def _keep_register(page: Page) -> None:
    page.get_by_role("link", name="Attendance register").click()
    for line, (*_, took_part) in enumerate(INVITED, start=1):
        page.get_by_label(f"Took part, line {line}", exact=True).select_option(label=took_part)
    expect(page.locator("#quorum-live")).to_contain_text("the conference is quorate")
    _checked(page)
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("The conference is quorate.")).to_be_visible()


def _target(page: Page, text: str, day: dt.date) -> None:
    page.get_by_label("Target 1: what must change").fill(text)
    page.locator("input[name=new_1_due_by_day]").fill(str(day.day))
    page.locator("input[name=new_1_due_by_month]").fill(str(day.month))
    page.locator("input[name=new_1_due_by_year]").fill(str(day.year))
    page.get_by_label("Target 1: who will do it").fill("Mother, with the social worker")


@pytest.fixture
def household(world):
    third = ChildFactory(
        household=world.child.household,
        first_name="Ash",
        last_name="Ashdown",
        date_of_birth=dt.date(2019, 9, 9),
    )
    children = [world.child, world.sibling, third]
    with time_machine.travel(BOOKING_DAY, tick=True):
        for child in children:
            enquiry = meetings.s47_enquiry_record(
                by=world.users[Role.BUSINESS_SUPPORT],
                child=child,
                strategy_discussion_on=dt.date(2026, 12, 30),
                started_on=dt.date(2026, 12, 30),
                today=BOOKING_DAY.date(),
            )
            meetings.s47_enquiry_decide(
                enquiry=enquiry,
                outcome=S47Enquiry.Outcome.CONFERENCE,
                decided_on=BOOKING_DAY.date(),
                today=BOOKING_DAY.date(),
                by=world.users[Role.BUSINESS_SUPPORT],
            )
    VenueFactory(name="Northbridge Office", district=world.north)
    return children


def _book(page: Page, *, link: str, day: dt.date, chair) -> None:
    page.get_by_role("link", name=link).click()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Venue").select_option(index=1)
    page.get_by_role("radio", name=chair.display_name).check()
    page.get_by_role("button", name="Continue").click()
    _checked(page)
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.get_by_text("The conference has been booked")).to_be_visible()


def test_book_hold_send_review_and_cease(page: Page, live_server, world, household):
    base, chair = live_server.url, world.users[Role.IRO]
    robin, sky, ash = household
    with time_machine.travel(BOOKING_DAY, tick=True) as clock:
        # Business support books the initial conference for the three children.
        _sign_in_as(page, base, "business_support")
        page.goto(f"{base}/conferences/to-book/")
        _book(
            page,
            link="Book initial conference for Household H-N-1",
            day=dt.date(2027, 1, 8),
            chair=chair,
        )
        initial = Conference.objects.get(kind=Conference.Kind.INITIAL)
        assert initial.child_outcomes.count() == 3
        _invite(initial)

        # On the day, the chair records it from their work list.
        clock.move_to(dt.datetime(2027, 1, 8, 12, 0, tzinfo=LONDON))
        _sign_in_as(page, base, "iro")
        page.goto(f"{base}/conferences/my-work/")
        expect(page.get_by_text("Conferences to record (1)")).to_be_visible()
        _checked(page)
        page.get_by_role("link", name="Initial: Household H-N-1").click()
        _checked(page)
        _keep_register(page)
        for child, category in ((ash, "Neglect"), (sky, "Neglect"), (robin, "Emotional abuse")):
            page.get_by_role("link", name=child.full_name).click()
            expect(page.get_by_role("heading", name=child.full_name)).to_be_visible()
            page.get_by_role("radio", name="Views given to the social worker").check()
            page.get_by_role(
                "radio", name=f"{child.first_name} needs a child protection plan"
            ).check()
            page.get_by_role("radio", name=category).check()
            _target(page, f"{child.first_name} is seen by a dentist", dt.date(2027, 3, 1))
            _checked(page)
            page.get_by_role("button", name="Save and continue").click()
            page.goto(f"{base}/conferences/{initial.pk}/hold/")
        page.get_by_role("link", name="Check and record as held").click()
        expect(page.get_by_text("Thursday 8 April 2027").first).to_be_visible()
        _checked(page)
        page.get_by_role("button", name="Record as held").click()
        expect(page.get_by_text("The conference has been recorded as held")).to_be_visible()
        _checked(page)
        plans = {p.child_id: p for p in ChildProtectionPlan.objects.all()}
        assert {c: p.latest_category for c, p in plans.items()} == {
            robin.pk: "EMO",
            sky.pk: "NEG",
            ash.pk: "NEG",
        }
        assert {p.start_date for p in plans.values()} == {dt.date(2027, 1, 8)}

        # The decision sheet: the chair signs it off, business support sends it.
        page.goto(f"{base}/conferences/{initial.pk}/decision-sheet/")
        _checked(page)
        page.get_by_role("button", name="Sign off").click()
        expect(page.get_by_text("The decision sheet is signed off")).to_be_visible()
        _sign_in_as(page, base, "business_support")
        page.goto(f"{base}/conferences/{initial.pk}/decision-sheet/")
        page.get_by_role("link", name="Send to the invitees").click()
        _checked(page)
        page.get_by_role("button", name="Send the decision sheet").click()
        expect(page.get_by_text("The decision sheet was emailed to 4 people")).to_be_visible()
        assert len(mail.outbox) == 4
        assert mail.outbox[0].attachments[0][2] == "application/pdf"

        # Weeks later the review is on the list to book, due 3 months after the conference.
        clock.move_to(dt.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON))
        _sign_in_as(page, base, "business_support")
        page.goto(f"{base}/conferences/to-book/?kind=review")
        expect(page.get_by_text("8 April 2027").first).to_be_visible()
        _checked(page)
        _book(page, link="Book review for Household H-N-1", day=dt.date(2027, 4, 6), chair=chair)
        review = Conference.objects.get(kind=Conference.Kind.REVIEW)
        _invite(review)

        # The review: two plans continue, Ash's ceases.
        clock.move_to(dt.datetime(2027, 4, 6, 12, 0, tzinfo=LONDON))
        _sign_in_as(page, base, "iro")
        page.goto(f"{base}/conferences/{review.pk}/hold/")
        _keep_register(page)
        for child in (ash, sky, robin):
            page.get_by_role("link", name=child.full_name).click()
            page.get_by_role("radio", name="Did not participate").check()
            page.get_by_role("radio", name="Achieved", exact=True).check()
            if child == ash:
                page.get_by_role("radio", name="The plan ceases").check()
                page.get_by_label("Why the plan ceases").select_option(
                    label="No longer at risk of significant harm"
                )
            else:
                page.get_by_role("radio", name="The plan continues").check()
            _checked(page)
            page.get_by_role("button", name="Save and continue").click()
            page.goto(f"{base}/conferences/{review.pk}/hold/")
        page.get_by_role("link", name="Check and record as held").click()
        _checked(page)
        page.get_by_role("button", name="Record as held").click()
        expect(page.get_by_text("The conference has been recorded as held")).to_be_visible()

    ash_plan = ChildProtectionPlan.objects.get(child=ash)
    assert ash_plan.end_date == dt.date(2027, 4, 6) and ash_plan.end_reason == "no_longer_at_risk"
    assert ChildProtectionPlan.objects.get(child=sky).next_review_due_by == dt.date(2027, 10, 6)
    figures = compute_all(period=Period(start=dt.date(2027, 1, 1), end=dt.date(2027, 4, 30)))
    assert figures["plans_started"] == 3 and figures["plans_ended"] == 1
    assert figures["conferences_held"]["initial"] == 1
    assert figures["conferences_held"]["review"] == 1
    # The initial conference's sheet went out the same day; the review's is not yet sent.
    on_time = figures["decision_sheets_on_time"]
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2)
