"""Holding costs a fixed number of queries for the conference, and a fixed number more per
child: never a query per record of the authority (make bench times it at scale)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.services import holding
from devdata.bench.holding import decisions_for, household_to_hold
from people.models import Role
from tests.factories import LONDON, DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db


def _queries_to_hold(children: int, tag: str, chair, district) -> int:
    to_hold = household_to_hold(
        chair=chair, district=district, children=children, on=dt.date(2026, 12, 1), tag=tag
    )
    decisions = decisions_for(to_hold)
    with CaptureQueriesContext(connection) as queries:
        holding.conference_hold(
            conference=to_hold.conference,
            version=to_hold.conference.version,
            decisions=decisions,
            by=chair,
        )
    return len(queries)


def test_holding_a_household_of_six_is_the_same_per_child_cost_as_one_of_three():
    chair = UserFactory(username="chair", role=Role.IRO)
    district = DistrictFactory(name="North")
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=LONDON), tick=False):
        two = _queries_to_hold(2, "a", chair, district)
        three = _queries_to_hold(3, "b", chair, district)
        six = _queries_to_hold(6, "c", chair, district)
    per_child = three - two
    # Linear in the household, whatever the size of the authority: the conference's own
    # queries (lock, register, quorum, save, and storing its children's plans' reviews and
    # places at held conferences once it is held: plans/reviews.py, conferences/held.py)
    # plus each child's decision, plan and targets.
    assert six == three + 3 * per_child
    assert per_child <= 20 and six - 6 * per_child <= 41
