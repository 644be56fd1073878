"""The paperwork not yet sent: the selector behind each work page (paperwork_for), the list
page (late ones first, paginated, the late ones counted, a district manager's district only),
and the partial the work pages include; each in a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import selectors_paperwork as selectors
from conferences.models import Conference
from people.models import Role

from ..factories import ConferenceFactory, HouseholdFactory
from ..fixtures import client_for
from .test_paperwork_world import (
    LONDON,
    NOW,
    hold,
)

pytestmark = pytest.mark.django_db


TODAY = NOW.date()


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)


@pytest.fixture
def desk(held, world):
    """Besides the conference held today (A, the IRO persona's): B, held on 1 February by
    another IRO in the north, its decision sheet signed off and waiting to go (late), its
    minutes not yet signed off (late); C, held on 15 February in the south by the IRO persona,
    nothing signed off (its sheet late, its minutes due 8 March); D, all sent; E, booked."""
    b = hold(
        world,
        chair=held.other_iro,
        taker=None,
        starts=at(dt.date(2027, 2, 1)),
        household=HouseholdFactory(district=world.north),
        decision_sheet_signed_off_at=at(dt.date(2027, 2, 1)),
        decision_sheet_signed_off_by=held.other_iro,
    )
    c = hold(
        world,
        chair=held.chair,
        taker=None,
        starts=at(dt.date(2027, 2, 15)),
        household=world.south_child.household,
    )
    hold(
        world,
        chair=held.chair,
        taker=None,
        starts=at(dt.date(2027, 2, 8)),
        decision_sheet_distributed_at=at(dt.date(2027, 2, 8)),
        minutes_distributed_at=at(dt.date(2027, 2, 20)),
    )
    ConferenceFactory(
        household=world.child.household,
        status=Conference.Status.BOOKED,
        scheduled_for=at(dt.date(2027, 3, 20)),
        chair=held.chair,
    )
    return {"a": held.conference, "b": b, "c": c, "held": held}


def rows_of(section) -> list[tuple]:
    return [(row.conference.pk, row.item, row.late) for row in section["rows"]]


def test_a_chair_has_their_own_to_sign_off_the_late_counted(desk, world):
    a, c = desk["a"], desk["c"]
    found = selectors.paperwork_for(world.users[Role.IRO], today=TODAY, limit=10)
    assert set(found) == {"to_sign_off"}
    mine = found["to_sign_off"]
    assert (mine["count"], mine["late"], mine["decision_sheets"], mine["minutes"]) == (4, 1, 2, 2)
    assert rows_of(mine) == [
        (c.pk, "decision_sheet", True),
        (a.pk, "decision_sheet", False),
        (c.pk, "minutes", False),
        (a.pk, "minutes", False),
    ]
    assert mine["rows"][0].due_by == dt.date(2027, 2, 16)
    assert mine["url"] == reverse("conferences:paperwork") + "?stage=to_sign_off&mine=1"


def test_the_senior_iro_has_everyones_to_sign_off_and_those_to_send(desk, world):
    found = selectors.paperwork_for(world.users[Role.SENIOR_IRO], today=TODAY)
    assert found["to_sign_off"]["count"] == 5  # A's two, B's minutes, C's two
    assert found["to_sign_off"]["late"] == 2  # B's minutes, C's sheet
    assert found["to_send"]["count"] == 1 and found["to_send"]["late"] == 1
    (row,) = found["to_send"]["rows"]
    assert (row.conference, row.item, row.stage) == (
        desk["b"],
        "decision_sheet",
        "Signed off: to send",
    )


def test_business_support_have_those_to_send_and_others_nothing(desk, world):
    found = selectors.paperwork_for(world.users[Role.BUSINESS_SUPPORT], today=TODAY)
    assert set(found) == {"to_send"} and found["to_send"]["count"] == 1
    for role in (Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR):
        assert selectors.paperwork_for(world.users[role], today=TODAY) == {}


def test_the_selector_takes_the_same_queries_however_many_rows(
    desk, world, django_assert_num_queries
):
    senior = world.users[Role.SENIOR_IRO]
    with django_assert_num_queries(6):
        selectors.paperwork_for(senior, today=TODAY, limit=10)
    for day in range(2, 12):
        hold(world, chair=desk["held"].chair, taker=None, starts=at(dt.date(2027, 1, day)))
    with django_assert_num_queries(6):
        found = selectors.paperwork_for(senior, today=TODAY, limit=10)
    assert found["to_sign_off"]["count"] == 25 and len(found["to_sign_off"]["rows"]) == 10


def test_the_partial_shows_the_counts_and_links_to_the_list(desk, world):
    found = selectors.paperwork_for(world.users[Role.SENIOR_IRO], today=TODAY)
    html = render_to_string("conferences/paperwork/_work.html", {"paperwork": found})
    assert "To sign off" in html and "Signed off, to send" in html
    assert "2 late" in html and "1 late" in html
    assert 'href="/conferences/paperwork/?stage=to_sign_off"' in html
    assert render_to_string("conferences/paperwork/_work.html", {"paperwork": {}}).strip() == ""


# -- the page ------------------------------------------------------------------------------


def page_rows(response) -> list[str]:
    body = response.content.decode().split("<tbody", 1)[-1].split(">", 1)[-1]
    body = body.split("</tbody>")[0]
    return [
        re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]
    ]


def test_business_support_see_everything_not_sent_late_first(desk, world):
    response = client_for(world.users[Role.BUSINESS_SUPPORT]).get(reverse("conferences:paperwork"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "6 not yet sent: 3 decision sheets and 3 sets of minutes" in text
    assert 'govuk-tag--red">3 late' in text
    rows = page_rows(response)
    assert [row.split(" ")[0:3] for row in rows] == [
        ["2", "Feb", "2027"],
        ["16", "Feb", "2027"],
        ["22", "Feb", "2027"],
        ["2", "Mar", "2027"],
        ["8", "Mar", "2027"],
        ["22", "Mar", "2027"],
    ]
    assert all("Late" in row for row in rows[:3]) and not any("Late" in row for row in rows[3:])
    assert "Signed off: to send" in rows[0] and "Minutes to be written" in rows[2]


def test_a_district_manager_sees_their_districts_only(desk, world):
    response = client_for(world.users[Role.DISTRICT_MANAGER]).get(reverse("conferences:paperwork"))
    assert "4 not yet sent" in response.content.decode()
    assert desk["c"].household.reference not in response.content.decode()
    other = client_for(world.users["other_district_manager"]).get(reverse("conferences:paperwork"))
    assert "2 not yet sent" in other.content.decode()
    asked = client_for(world.users["other_district_manager"]).get(
        reverse("conferences:paperwork"), {"district": world.north.pk}
    )
    assert "2 not yet sent" in asked.content.decode()  # never the other district's


@pytest.mark.parametrize(
    "role", [Role.IRO, Role.SENIOR_IRO, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
)
def test_every_reader_sees_the_list(desk, world, role):
    response = client_for(world.users[role]).get(reverse("conferences:paperwork"))
    assert response.status_code == 200 and "6 not yet sent" in response.content.decode()


def test_a_chair_filters_to_their_own_to_sign_off(desk, world):
    response = client_for(world.users[Role.IRO]).get(
        reverse("conferences:paperwork"), {"stage": "to_sign_off", "mine": "1"}
    )
    text = response.content.decode()
    assert "4 not yet sent" in text and 'govuk-tag--red">1 late' in text
    to_send = client_for(world.users[Role.IRO]).get(
        reverse("conferences:paperwork"), {"stage": "to_send"}
    )
    assert "1 not yet sent" in to_send.content.decode()


def test_the_list_is_paginated_in_a_fixed_number_of_queries(desk, world):
    client = client_for(world.users[Role.BUSINESS_SUPPORT])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("conferences:paperwork"))
    for day in range(1, 29):
        hold(world, chair=desk["held"].chair, taker=None, starts=at(dt.date(2026, 12, day)))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("conferences:paperwork"))
    assert len(many) == len(few)
    text = response.content.decode()
    assert "62 not yet sent" in text and 'aria-label="Page 3"' in text
    assert len(page_rows(response)) == 25
    last = client.get(reverse("conferences:paperwork"), {"page": 3})
    assert len(page_rows(last)) == 12
