"""The world the strategy-holding tests share (no tests here): a child protection strategy
meeting about the north household's two children, booked for today at 10:00 and chaired by
the IRO persona; another IRO who does not chair it; and two decisions not to convene after
significant harm, one in each district. Built through the services."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conferences.models import S47Enquiry, StrategyMeeting
from conferences.services import meetings
from people.models import Role

from ..factories import UserFactory

# What `from .test_strategy_holding_world import *` gives a test module: its fixtures.
__all__ = ["clock", "strategy"]

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2027, 1, 6, 15, 0, tzinfo=LONDON)  # a Wednesday afternoon
TODAY = NOW.date()
BOOKED_AT = dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)
MEETING_AT = dt.datetime(2027, 1, 6, 10, 0, tzinfo=LONDON)
CONFERENCE_TARGET = dt.date(2027, 1, 27)  # the 15th working day after 6 January 2027


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def book_meeting(world, *, starts_at=MEETING_AT, chair=None, children=None, now=BOOKED_AT):
    return meetings.strategy_meeting_book(
        by=world.users[Role.BUSINESS_SUPPORT],
        kind=StrategyMeeting.Kind.CHILD_PROTECTION,
        district=world.north,
        starts_at=starts_at,
        children=children or [world.child, world.sibling],
        chair=chair or world.users[Role.IRO],
        now=now,
        is_virtual=True,
        meeting_link="https://meet.example/strategy",
    )


def no_conference_decision(world, child, *, discussion=dt.date(2026, 12, 1), decided=None):
    support = world.users[Role.BUSINESS_SUPPORT]
    enquiry = meetings.s47_enquiry_record(
        by=support,
        child=child,
        strategy_discussion_on=discussion,
        started_on=discussion,
        today=TODAY,
    )
    return meetings.s47_enquiry_decide(
        enquiry=enquiry,
        outcome=S47Enquiry.Outcome.NO_CONFERENCE_HARM,
        decided_on=decided or discussion + dt.timedelta(days=14),
        today=TODAY,
        by=support,
    )


@pytest.fixture
def strategy(world, clock):
    """The meeting, the other IRO, and the two decisions not to convene."""
    meeting = book_meeting(world)
    other_iro = UserFactory(username="iro_other", role=Role.IRO, first_name="Alex")
    north = no_conference_decision(world, world.child)
    south = no_conference_decision(
        world, world.south_child, discussion=dt.date(2026, 11, 2), decided=dt.date(2026, 11, 20)
    )
    return {"meeting": meeting, "other_iro": other_iro, "north": north, "south": south}


def register(*rows) -> list[dict]:
    """A register: (name, agency, status) rows, or the usual three when none are given."""
    rows = rows or (
        ("Jo Chair", "social_care", "attended"),
        ("PC Dale Moss", "police", "remote"),
        ("Dr Ann Lee", "gp", "apologies"),
    )
    return [{"name": n, "agency": a, "role": "", "status": s} for n, a, s in rows]


def hold_input(world, **changes) -> dict:
    values = {
        "attendance": register(),
        "decisions": "Section 47 enquiry for Robin. Sky: no further action.",
        "follow_up_on": dt.date(2027, 1, 20),
        "enquiries": [
            {"child": world.child, "decision": "start_enquiry"},
            {"child": world.sibling, "decision": "no_further_action"},
        ],
    }
    return {**values, **changes}
