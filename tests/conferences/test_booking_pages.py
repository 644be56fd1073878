"""The booking desk's pages, for each role: who may see, who may book, and what they see."""

import datetime as dt

import pytest
import time_machine

from conferences.models import Conference, S47Enquiry
from conferences.services import booking
from people.models import Role

from ..fixtures import client_for
from .booking_world import TODAY, at, booking_world, review_request

pytestmark = pytest.mark.django_db

READERS = [
    Role.BUSINESS_SUPPORT,
    Role.SENIOR_IRO,
    Role.IRO,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
BOOKERS = [Role.BUSINESS_SUPPORT, Role.SENIOR_IRO]


@pytest.fixture
def desk(world, clients):
    """The booking world, with the test running on TODAY (its clients signed in then)."""
    with time_machine.travel(TODAY, tick=False):
        for key, client in clients.items():
            client.force_login(world.users[key])
        people = booking_world(world)
        conference = booking.conference_book(
            request=review_request(world, people, starts_at=at(dt.date(2027, 1, 27))),
            by=people["by"],
            now=TODAY,
        )
        yield {**people, "conference": conference}


def _book_form(people, world, **changes):
    data = {
        "children": [str(world.child.pk), str(world.sibling.pk)],
        "date_day": "27",
        "date_month": "1",
        "date_year": "2027",
        "time": "14:00",
        "venue": str(people["big"].pk),
        "chair": str(people["other_iro"].pk),
        "minute_taker": "",
        "meeting_link": "",
        "left_out_reason": "",
        "delay_reason": "",
        "delay_note": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", READERS)
def test_every_role_with_access_reads_the_list_and_the_conference(clients, desk, role):
    assert clients[role].get("/conferences/to-book/").status_code == 200
    assert clients[role].get(f"/conferences/{desk['conference'].pk}/").status_code == 200
    assert clients[role].get("/conferences/diary/").status_code == 200


def test_another_districts_manager_cannot_see_the_conference(clients, desk):
    outsider = clients["other_district_manager"]
    assert outsider.get(f"/conferences/{desk['conference'].pk}/").status_code == 404
    page = outsider.get("/conferences/to-book/").content.decode()
    assert desk["conference"].household.reference not in page


@pytest.mark.parametrize(
    "role", [Role.IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
)
def test_only_business_support_and_the_senior_iro_book(clients, world, desk, role):
    household = world.child.household.pk
    assert clients[role].get(f"/conferences/book/{household}/review/").status_code == 403
    assert clients[role].post(f"/conferences/book/{household}/review/check/").status_code == 403
    assert (
        clients[role]
        .post(f"/conferences/{desk['conference'].pk}/cancel/", {"reason": "other", "note": "x"})
        .status_code
        == 403
    )
    assert Conference.objects.filter(status=Conference.Status.BOOKED).count() == 1


def test_an_iro_lands_on_their_next_four_weeks_and_business_support_on_the_list(clients, desk):
    if True:
        assert clients[Role.BUSINESS_SUPPORT].get("/").url == "/conferences/to-book/"
        assert clients[Role.IRO].get("/").url == "/conferences/my-work/"
        team = clients[Role.SENIOR_IRO].get("/conferences/my-work/").content.decode()
    assert "Jo Chair" in team and "Review conference" in team


def test_the_list_to_book_puts_the_oldest_due_first_with_counts(clients, world, desk):
    booking_user = desk["by"]
    from conferences.services import meetings

    with time_machine.travel(TODAY, tick=False):
        enquiry = meetings.s47_enquiry_record(
            by=booking_user,
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
            by=booking_user,
        )
        page = clients[Role.BUSINESS_SUPPORT].get("/conferences/to-book/").content.decode()
    assert "Initial conference: 1" in page and "Review: 0" in page  # the review is booked
    assert "14 January 2027" in page and "H-S-1" in page
    assert "no decision to convene yet" not in page  # the decision is recorded


def test_an_ongoing_enquiry_is_listed_as_waiting_for_its_decision(clients, world, desk):
    from conferences.services import meetings

    with time_machine.travel(TODAY, tick=False):
        meetings.s47_enquiry_record(
            by=desk["by"],
            child=world.south_child,
            strategy_discussion_on=dt.date(2026, 12, 21),
            started_on=dt.date(2026, 12, 21),
            today=TODAY.date(),
        )
    page = clients[Role.BUSINESS_SUPPORT].get("/conferences/to-book/?kind=initial").content.decode()
    assert "Enquiry ongoing: no decision to convene yet" in page


def test_business_support_books_through_check_your_answers(clients, world, desk):
    client = clients[Role.BUSINESS_SUPPORT]
    household = world.child.household.pk
    booking.conference_cancel(
        conference=desk["conference"], reason="booked_in_error", note="", by=desk["by"], now=TODAY
    )
    with time_machine.travel(TODAY, tick=False):
        form = client.get(f"/conferences/book/{household}/review/").content.decode()
        assert "must be held by" in form and "2 February 2027" in form
        answer = client.post(f"/conferences/book/{household}/review/", _book_form(desk, world))
        assert answer.status_code == 302 and answer.url.endswith("/check/")
        check = client.get(answer.url).content.decode()
        assert "Check the booking before you confirm it" in check
        assert "Wednesday 27 January 2027, 14:00" in check
        assert not Conference.objects.filter(status=Conference.Status.BOOKED).exists()
        done = client.post(answer.url)
    conference = Conference.objects.get(status=Conference.Status.BOOKED)
    assert done.url == f"/conferences/{conference.pk}/"
    assert conference.chair == desk["other_iro"] and conference.venue == desk["big"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"chair": "CHAIR"}, "cannot chair then: they are already booked for a review conference"),
        (
            {"date_day": "1", "date_month": "1", "date_year": "2027"},
            "The date and time must be in the future",
        ),
        (
            {"date_day": "10", "date_month": "2", "kind": "review"},
            "It must be held by 2 February 2027",
        ),
        (
            {"kind": "review"},
            "Robin Ashdown already has a review conference booked on 27 January 2027",
        ),
        ({"time": "25:00"}, "Enter a time in the 24-hour clock"),
        ({"children": []}, "This field is required"),
    ],
)
def test_a_refused_booking_is_shown_on_the_form_and_nothing_is_saved(
    clients, world, desk, changes, message
):
    if changes.get("chair") == "CHAIR":
        changes = {"chair": str(desk["iro"].pk), "time": "11:00"}
    kind = changes.pop("kind", "transfer_in")
    if "date_day" in changes and kind == "review":
        booking.conference_cancel(
            conference=desk["conference"],
            reason="booked_in_error",
            note="",
            by=desk["by"],
            now=TODAY,
        )
    answer = clients[Role.BUSINESS_SUPPORT].post(
        f"/conferences/book/{world.child.household.pk}/{kind}/", _book_form(desk, world, **changes)
    )
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert Conference.objects.filter(status=Conference.Status.BOOKED).count() <= 1
    assert Conference.objects.count() == 1


