"""A household of two children on plans started at an initial conference on Monday 2 March
2026, chaired by the world's IRO, and a child on a plan in the south chaired by another IRO.
Plans started through plans.services, so their core group and visit dates are stored.

Dates (England and Wales bank holidays: Good Friday 3 April, Easter Monday 6 April 2026):
the first core group and the first visit are due 10 working days after 2 March, on Monday
16 March 2026, the tests' "today".
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from conferences.models import Conference
from people.models import Role
from plans.services import plan_start

from ..factories import ConferenceChildFactory, ConferenceFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=LONDON)  # a Monday
TODAY = NOW.date()
STARTED = dt.date(2026, 3, 2)
FIRST_DUE = dt.date(2026, 3, 16)
RECORDERS = [Role.BUSINESS_SUPPORT, Role.IRO, Role.SENIOR_IRO]
READ_ONLY = [Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
EVERY_ROLE = [*RECORDERS, *READ_ONLY]


@dataclass
class Contacts:
    plan: object  # the world's child (north), chaired by the world's IRO
    sibling_plan: object
    south_plan: object  # chaired by another IRO
    other_iro: object


def held_conference(*, household, children, chair, on: dt.date, kind=Conference.Kind.INITIAL):
    conference = ConferenceFactory(
        household=household,
        kind=kind,
        chair=chair,
        scheduled_for=dt.datetime.combine(on, dt.time(10), tzinfo=LONDON),
    )
    for child in children:
        ConferenceChildFactory(conference=conference, child=child)
    return conference


def contacts_world(world) -> Contacts:
    iro = world.users[Role.IRO]
    other_iro = UserFactory(username="iro_sam", first_name="Sam", last_name="Other", role=Role.IRO)
    north = held_conference(
        household=world.child.household,
        children=[world.child, world.sibling],
        chair=iro,
        on=STARTED,
    )
    south = held_conference(
        household=world.south_child.household,
        children=[world.south_child],
        chair=other_iro,
        on=STARTED,
    )
    plans = [
        plan_start(
            child=child, start_date=STARTED, category="NEG", by=iro, initial_conference=conference
        )
        for child, conference in (
            (world.child, north),
            (world.sibling, north),
            (world.south_child, south),
        )
    ]
    return Contacts(*plans, other_iro=other_iro)
