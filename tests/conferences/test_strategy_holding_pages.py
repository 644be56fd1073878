"""The pages: the chair records a strategy meeting as held through check your answers, and
IROs quality-assure decisions not to convene. Each role against each page."""

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from conferences import selectors_strategy
from conferences.models import S47Enquiry, StrategyMeeting, StrategyMeetingAttendance
from conferences.services import meetings, strategy_holding
from conferences.views.strategy_holding import may_hold
from people.models import Role

from ..fixtures import client_for
from .test_strategy_holding_world import *  # noqa: F403 - its fixtures: clock, strategy
from .test_strategy_holding_world import (
    LONDON,
    NOW,
    book_meeting,
    hold_input,
    no_conference_decision,
)

pytestmark = pytest.mark.django_db

READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
NOT_HOLDERS = [Role.BUSINESS_SUPPORT, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
NOT_REVIEWERS = NOT_HOLDERS


@pytest.fixture
def signed_in(clients, world, clock):
    """The personas' clients, signed in on the test's day (sessions last 8 hours)."""
    for key, client in clients.items():
        client.force_login(world.users[key])
    return clients


def hold_url(meeting) -> str:
    return f"/conferences/strategy-meetings/{meeting.pk}/hold/"


def form_data(world, *, rows=None, **changes) -> dict:
    rows = (
        rows
        if rows is not None
        else [
            ("Jo Chair", "social_care", "Chair (IRO)", "attended"),
            ("PC Dale Moss", "police", "Detective constable", "remote"),
            ("", "", "", ""),
        ]
    )
    data = {
        "attendance-TOTAL_FORMS": str(len(rows)),
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "40",
        "decisions": "Robin: section 47 enquiry. Sky: no further action.",
        "follow_up_on_day": "20",
        "follow_up_on_month": "1",
        "follow_up_on_year": "2027",
        f"child_{world.child.pk}": "start_enquiry",
        f"child_{world.sibling.pk}": "no_further_action",
        "continue": "1",
    }
    for index, (name, agency, role, status) in enumerate(rows):
        data |= {
            f"attendance-{index}-name": name,
            f"attendance-{index}-agency": agency,
            f"attendance-{index}-role": role,
            f"attendance-{index}-status": status,
        }
    return {**data, **changes}


def nothing_held(meeting) -> bool:
    meeting.refresh_from_db()
    return (
        meeting.status == StrategyMeeting.Status.BOOKED
        and not StrategyMeetingAttendance.objects.exists()
        and not S47Enquiry.objects.filter(strategy_meeting=meeting).exists()
    )


# -- who may open the hold pages --------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.IRO, Role.SENIOR_IRO])
def test_the_chair_and_the_senior_iro_open_the_hold_form(signed_in, world, strategy, role):
    page = signed_in[role].get(hold_url(strategy["meeting"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Record the strategy meeting as held" in text
    assert f'value="{world.users[Role.IRO].display_name}"' in text  # the chair's row, filled in
    assert "Robin Ashdown" in text and "Sky Ashdown" in text
    assert "due by 27 January 2027" in text


@pytest.mark.parametrize("role", NOT_HOLDERS)
def test_other_roles_are_refused_every_hold_page(signed_in, world, strategy, role):
    meeting = strategy["meeting"]
    client = signed_in[role]
    assert client.get(hold_url(meeting)).status_code == 403
    assert client.post(hold_url(meeting), form_data(world)).status_code == 403
    assert client.get(hold_url(meeting) + "check/").status_code == 403
    assert client.post(hold_url(meeting) + "check/").status_code == 403
    assert nothing_held(meeting)


def test_an_iro_who_does_not_chair_the_meeting_is_refused(world, strategy, clock):
    client = client_for(strategy["other_iro"])
    meeting = strategy["meeting"]
    assert client.get(hold_url(meeting)).status_code == 403
    assert client.post(hold_url(meeting), form_data(world)).status_code == 403
    assert client.post(hold_url(meeting) + "check/").status_code == 403
    assert nothing_held(meeting)


def test_another_districts_manager_does_not_find_the_meeting(signed_in, world, strategy):
    client = signed_in["other_district_manager"]
    meeting = strategy["meeting"]
    assert client.get(hold_url(meeting)).status_code == 404
    assert client.post(hold_url(meeting) + "check/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(strategy, client):
    answer = client.get(hold_url(strategy["meeting"]))
    assert answer.status_code == 302 and answer.url.startswith("/sign-in/")


# -- the flow ---------------------------------------------------------------------------------


def test_the_chair_records_the_meeting_through_check_your_answers(signed_in, world, strategy):
    client = signed_in[Role.IRO]
    meeting = strategy["meeting"]

    answer = client.post(hold_url(meeting), form_data(world))
    assert answer.status_code == 302 and answer.url == hold_url(meeting) + "check/"
    check = client.get(answer.url).content.decode()
    assert "Check before you record the meeting as held" in check
    assert "PC Dale Moss" in check and "Police, Detective constable" in check
    assert "Remotely" in check and "20 January 2027" in check
    assert "Start a section 47 enquiry" in check and "No further action under section 47" in check
    assert "due by 27 January 2027" in check
    assert nothing_held(meeting)  # nothing is saved before the confirmation

    done = client.post(answer.url)

    assert done.status_code == 302 and done.url == f"/conferences/strategy-meetings/{meeting.pk}/"
    meeting.refresh_from_db()
    assert meeting.status == StrategyMeeting.Status.HELD
    assert meeting.held_recorded_by == world.users[Role.IRO]
    assert list(meeting.attendance.order_by("pk").values_list("name", "role", "status")) == [
        ("Jo Chair", "Chair (IRO)", "attended"),
        ("PC Dale Moss", "Detective constable", "remote"),
    ]
    enquiry = S47Enquiry.objects.get(strategy_meeting=meeting)
    assert enquiry.child == world.child and enquiry.initial_conference_due_by == dt.date(
        2027, 1, 27
    )
    detail = client.get(done.url).content.decode()
    assert "recorded as held, and 1 section 47 enquiry started" in detail
    assert "PC Dale Moss" in detail and "Robin: section 47 enquiry." in detail
    assert "20 January 2027" in detail
    assert "Section 47 enquiry started 6 January 2027" in detail
    # Held is final: the pages now send the chair back to the meeting.
    again = client.get(hold_url(meeting))
    assert again.status_code == 302 and again.url == done.url
    assert client.post(hold_url(meeting) + "check/").status_code == 302
    assert StrategyMeetingAttendance.objects.count() == 2


def test_changing_an_answer_from_check_your_answers_keeps_what_was_given(
    signed_in, world, strategy
):
    client = signed_in[Role.SENIOR_IRO]
    meeting = strategy["meeting"]
    client.post(hold_url(meeting), form_data(world))
    back = client.get(hold_url(meeting)).content.decode()
    assert "PC Dale Moss" in back and "Robin: section 47 enquiry." in back


def test_add_another_person_shows_one_more_row_without_errors_or_saving(signed_in, world, strategy):
    client = signed_in[Role.IRO]
    meeting = strategy["meeting"]
    data = form_data(world, decisions="")
    del data["continue"]
    data["add_row"] = "1"

    page = client.post(hold_url(meeting), data)

    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="attendance-3-name"' in text and 'name="attendance-4-name"' not in text
    assert "There is a problem" not in text
    assert "PC Dale Moss" in text  # what was typed is kept
    assert nothing_held(meeting)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decisions": ""}, "Enter what the meeting decided"),
        ({"attendance-1-name": ""}, "Enter the name of person 2"),
        ({"attendance-1-status": ""}, "Choose how person 2 took part"),
        (
            {"attendance-0-status": "apologies", "attendance-1-status": "did_not_attend"},
            "Add at least one person who took part, in person or remotely.",
        ),
        ({"follow_up_on_day": "5"}, "The follow-up date cannot be before the meeting."),
        ({"follow_up_on_month": "13"}, "Follow-up date must be a real date"),
        ("SKY", "Choose what happens next for Sky Ashdown"),
    ],
)
def test_bad_answers_are_shown_on_the_form_and_nothing_is_saved(
    signed_in, world, strategy, changes, message
):
    client = signed_in[Role.IRO]
    meeting = strategy["meeting"]
    data = form_data(world)
    if changes == "SKY":
        del data[f"child_{world.sibling.pk}"]
    else:
        data |= changes

    page = client.post(hold_url(meeting), data)

    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and message in text
    assert "<title>Error:" in text
    assert nothing_held(meeting)
    assert client.get(hold_url(meeting) + "check/").url == hold_url(meeting)


def test_check_your_answers_without_answers_goes_back_to_the_form(signed_in, strategy):
    meeting = strategy["meeting"]
    answer = signed_in[Role.IRO].get(hold_url(meeting) + "check/")
    assert answer.status_code == 302 and answer.url == hold_url(meeting)
    assert signed_in[Role.IRO].post(hold_url(meeting) + "check/").url == hold_url(meeting)
    assert nothing_held(meeting)


def test_held_by_someone_else_meanwhile_is_told_on_check_your_answers(signed_in, world, strategy):
    """The chair is at check your answers when the Senior IRO records the same meeting."""
    client = signed_in[Role.IRO]
    meeting = strategy["meeting"]
    client.post(hold_url(meeting), form_data(world))
    senior = signed_in[Role.SENIOR_IRO]
    senior.post(hold_url(meeting), form_data(world))
    assert senior.post(hold_url(meeting) + "check/").status_code == 302

    late = client.post(hold_url(meeting) + "check/")

    assert late.status_code == 302  # the meeting is no longer booked: back to it, told why
    page = client.get(late.url).content.decode()
    assert "This strategy meeting is not booked, so it cannot be held." in page
    assert StrategyMeetingAttendance.objects.count() == 2
    assert S47Enquiry.objects.filter(strategy_meeting=meeting).count() == 1


def test_a_future_meeting_cannot_be_held_yet(signed_in, world, strategy):
    future = book_meeting(
        world,
        starts_at=dt.datetime(2027, 1, 8, 10, 0, tzinfo=LONDON),
        children=[world.child],
    )
    client = signed_in[Role.IRO]
    answer = client.get(hold_url(future))
    assert answer.status_code == 302
    page = client.get(answer.url).content.decode()
    assert "The meeting is on 8 January 2027: record it as held on that day or after." in page
    assert not may_hold(world.users[Role.IRO], future)
    assert may_hold(world.users[Role.IRO], strategy["meeting"])


def test_the_meeting_page_offers_the_hold_link_to_those_who_may_hold(world, strategy):
    meeting = strategy["meeting"]
    request = RequestFactory().get("/")
    request.user = world.users[Role.IRO]
    context = {
        "meeting": meeting,
        "children": meeting.children.all(),
        "enquiries": meeting.enquiries.all(),
        "can_book": False,
    }
    offered = render_to_string(
        "conferences/strategy_meeting_detail.html", {**context, "can_hold": True}, request
    )
    assert "Record the meeting as held" in offered and hold_url(meeting) in offered
    not_offered = render_to_string(
        "conferences/strategy_meeting_detail.html", {**context, "can_hold": False}, request
    )
    assert "Record the meeting as held" not in not_offered


def test_a_held_meeting_page_shows_each_childs_next_step(world, strategy):
    meeting = strategy_holding.strategy_meeting_hold(
        meeting=strategy["meeting"], by=world.users[Role.IRO], now=NOW, **hold_input(world)
    )
    request = RequestFactory().get("/")
    request.user = world.users[Role.AUDITOR]
    page = render_to_string(
        "conferences/strategy_meeting_detail.html",
        {
            "meeting": meeting,
            "children": meeting.children.all(),
            "enquiries": meeting.enquiries.all(),
            "next_steps": selectors_strategy.strategy_meeting_next_steps(meeting),
        },
        request,
    )
    assert "Section 47 enquiry started 6 January 2027" in page
    assert "No further action under section 47" in page
    assert "Dr Ann Lee" in page and "Sent apologies" in page


# -- decisions not to convene ------------------------------------------------------------------

LIST = "/conferences/no-conference-decisions/"


def review_url(enquiry) -> str:
    return f"{LIST}{enquiry.pk}/review/"


@pytest.mark.parametrize("role", READERS)
def test_every_role_that_reads_conferences_sees_the_list(signed_in, world, strategy, role):
    page = signed_in[role].get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Robin Ashdown" in text
    reviews = role in (Role.IRO, Role.SENIOR_IRO)
    assert (review_url(strategy["north"]) in text) is reviews
    assert ("IROs and the Senior IRO quality-assure the decisions" in text) is not reviews
    if role == Role.DISTRICT_MANAGER:
        assert "Ellis Brackwater" not in text
    else:
        assert "Ellis Brackwater" in text
        assert text.index("Ellis Brackwater") < text.index("Robin Ashdown")  # oldest first


def test_another_districts_manager_sees_only_their_districts_decisions(signed_in, strategy):
    text = signed_in["other_district_manager"].get(LIST).content.decode()
    assert "Ellis Brackwater" in text and "Robin Ashdown" not in text


@pytest.mark.parametrize("role", [Role.IRO, Role.SENIOR_IRO])
def test_an_iro_agrees_with_a_decision_and_it_leaves_the_list(signed_in, world, strategy, role):
    client = signed_in[role]
    enquiry = strategy["north"]
    form = client.get(review_url(enquiry))
    assert form.status_code == 200
    assert "Quality-assure the decision not to convene" in form.content.decode()

    done = client.post(review_url(enquiry), {"agrees": "yes", "note": "Proportionate decision."})

    assert done.status_code == 302 and done.url == LIST
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by == world.users[role]
    assert enquiry.no_conference_review_note.endswith("Proportionate decision.")
    listing = client.get(LIST).content.decode()
    assert "Your review of the decision has been saved." in listing
    assert "Robin Ashdown" not in listing
    assert "already been quality-assured" in client.get(review_url(enquiry)).content.decode()


def test_a_disagreement_is_saved_and_says_to_raise_an_escalation(signed_in, world, strategy):
    client = signed_in[Role.IRO]
    done = client.post(
        review_url(strategy["south"]), {"agrees": "no", "note": "A conference was needed."}
    )
    assert done.status_code == 302
    assert "raise an escalation" in client.get(LIST).content.decode()
    strategy["south"].refresh_from_db()
    assert strategy_holding.review_agreed(strategy["south"]) is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"agrees": "yes", "note": ""}, "Enter your note on the decision"),
        ({"note": "Looked at it."}, "Say whether you agree with the decision"),
    ],
)
def test_a_review_missing_an_answer_is_shown_and_nothing_saved(signed_in, strategy, data, message):
    enquiry = strategy["north"]
    page = signed_in[Role.IRO].post(review_url(enquiry), data)
    assert page.status_code == 200 and message in page.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by is None
    assert enquiry.history.count() == 2