def test_rearranging_in_the_browser_keeps_the_old_booking(clients, desk):
    client = clients[Role.BUSINESS_SUPPORT]
    pk = desk["conference"].pk
    with time_machine.travel(TODAY, tick=False):
        answer = client.post(
            f"/conferences/{pk}/rearrange/",
            {
                "reason": "venue_unavailable",
                "note": "",
                "date_day": "28",
                "date_month": "1",
                "date_year": "2027",
                "time": "10:00",
                "venue": str(desk["venue"].pk),
                "chair": str(desk["iro"].pk),
                "minute_taker": "",
            },
        )
    new = Conference.objects.get(status=Conference.Status.BOOKED)
    assert answer.url == f"/conferences/{new.pk}/"
    assert Conference.objects.get(pk=pk).get_status_display() == "Rearranged"


def test_the_last_chair_comes_first_with_each_chairs_caseload_and_bookings(clients, world, desk):
    from tests.factories import ConferenceChildFactory, ConferenceFactory

    held = ConferenceFactory(household=world.child.household, chair=desk["other_iro"])
    ConferenceChildFactory(conference=held, child=world.child)
    form = clients[Role.BUSINESS_SUPPORT].get(
        f"/conferences/book/{world.child.household.pk}/review/"
    )
    chairs = list(form.context["form"].fields["chair"].queryset)
    assert chairs[0] == desk["other_iro"]
    page = form.content.decode()
    # Robin, on a plan, was last considered at a conference Sam chaired: Sam's caseload.
    assert "Chaired this family&#x27;s last conference. Caseload 1 child on plans" in page
    assert "1 conference booked in the next 4 weeks" in page  # Jo Chair's review


