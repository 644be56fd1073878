"""The list to book: an adjourned conference is listed to reconvene until a conference is
booked to reconvene it, and a child with a booked review is not listed for one."""

import datetime as dt

import pytest

from conferences.models import Conference
from conferences.selectors import ToBookList
from people.models import Role

from ..factories import (
    LONDON,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _counts() -> dict:
    return ToBookList(user=UserFactory(role=Role.BUSINESS_SUPPORT), today=TODAY).counts


def _adjourned(on: dt.date) -> Conference:
    child = ChildFactory()
    conference = ConferenceFactory(
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.ADJOURNED,
        household=child.household,
        scheduled_for=dt.datetime.combine(on, dt.time(10), tzinfo=LONDON),
        reconvene_by=on + dt.timedelta(days=28),
        adjournment_reason=Conference.AdjournmentReason.values[0],
    )
    ConferenceChildFactory(conference=conference, child=child)
    return conference


def test_an_adjourned_conference_leaves_the_list_once_it_is_rearranged():
    first, second = _adjourned(dt.date(2026, 11, 20)), _adjourned(dt.date(2026, 11, 24))
    assert _counts()["reconvene"] == 2

    ConferenceFactory(
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
        household=first.household,
        scheduled_for=dt.datetime(2026, 12, 10, 10, tzinfo=LONDON),
        rearranged_from=first,
    )

    assert _counts()["reconvene"] == 1
    listed = ToBookList(user=UserFactory(role=Role.BUSINESS_SUPPORT), today=TODAY)[0:10]
    assert [row.household for row in listed if row.kind == "reconvene"] == [second.household]


def test_a_child_with_a_booked_review_is_not_listed_for_one():
    due, booked = ChildFactory(), ChildFactory()
    for child in (due, booked):
        PlanFactory(
            child=child, start_date=dt.date(2026, 9, 1), next_review_due_by=dt.date(2026, 12, 1)
        )
    assert _counts()["review"] == 2

    review = ConferenceFactory(
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
        household=booked.household,
        scheduled_for=dt.datetime(2026, 11, 30, 10, tzinfo=LONDON),
    )
    ConferenceChildFactory(conference=review, child=booked)

    assert _counts()["review"] == 1