def test_a_second_review_is_refused_with_the_reason(signed_in, world, strategy):
    enquiry = strategy["north"]
    strategy_holding.no_conference_review(
        enquiry=enquiry, note="Agreed.", agrees=True, by=world.users[Role.SENIOR_IRO]
    )
    page = signed_in[Role.IRO].post(review_url(enquiry), {"agrees": "no", "note": "Late."})
    assert page.status_code == 200
    assert "This decision has already been quality-assured." in page.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by == world.users[Role.SENIOR_IRO]


@pytest.mark.parametrize("role", NOT_REVIEWERS)
def test_other_roles_are_refused_the_review(signed_in, strategy, role):
    enquiry = strategy["north"]
    client = signed_in[role]
    assert client.get(review_url(enquiry)).status_code == 403
    assert client.post(review_url(enquiry), {"agrees": "yes", "note": "x"}).status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by is None


def test_a_review_of_a_record_out_of_sight_or_of_another_kind_is_not_found(
    signed_in, world, strategy
):
    outsider = signed_in["other_district_manager"]
    assert outsider.get(review_url(strategy["north"])).status_code == 404
    ongoing = meetings.s47_enquiry_record(
        by=world.users[Role.BUSINESS_SUPPORT],
        child=world.sibling,
        strategy_discussion_on=dt.date(2027, 1, 4),
        started_on=dt.date(2027, 1, 4),
        today=dt.date(2027, 1, 6),
    )
    assert signed_in[Role.IRO].get(review_url(ongoing)).status_code == 404
    assert signed_in[Role.IRO].get(f"{LIST}999999/review/").status_code == 404


