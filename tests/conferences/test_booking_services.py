"""Booking, rearranging and cancelling conferences, and what each refuses (workflows.md)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conferences import rules
from conferences.models import Conference, ConferenceChild, S47Enquiry
from conferences.services import booking, meetings

from .booking_world import TODAY, at, booking_world, review_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    with time_machine.travel(TODAY, tick=False):
        yield booking_world(world)


def test_booking_a_review_stores_every_due_date(world, people, settings):
    starts = at(dt.date(2027, 1, 27))
    conference = booking.conference_book(
        request=review_request(world, people, starts_at=starts), by=people["by"], now=TODAY
    )
    expected = rules.booking_dates(
        starts_at=starts,
        held_on=starts.date(),
        booked_on=TODAY.date(),
        is_review=True,
        timescales=settings.IRO_TIMESCALES,
    )
    conference.refresh_from_db()
    assert conference.status == Conference.Status.BOOKED
    assert conference.due_by == dt.date(2027, 2, 2)  # 3 months after 2 November 2026
    assert conference.ends_at == expected.ends_at
    assert conference.invitations_due_by == expected.invitations_due_by
    assert conference.reports_requested_by == TODAY.date()  # 6 weeks before is already past
    assert conference.reports_due_by == expected.reports_due_by
    assert conference.report_share_due_by == starts - dt.timedelta(hours=48)
    assert conference.booked_by == people["by"]
    considered = ConferenceChild.objects.filter(conference=conference)
    assert {row.child for row in considered} == {world.child, world.sibling}
    assert {row.review_due_on for row in considered} == {dt.date(2027, 2, 2)}
    assert conference.history.first().history_user == people["by"]


def test_a_child_left_out_needs_a_reason_and_is_recorded(world, people):
    request = review_request(
        world,
        people,
        starts_at=at(dt.date(2027, 1, 27)),
        children=(world.child,),
        left_out={world.sibling.pk: " "},
    )
    with pytest.raises(ValidationError) as refused:
        booking.conference_book(request=request, by=people["by"], now=TODAY)
    assert "left_out_reason" in refused.value.message_dict
    request = review_request(
        world,
        people,
        starts_at=at(dt.date(2027, 1, 27)),
        children=(world.child,),
        left_out={world.sibling.pk: "Moved to live with her father"},
    )
    conference = booking.conference_book(request=request, by=people["by"], now=TODAY)
    assert [e.reason for e in conference.excluded_children.all()] == [
        "Moved to live with her father"
    ]
    assert conference.child_outcomes.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_at": at(dt.date(2027, 1, 1))}, "starts_at", "must be in the future"),
        (
            {"starts_at": at(dt.date(2027, 2, 10))},
            "delay_reason",
            "It must be held by 2 February 2027",
        ),
        ({"venue": None}, "venue", "Choose a venue, or say it is held online"),
        ({"chair": None}, "chair", "Choose who will chair"),
        ({"children": ()}, "children", "Choose at least one child"),
    ],
)
def test_a_refused_booking_says_why_and_saves_nothing(world, people, changes, field, message):
    request = review_request(world, people, **{"starts_at": at(dt.date(2027, 1, 27)), **changes})
    with pytest.raises(ValidationError) as refused:
        booking.conference_book(request=request, by=people["by"], now=TODAY)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not Conference.objects.exists()


def test_a_late_booking_with_a_reason_is_accepted_and_keeps_it(world, people):
    request = review_request(
        world, people, starts_at=at(dt.date(2027, 2, 10)), delay_reason="chair_unavailable"
    )
    conference = booking.conference_book(request=request, by=people["by"], now=TODAY)
    assert conference.delay_reason == "chair_unavailable"


@pytest.mark.parametrize(
    ("who", "field"),
    [("chair", "chair"), ("minute_taker", "minute_taker"), ("venue", "venue")],
)
def test_double_bookings_are_refused(world, people, who, field):
    first = review_request(world, people, starts_at=at(dt.date(2027, 1, 27), 10))
    booking.conference_book(request=first, by=people["by"], now=TODAY)
    other_household = {"household": world.south_child.household, "children": (world.south_child,)}
    # An hour later overlaps a 2-hour booking; each case shares only one of chair, taker, room.
    shared = {
        "chair": {"venue": people["big"], "minute_taker": None},
        "minute_taker": {"chair": people["other_iro"], "venue": people["big"]},
        "venue": {"chair": people["other_iro"], "minute_taker": None},
    }[who]
    second = review_request(
        world, people, starts_at=at(dt.date(2027, 1, 27), 11), **other_household, **shared
    )
    second = booking.BookingRequest(**{**second.__dict__, "kind": "transfer_in"})
    with pytest.raises(ValidationError) as refused:
        booking.conference_book(request=second, by=people["by"], now=TODAY)
    assert list(refused.value.message_dict) == [field]
    assert Conference.objects.count() == 1


def test_back_to_back_bookings_and_a_second_room_are_allowed(world, people):
    booking.conference_book(
        request=review_request(
            world, people, starts_at=at(dt.date(2027, 1, 27), 10), venue=people["big"]
        ),
        by=people["by"],
        now=TODAY,
    )
    south = {"household": world.south_child.household, "children": (world.south_child,)}
    after = review_request(world, people, starts_at=at(dt.date(2027, 1, 27), 12), **south)
    booking.conference_book(
        request=booking.BookingRequest(**{**after.__dict__, "kind": "transfer_in"}),
        by=people["by"],
        now=TODAY,
    )
    same_time = review_request(
        world,
        people,
        starts_at=at(dt.date(2027, 1, 27), 10),
        venue=people["big"],
        chair=people["other_iro"],
        minute_taker=None,
        children=(world.child,),
        left_out={world.sibling.pk: "Lives with her grandmother now"},
    )
    booking.conference_book(
        request=booking.BookingRequest(**{**same_time.__dict__, "kind": "transfer_in"}),
        by=people["by"],
        now=TODAY,
    )
    assert Conference.objects.count() == 3


def test_rearranging_keeps_the_old_booking_and_its_reason(world, people):
    old = booking.conference_book(
        request=review_request(world, people, starts_at=at(dt.date(2027, 1, 27))),
        by=people["by"],
        now=TODAY,
    )
    moved = booking.request_from(old, starts_at=at(dt.date(2027, 2, 9)))
    new = booking.conference_rearrange(
        conference=old,
        request=moved,
        reason="chair_unavailable",
        note="Jo is ill",
        by=people["by"],
        now=TODAY,
    )
    old.refresh_from_db()
    assert old.status == Conference.Status.REARRANGED
    assert (old.adjournment_reason, old.adjournment_note) == ("chair_unavailable", "Jo is ill")
    assert new.rearranged_from == old and new.status == Conference.Status.BOOKED
    assert new.due_by == old.due_by == dt.date(2027, 2, 2)
    assert new.delay_reason == "chair_unavailable"  # after its due date: the reason carries
    assert new.child_outcomes.count() == 2
    with pytest.raises(ValidationError, match="rearranged, so it cannot be rearranged"):
        booking.conference_rearrange(
            conference=old, request=moved, reason="other", note="", by=people["by"], now=TODAY
        )


def test_cancelling_keeps_the_booking_and_frees_the_chair(world, people):
    conference = booking.conference_book(
        request=review_request(world, people, starts_at=at(dt.date(2027, 1, 27))),
        by=people["by"],
        now=TODAY,
    )
    with pytest.raises(ValidationError):
        booking.conference_cancel(
            conference=conference, reason="", note="", by=people["by"], now=TODAY
        )
    booking.conference_cancel(
        conference=conference, reason="booked_in_error", note="", by=people["by"], now=TODAY
    )
    conference.refresh_from_db()
    assert conference.status == Conference.Status.CANCELLED
    again = booking.conference_book(
        request=review_request(world, people, starts_at=at(dt.date(2027, 1, 27))),
        by=people["by"],
        now=TODAY,
    )
    assert again.pk != conference.pk


def test_an_initial_conference_is_due_fifteen_working_days_after_the_discussion(world, people):
    child = world.south_child
    enquiry = meetings.s47_enquiry_record(
        by=people["by"],
        child=child,
        strategy_discussion_on=dt.date(2026, 12, 21),
        started_on=dt.date(2026, 12, 21),
        today=TODAY.date(),
    )
    assert enquiry.initial_conference_due_by == dt.date(2027, 1, 14)
    meetings.s47_enquiry_decide(
        enquiry=enquiry,
        outcome=S47Enquiry.Outcome.CONFERENCE,
        decided_on=dt.date(2027, 1, 4),
        today=TODAY.date(),
        by=people["by"],
    )
    request = booking.BookingRequest(
        kind="initial",
        household=child.household,
        starts_at=at(dt.date(2027, 1, 13)),
        children=(child,),
        chair=people["iro"],
        venue=people["venue"],
    )
    conference = booking.conference_book(request=request, by=people["by"], now=TODAY)
    enquiry.refresh_from_db()
    assert conference.due_by == dt.date(2027, 1, 14)
    assert enquiry.initial_conference == conference
    assert conference.invitations_due_by == TODAY.date()


def test_enquiry_dates_are_checked(world, people):
    with pytest.raises(ValidationError) as refused:
        meetings.s47_enquiry_record(
            by=people["by"],
            child=world.child,
            strategy_discussion_on=dt.date(2027, 1, 3),
            started_on=dt.date(2027, 1, 2),
            today=TODAY.date(),
        )
    assert "started_on" in refused.value.message_dict
    assert not S47Enquiry.objects.exists()


def test_strategy_meetings_are_refused_for_the_same_double_bookings(world, people):
    first = meetings.strategy_meeting_book(
        by=people["by"],
        kind="child_protection",
        district=world.north,
        starts_at=at(dt.date(2027, 1, 6), 14),
        children=[world.child],
        chair=people["iro"],
        is_virtual=True,
        now=TODAY,
    )
    assert first.ends_at == at(dt.date(2027, 1, 6), 16)
    with pytest.raises(ValidationError) as refused:
        booking.conference_book(
            request=review_request(world, people, starts_at=at(dt.date(2027, 1, 6), 15)),
            by=people["by"],
            now=TODAY,
        )
    assert "already booked for a strategy meeting" in refused.value.message_dict["chair"][0]


def test_transfer_in_target_is_fifteen_working_days_after_notice(world, people):
    transfer = meetings.transfer_in_record(
        by=people["by"],
        child=world.south_child,
        from_authority="Elsewhere Council",
        notified_on=dt.date(2027, 1, 4),
        today=TODAY.date(),
    )
    assert transfer.conference_due_by == dt.date(2027, 1, 25)


def test_recompute_deadlines_moves_booked_conferences_after_a_setting_changes(
    world, people, settings
):
    from io import StringIO

    from django.core.management import call_command

    conference = booking.conference_book(
        request=review_request(
            world, people, starts_at=at(dt.date(2027, 3, 24)), delay_reason="interpreter"
        ),
        by=people["by"],
        now=TODAY,
    )
    assert conference.invitations_due_by == dt.date(2027, 2, 24)
    settings.IRO_TIMESCALES = {
        **settings.IRO_TIMESCALES,
        "REVIEW_INVITATION_WEEKS": 3,
        "REPORT_SHARED_HOURS_REVIEW": 72,
        "MEETING_LENGTH_MINUTES": 90,
    }
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("recompute_deadlines", stdout=out)
    conference.refresh_from_db()
    assert conference.invitations_due_by == dt.date(2027, 3, 3)
    assert conference.report_share_due_by == at(dt.date(2027, 3, 21))
    assert conference.ends_at == at(dt.date(2027, 3, 24), 11, 30)
    assert "1 conference(s) or transfer(s) in had due dates changed" in out.getvalue()


def test_a_rearrangement_still_on_time_is_not_recorded_as_late(world, people):
    old = booking.conference_book(
        request=review_request(world, people, starts_at=at(dt.date(2027, 1, 27))),
        by=people["by"],
        now=TODAY,
    )
    new = booking.conference_rearrange(
        conference=old,
        request=booking.request_from(old, starts_at=at(dt.date(2027, 1, 28))),
        reason="venue_unavailable",
        note="",
        by=people["by"],
        now=TODAY,
    )
    assert new.delay_reason == "" and new.due_by == dt.date(2027, 2, 2)


def test_a_chair_proposes_a_date_and_the_rearrangement_to_it_accepts_it(world, people):
    from conferences.models import DateProposal
    from conferences.services import proposals

    conference = booking.conference_book(
        request=review_request(world, people, starts_at=at(dt.date(2027, 1, 27))),
        by=people["by"],
        now=TODAY,
    )
    with pytest.raises(ValidationError, match="Only the conference's chair"):
        proposals.date_propose(
            conference=conference,
            by=people["other_iro"],
            starts_at=at(dt.date(2027, 1, 28)),
            note="",
            now=TODAY,
        )
    meetings.strategy_meeting_book(
        by=people["by"],
        kind="child_protection",
        district=world.north,
        starts_at=at(dt.date(2027, 1, 6), 14),
        children=[world.south_child],
        chair=people["iro"],
        is_virtual=True,
        now=TODAY,
    )
    with pytest.raises(ValidationError) as clash:  # the chair's own diary is checked
        proposals.date_propose(
            conference=conference,
            by=people["iro"],
            starts_at=at(dt.date(2027, 1, 6), 14),
            note="",
            now=TODAY,
        )
    assert "already booked for a strategy meeting" in clash.value.message_dict["date"][0]
    proposal = proposals.date_propose(
        conference=conference,
        by=people["iro"],
        starts_at=at(dt.date(2027, 1, 29)),
        note="I am in court on the 27th",
        now=TODAY,
    )
    booking.conference_rearrange(
        conference=conference,
        request=booking.request_from(conference, starts_at=at(dt.date(2027, 1, 29))),
        reason="chair_unavailable",
        note="",
        by=people["by"],
        now=TODAY,
    )
    proposal.refresh_from_db()
    assert proposal.outcome == DateProposal.Outcome.ACCEPTED


@pytest.mark.parametrize(
    ("setting", "value", "field"),
    [
        ("REVIEW_INVITATION_WEEKS", 2, "invitations_due_by"),
        ("REVIEW_REPORT_REQUEST_WEEKS", 3, "reports_requested_by"),
        ("REPORT_CHASE_WORKING_DAYS", 8, "reports_due_by"),
        ("REPORT_SHARED_HOURS_REVIEW", 120, "report_share_due_by"),
        ("MEETING_LENGTH_MINUTES", 90, "ends_at"),
    ],
)
def test_each_booking_date_follows_its_setting(world, people, settings, setting, value, field):
    starts = at(dt.date(2027, 3, 24))
    late = {"delay_reason": "interpreter"}  # after the review due date of 2 February

    def booked():
        conference = booking.conference_book(
            request=review_request(world, people, starts_at=starts, **late),
            by=people["by"],
            now=TODAY,
        )
        booking.conference_cancel(
            conference=conference, reason="booked_in_error", note="", by=people["by"], now=TODAY
        )
        return getattr(conference, field)

    default = booked()
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, setting: value}
    expected = rules.booking_dates(
        starts_at=starts,
        held_on=starts.date(),
        booked_on=TODAY.date(),
        is_review=True,
        timescales=settings.IRO_TIMESCALES,
    )
    changed = booked()
    assert changed == getattr(expected, field) and changed != default


@pytest.mark.parametrize(
    ("setting", "record"),
    [("INITIAL_CONFERENCE_WORKING_DAYS", "enquiry"), ("TRANSFER_IN_WORKING_DAYS", "transfer")],
)
def test_initial_and_transfer_in_targets_follow_their_settings(
    world, people, settings, setting, record
):
    def target():
        if record == "enquiry":
            return meetings.s47_enquiry_record(
                by=people["by"],
                child=world.south_child,
                strategy_discussion_on=dt.date(2027, 1, 4),
                started_on=dt.date(2027, 1, 4),
                today=TODAY.date(),
            ).initial_conference_due_by
        return meetings.transfer_in_record(
            by=people["by"],
            child=world.south_child,
            from_authority="Elsewhere",
            notified_on=dt.date(2027, 1, 4),
            today=TODAY.date(),
        ).conference_due_by

    assert target() == dt.date(2027, 1, 25)  # 15 working days
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, setting: 10}
    assert target() == dt.date(2027, 1, 18)