def test_changing_an_answer_from_check_your_answers_keeps_the_others(clients, world, desk):
    client = clients[Role.BUSINESS_SUPPORT]
    url = f"/conferences/book/{world.child.household.pk}/transfer_in/"
    client.post(url, _book_form(desk, world, time="15:30"))
    form = client.get(url).context["form"]
    assert form["time"].value() == "15:30"
    assert form["chair"].value() == str(desk["other_iro"].pk)


def _urls(world, desk):
    """Every page of the booking desk (GET), with who may open it."""
    from conferences.services import meetings

    with time_machine.travel(TODAY, tick=False):
        meeting = meetings.strategy_meeting_book(
            by=desk["by"],
            kind="child_protection",
            district=world.north,
            starts_at=at(dt.date(2027, 1, 6), 14),
            children=[world.child],
            chair=desk["iro"],
            is_virtual=True,
            meeting_link="https://meet.example/1",
            now=TODAY,
        )
        enquiry = meetings.s47_enquiry_record(
            by=desk["by"],
            child=world.child,
            strategy_discussion_on=dt.date(2027, 1, 4),
            started_on=dt.date(2027, 1, 4),
            today=TODAY.date(),
        )
    household, child, pk = world.child.household.pk, world.child.pk, desk["conference"].pk
    everyone, bookers = set(READERS), set(BOOKERS)
    # (url, roles that may open it, whether it is one of the north district's records)
    return [
        ("/conferences/to-book/", everyone, False),
        ("/conferences/diary/", everyone, False),
        ("/conferences/my-work/", everyone, False),
        (f"/conferences/{pk}/", everyone, True),
        (f"/conferences/strategy-meetings/{meeting.pk}/", everyone, True),
        (f"/conferences/book/{household}/review/", bookers, True),
        (f"/conferences/{pk}/rearrange/", bookers, True),
        (f"/conferences/{pk}/cancel/", bookers, True),
        (f"/conferences/strategy-meetings/book/{household}/", bookers, True),
        (f"/conferences/strategy-meetings/{meeting.pk}/cancel/", bookers, True),
        (f"/conferences/enquiries/new/{child}/", bookers, True),
        (f"/conferences/enquiries/{enquiry.pk}/outcome/", bookers, True),
        (f"/conferences/transfers-in/new/{child}/", bookers, True),
    ]


@pytest.mark.parametrize("role", [*READERS, "other_district_manager"])
def test_every_page_answers_each_role_as_its_access_says(clients, world, desk, role):
    """Readers read; only bookers open the pages that book (403 for the rest); the other
    district's manager opens their own lists, and the north district's records are not found
    to them (404: their existence is not told)."""
    for url, allowed, north_record in _urls(world, desk):
        status = clients[role].get(url).status_code
        if role == "other_district_manager":
            expected = 403 if allowed == set(BOOKERS) else (404 if north_record else 200)
        else:
            expected = 200 if role in allowed else 403
        assert status == expected, (url, role)


def test_the_chair_proposes_a_date_and_business_support_see_it_on_the_list(clients, world, desk):
    pk = desk["conference"].pk
    # Only the chair (or the Senior IRO) may; another IRO is refused.
    assert clients[Role.IRO].get(f"/conferences/{pk}/propose/").status_code == 403
    chair = client_for(desk["iro"])
    answer = chair.post(
        f"/conferences/{pk}/propose/",
        {
            "date_day": "29",
            "date_month": "1",
            "date_year": "2027",
            "time": "10:00",
            "note": "In court",
        },
    )
    assert answer.url == f"/conferences/{pk}/"
    listed = clients[Role.BUSINESS_SUPPORT].get("/conferences/to-book/").content.decode()
    assert "Jo Chair proposes Friday 29 January 2027, 10:00 instead of 27 January" in listed
    refused = chair.post(
        f"/conferences/{pk}/propose/",
        {"date_day": "1", "date_month": "1", "date_year": "2027", "time": "10:00"},
    )
    assert "The date and time must be in the future" in refused.content.decode()