def test_the_my_work_partial_counts_and_links(world, strategy):
    listed = list(selectors_strategy.no_conference_decisions_to_review(world.users[Role.IRO]))
    html = render_to_string(
        "conferences/strategy/_to_review.html", {"no_conference_to_review": listed}
    )
    assert ">2</strong> to quality-assure" in html and LIST in html
    empty = render_to_string(
        "conferences/strategy/_to_review.html", {"no_conference_to_review": []}
    )
    assert "None to quality-assure" in empty


def test_the_meeting_page_opens_for_every_reader_before_and_after_holding(
    signed_in, world, strategy
):
    meeting = strategy["meeting"]
    url = f"/conferences/strategy-meetings/{meeting.pk}/"
    for role in READERS:
        assert signed_in[role].get(url).status_code == 200, role
    strategy_holding.strategy_meeting_hold(
        meeting=meeting, by=world.users[Role.IRO], now=NOW, **hold_input(world)
    )
    for role in READERS:
        page = signed_in[role].get(url)
        assert page.status_code == 200, role
        assert "Who took part" in page.content.decode()
    assert "Cancel the meeting" not in signed_in[Role.BUSINESS_SUPPORT].get(url).content.decode()


def test_the_list_page_reads_a_fixed_number_of_queries(signed_in, world, strategy):
    client = signed_in[Role.SENIOR_IRO]
    with CaptureQueriesContext(connection) as two:
        client.get(LIST)
    for _ in range(4):
        no_conference_decision(world, world.sibling)
    with CaptureQueriesContext(connection) as six:
        page = client.get(LIST)
    assert page.content.decode().count("Quality-assure<span") == 6
    assert len(six) == len(two)


def test_meetings_whose_day_has_come_are_listed_to_record_until_held(world, strategy):
    meeting = strategy["meeting"]
    book_meeting(  # tomorrow's: not yet
        world,
        starts_at=dt.datetime(2027, 1, 7, 10, 0, tzinfo=LONDON),
        children=[world.child],
    )
    others = book_meeting(
        world,
        starts_at=dt.datetime(2027, 1, 5, 10, 0, tzinfo=LONDON),
        children=[world.child],
        chair=strategy["other_iro"],
    )
    today = NOW.date()
    iro, senior = world.users[Role.IRO], world.users[Role.SENIOR_IRO]
    assert list(selectors_strategy.strategy_meetings_to_record(iro, today=today)) == [meeting]
    assert list(selectors_strategy.strategy_meetings_to_record(senior, today=today)) == [
        others,
        meeting,
    ]
    for other in [*NOT_HOLDERS, "other_district_manager"]:
        to_record = selectors_strategy.strategy_meetings_to_record(world.users[other], today=today)
        assert not to_record.exists(), other
    html = render_to_string(
        "conferences/strategy/_to_record.html",
        {"strategy_meetings_to_record": [meeting]},
    )
    assert hold_url(meeting) in html and "6 January 2027, 10:00" in html
    strategy_holding.strategy_meeting_hold(meeting=meeting, by=iro, now=NOW, **hold_input(world))
    assert not selectors_strategy.strategy_meetings_to_record(iro, today=today).exists()
    assert "None to record" in render_to_string(
        "conferences/strategy/_to_record.html", {"strategy_meetings_to_record": []}
    )
