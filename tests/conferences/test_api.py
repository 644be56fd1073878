"""The conferences API: booking, rearranging and cancelling through the same services as the
pages, the list to book, what is due, and every endpoint for every role."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import rules, selectors
from conferences.models import (
    Conference,
    ConferenceChild,
    ExcludedChild,
    S47Enquiry,
    StrategyMeeting,
)
from conferences.services import booking, meetings
from people.models import Role

from ..factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    HouseholdFactory,
    PlanFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # a Monday
TODAY = NOW.date()
DISCUSSION = dt.date(2026, 2, 27)
TARGET = dt.date(2026, 3, 20)  # 15 working days after the strategy discussion
STARTS = "2026-03-16T10:00:00+00:00"
READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
BOOKERS = [Role.BUSINESS_SUPPORT, Role.SENIOR_IRO]
NOT_BOOKERS = [Role.IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]


@dataclass
class Desk:
    venue: object
    iro: object
    other_iro: object
    taker: object
    enquiry: object


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(world) -> Desk:
    """An initial conference to book for the north household (target 20 March), a venue, two
    IROs and a minute taker."""
    support = world.users[Role.BUSINESS_SUPPORT]
    enquiry = meetings.s47_enquiry_record(
        by=support,
        child=world.child,
        strategy_discussion_on=DISCUSSION,
        started_on=DISCUSSION,
        today=TODAY,
    )
    meetings.s47_enquiry_decide(
        enquiry=enquiry,
        outcome=S47Enquiry.Outcome.CONFERENCE,
        decided_on=TODAY,
        today=TODAY,
        by=support,
    )
    return Desk(
        venue=VenueFactory(name="Northbridge Family Centre", district=world.north),
        iro=world.users[Role.IRO],
        other_iro=UserFactory(username="iro2", role=Role.IRO, first_name="Morgan"),
        taker=support,
        enquiry=enquiry,
    )


def book_data(world, desk, **changes) -> dict:
    return {
        "household": world.child.household_id,
        "kind": "initial",
        "starts_at": STARTS,
        "children": [world.child.pk, world.sibling.pk],
        "venue": desk.venue.pk,
        "chair": desk.iro.pk,
        "minute_taker": desk.taker.pk,
        **changes,
    }


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def counts() -> tuple[int, int, int]:
    return (
        Conference.objects.count(),
        ConferenceChild.objects.count(),
        ExcludedChild.objects.count(),
    )


@pytest.fixture
def booked(world, desk) -> Conference:
    """A conference booked through the service, for the endpoints that need one."""
    return booking.conference_book(
        request=booking.BookingRequest(
            kind=Conference.Kind.INITIAL,
            household=world.child.household,
            starts_at=moment(STARTS),
            children=(world.child, world.sibling),
            chair=desk.iro,
            venue=desk.venue,
            minute_taker=desk.taker,
        ),
        by=desk.taker,
        now=NOW,
    )


@pytest.fixture
def meeting(world, desk) -> StrategyMeeting:
    return meetings.strategy_meeting_book(
        by=desk.taker,
        kind=StrategyMeeting.Kind.CHILD_PROTECTION,
        district=world.north,
        starts_at=moment("2026-03-05T14:00:00+00:00"),
        children=[world.child],
        chair=desk.other_iro,
        now=NOW,
        is_virtual=True,
        meeting_link="https://meet.example.org/strategy",
    )


# -- booking ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", BOOKERS)
def test_book_stores_every_date_from_the_rules(clients, world, desk, role):
    response = post(clients[role], reverse("api:conference-list"), book_data(world, desk))

    assert response.status_code == 201, response.json()
    data = response.json()
    conference = Conference.objects.get(pk=data["id"])
    starts_at = moment(STARTS)
    dates = rules.booking_dates(
        starts_at=starts_at,
        held_on=starts_at.date(),
        booked_on=TODAY,
        is_review=False,
        timescales=settings.IRO_TIMESCALES,
    )
    assert response["Location"].endswith(reverse("api:conference-detail", args=[conference.pk]))
    assert conference.status == Conference.Status.BOOKED
    assert conference.booked_by == world.users[role]
    assert conference.due_by == TARGET
    assert conference.ends_at == dates.ends_at
    assert conference.invitations_due_by == dates.invitations_due_by
    assert conference.reports_requested_by == dates.reports_requested_by
    assert conference.reports_due_by == dates.reports_due_by
    assert conference.report_share_due_by == dates.report_share_due_by
    assert moment(data["scheduled_for"]) == starts_at
    assert moment(data["ends_at"]) == dates.ends_at
    assert data["due_by"] == TARGET.isoformat()
    assert data["invitations_due_by"] == dates.invitations_due_by.isoformat()
    assert data["reports_requested_by"] == dates.reports_requested_by.isoformat()
    assert data["reports_due_by"] == dates.reports_due_by.isoformat()
    assert moment(data["report_share_due_by"]) == dates.report_share_due_by
    assert data["warnings"] == []
    assert {row["child"]["id"] for row in data["children"]} == {world.child.pk, world.sibling.pk}
    assert data["household"]["reference"] == "H-N-1"
    assert data["chair"] == {"id": desk.iro.pk, "name": desk.iro.display_name}
    desk.enquiry.refresh_from_db()
    assert desk.enquiry.initial_conference == conference


def test_book_warns_of_a_non_working_day(clients, world, desk):
    data = book_data(world, desk, starts_at="2026-03-14T10:00:00+00:00")  # a Saturday
    response = post(clients[Role.BUSINESS_SUPPORT], reverse("api:conference-list"), data)
    assert response.status_code == 201
    assert "is not a working day" in response.json()["warnings"][0]


def test_book_a_child_left_out_with_its_reason(clients, world, desk):
    client = clients[Role.BUSINESS_SUPPORT]
    url = reverse("api:conference-list")
    data = book_data(world, desk, children=[world.child.pk])
    response = post(client, url, data)
    assert response.status_code == 400
    assert response.json() == {"left_out": ["Say why Sky Ashdown is left out of the conference."]}

    data["left_out"] = {str(world.sibling.pk): " "}
    response = post(client, url, data)
    assert response.json() == {
        "left_out": ["Give the reason each child left out is not being considered."]
    }
    assert counts() == (0, 0, 0)

    data["left_out"] = {str(world.sibling.pk): "Lives with her father in Leeds"}
    response = post(client, url, data)
    assert response.status_code == 201
    assert response.json()["left_out"] == [
        {
            "child": {
                "id": world.sibling.pk,
                "local_id": world.sibling.local_id,
                "name": "Sky Ashdown",
            },
            "reason": "Lives with her father in Leeds",
        }
    ]


def test_book_reconvenes_an_adjourned_conference(clients, world, desk):
    adjourned = ConferenceFactory(
        household=world.child.household,
        kind=Conference.Kind.INITIAL,
        status=Conference.Status.ADJOURNED,
        adjournment_reason=Conference.AdjournmentReason.NOT_QUORATE,
        scheduled_for=dt.datetime(2026, 2, 20, 10, 0, tzinfo=LONDON),
        reconvene_by=dt.date(2026, 3, 18),
    )
    data = book_data(world, desk, reconvenes=adjourned.pk)
    del data["kind"]
    response = post(clients[Role.BUSINESS_SUPPORT], reverse("api:conference-list"), data)
    assert response.status_code == 201, response.json()
    assert response.json()["rearranged_from"] == adjourned.pk
    assert response.json()["due_by"] == "2026-03-18"

    response = post(clients[Role.BUSINESS_SUPPORT], reverse("api:conference-list"), data)
    assert response.status_code == 400
    assert "reconvenes" in response.json()


def test_book_a_transfer_in_conference_for_the_households_transfer(clients, world, desk):
    household = HouseholdFactory(district=world.north)
    child = ChildFactory(household=household)
    transfer = meetings.transfer_in_record(
        by=desk.taker,
        child=child,
        from_authority="Calderdale",
        notified_on=dt.date(2026, 2, 23),
        today=TODAY,
    )
    data = book_data(world, desk, household=household.pk, kind="transfer_in", children=[child.pk])

    response = post(clients[Role.BUSINESS_SUPPORT], reverse("api:conference-list"), data)

    assert response.status_code == 201, response.json()
    transfer.refresh_from_db()
    assert transfer.conference_id == response.json()["id"]
    assert response.json()["due_by"] == transfer.conference_due_by.isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_at": "2026-03-01T10:00:00+00:00"},
            "starts_at",
            "The date and time must be in the future.",
        ),
        (
            {"starts_at": "2026-03-25T10:00:00+00:00"},
            "delay_reason",
            "It must be held by 20 March 2026.",
        ),
        ({"children": "south"}, "children", "Ellis Brackwater is not a child of this household."),
        ({"chair": None}, "chair", "Choose who will chair the conference."),
        ({"venue": None}, "venue", "Choose a venue, or say it is held online."),
        ({"chair": "auditor"}, "chair", "cannot chair: choose an IRO who is in post."),
    ],
)
def test_book_refusals_answer_400_and_save_nothing(clients, world, desk, changes, field, message):
    if changes.get("children") == "south":
        changes["children"] = [world.child.pk, world.sibling.pk, world.south_child.pk]
    if changes.get("chair") == "auditor":
        changes["chair"] = world.users[Role.AUDITOR].pk
    before = counts()

    response = post(
        clients[Role.BUSINESS_SUPPORT],
        reverse("api:conference-list"),
        book_data(world, desk, **changes),
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert counts() == before


def test_book_refuses_a_double_booked_chair(clients, world, desk, booked):
    household = HouseholdFactory(district=world.north)
    data = book_data(
        world,
        desk,
        household=household.pk,
        children=[ChildFactory(household=household).pk],
        venue=None,
        is_virtual=True,
        meeting_link="https://meet.example.org/x",
        minute_taker=None,
        starts_at="2026-03-16T11:00:00+00:00",  # the chair's other conference runs 10:00 to 12:00
    )
    before = counts()

    response = post(clients[Role.BUSINESS_SUPPORT], reverse("api:conference-list"), data)

    assert response.status_code == 400
    assert list(response.json()) == ["chair"]
    assert response.json()["chair"][0].startswith(f"{desk.iro.display_name} cannot chair then")
    assert counts() == before


def test_book_after_the_target_with_a_reason(clients, world, desk):
    data = book_data(world, desk, starts_at="2026-03-25T10:00:00+00:00", delay_reason="admin_error")
    response = post(clients[Role.BUSINESS_SUPPORT], reverse("api:conference-list"), data)
    assert response.status_code == 201, response.json()
    assert response.json()["delay_reason"] == "admin_error"
    assert response.json()["due_by"] == TARGET.isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"household": 999999},
            "household",
            "There is no household with id 999999 that you can see.",
        ),
        ({"children": [999999]}, "children", "There is no child with id 999999 that you can see."),
        ({"venue": 999999}, "venue", "There is no venue with id 999999 that you can see."),
        (
            {"chair": 999999},
            "chair",
            "There is no member of staff with id 999999 that you can see.",
        ),
        ({"chair": "x"}, "chair", "Give the member of staff's id, a whole number."),
        (
            {"starts_at": "2026-03-16T10:00:00"},
            "starts_at",
            "Give the date and time with its offset",
        ),
        ({"starts_at": "16/03/2026"}, "starts_at", "Datetime has wrong format."),
        ({"kind": None}, "kind", "This field may not be null."),
        ({"left_out": {"abc": "x"}}, "left_out", "Key each reason by the child's id."),
    ],
)
def test_book_answers_400_on_the_field_for_unknown_ids_and_bad_values(
    clients, world, desk, changes, field, message
):
    response = post(
        clients[Role.BUSINESS_SUPPORT],
        reverse("api:conference-list"),
        book_data(world, desk, **changes),
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert Conference.objects.count() == 0


# -- rearrange and cancel ----------------------------------------------------------------------


def test_rearrange_keeps_the_old_booking_with_its_reason(clients, world, desk, booked):
    url = reverse("api:conference-rearrange", args=[booked.pk])
    response = post(
        clients[Role.BUSINESS_SUPPORT],
        url,
        {"starts_at": "2026-03-18T14:00:00+00:00", "reason": "chair_unavailable", "note": "Leave"},
    )

    assert response.status_code == 201, response.json()
    new = Conference.objects.get(pk=response.json()["id"])
    booked.refresh_from_db()
    assert booked.status == Conference.Status.REARRANGED
    assert booked.adjournment_reason == "chair_unavailable"
    assert booked.adjournment_note == "Leave"
    assert new.rearranged_from == booked
    assert new.status == Conference.Status.BOOKED
    assert new.due_by == booked.due_by == TARGET
    assert new.venue == booked.venue and new.chair == booked.chair  # not given: kept
    assert moment(response.json()["scheduled_for"]) == moment("2026-03-18T14:00:00+00:00")
    assert set(new.children.all()) == {world.child, world.sibling}
    detail = clients[Role.AUDITOR].get(reverse("api:conference-detail", args=[booked.pk])).json()
    assert detail["status"] == "rearranged" and detail["rearranged_as"] == new.pk

    again = post(clients[Role.BUSINESS_SUPPORT], url, {"reason": "chair_unavailable"})
    assert again.status_code == 400
    assert again.json() == {
        "non_field_errors": ["This conference is rearranged, so it cannot be rearranged."]
    }


def test_rearrange_refuses_as_booking_does(clients, world, desk, booked):
    before = counts()
    response = post(
        clients[Role.BUSINESS_SUPPORT],
        reverse("api:conference-rearrange", args=[booked.pk]),
        {"starts_at": "2026-03-01T14:00:00+00:00", "reason": "chair_unavailable"},
    )
    assert response.status_code == 400
    assert response.json() == {"starts_at": ["The date and time must be in the future."]}
    assert counts() == before
    booked.refresh_from_db()
    assert booked.status == Conference.Status.BOOKED

    response = post(
        clients[Role.BUSINESS_SUPPORT],
        reverse("api:conference-rearrange", args=[booked.pk]),
        {"starts_at": "2026-03-18T14:00:00+00:00"},
    )
    assert response.status_code == 400 and "reason" in response.json()


def test_cancel_keeps_the_booking_and_puts_the_enquiry_back_on_the_list(
    clients, world, desk, booked
):
    url = reverse("api:conference-cancel", args=[booked.pk])
    client = clients[Role.SENIOR_IRO]
    response = post(client, url, {"reason": "other"})
    assert response.status_code == 400
    assert response.json() == {"note": ["Say why the conference is being cancelled."]}

    response = post(client, url, {"reason": "booked_in_error"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "booked_in_error"
    booked.refresh_from_db()
    desk.enquiry.refresh_from_db()
    assert booked.status == Conference.Status.CANCELLED
    assert desk.enquiry.initial_conference is None


# -- strategy meetings -------------------------------------------------------------------------


def test_strategy_meeting_booked_listed_and_cancelled(clients, world, desk):
    client = clients[Role.BUSINESS_SUPPORT]
    data = {
        "household": world.child.household_id,
        "kind": "sexual_exploitation",
        "starts_at": "2026-03-04T10:00:00+00:00",
        "children": [world.child.pk],
        "is_virtual": True,
        "meeting_link": "https://meet.example.org/cse",
        "chair": desk.iro.pk,
    }
    response = post(client, reverse("api:strategy-meeting-list"), data)
    assert response.status_code == 201, response.json()
    meeting = StrategyMeeting.objects.get(pk=response.json()["id"])
    assert meeting.district == world.north
    assert meeting.ends_at == moment(data["starts_at"]) + dt.timedelta(
        minutes=settings.IRO_TIMESCALES["MEETING_LENGTH_MINUTES"]
    )
    assert response.json()["children"][0]["id"] == world.child.pk

    clash = post(client, reverse("api:strategy-meeting-list"), data)
    assert clash.status_code == 400 and list(clash.json()) == ["chair"]
    outsider = post(
        client, reverse("api:strategy-meeting-list"), {**data, "children": [world.south_child.pk]}
    )
    assert outsider.json() == {"children": ["Ellis Brackwater is not a child of this household."]}

    listed = clients[Role.AUDITOR].get(
        reverse("api:strategy-meeting-list"), {"kind": "sexual_exploitation"}
    )
    assert [row["id"] for row in listed.json()["results"]] == [meeting.pk]

    response = post(
        client,
        reverse("api:strategy-meeting-cancel", args=[meeting.pk]),
        {"reason": "no_longer_needed"},
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = post(
        client,
        reverse("api:strategy-meeting-cancel", args=[meeting.pk]),
        {"reason": "no_longer_needed"},
    )
    assert again.status_code == 400 and "non_field_errors" in again.json()
    assert StrategyMeeting.objects.count() == 1


# -- invitees --------------------------------------------------------------------------------


def test_invitees_added_listed_and_emailed(clients, world, booked):
    client = clients[Role.BUSINESS_SUPPORT]
    url = reverse("api:conference-invitees", args=[booked.pk])
    response = post(client, url, {"name": "Dr Rowan Hale", "agency": "gp", "role": "GP"})
    assert response.status_code == 400
    assert "email" in response.json()

    response = post(
        client,
        url,
        {"name": "Dr Rowan Hale", "agency": "gp", "role": "GP", "email": "hale@example.org"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["method"] == "email"
    not_about = post(
        client,
        url,
        {
            "name": "Ellis",
            "agency": "family",
            "role": "child",
            "email": "e@example.org",
            "child": world.south_child.pk,
        },
    )
    assert not_about.json() == {"child": ["Choose a child this conference is about"]}

    listed = clients[Role.AUDITOR].get(url).json()
    assert [invitee["name"] for invitee in listed] == ["Dr Rowan Hale"]

    sent = post(client, reverse("api:conference-invitations-send", args=[booked.pk]))
    assert sent.status_code == 200
    assert sent.json() == {"emailed": [listed[0]["id"]], "failed": [], "letters": []}
    assert mail.outbox[0].to == ["hale@example.org"]
    assert (
        post(client, reverse("api:conference-invitations-send", args=[booked.pk])).json()["emailed"]
        == []
    )


# -- the list to book and what is due ---------------------------------------------------------


def test_to_book_lists_households_oldest_due_first_with_counts(clients, world, desk):
    review_household = HouseholdFactory(district=world.north, reference="H-N-2")
    PlanFactory(
        child=ChildFactory(household=review_household), next_review_due_by=dt.date(2026, 3, 10)
    )
    PlanFactory(
        child=ChildFactory(household=HouseholdFactory(district=world.north)),
        next_review_due_by=dt.date(2026, 9, 1),  # beyond the horizon
    )
    transfer_child = ChildFactory(
        household=HouseholdFactory(district=world.south, reference="H-S-2")
    )
    meetings.transfer_in_record(
        by=desk.taker,
        child=transfer_child,
        from_authority="Calderdale",
        notified_on=dt.date(2026, 2, 2),
        today=TODAY,
    )

    data = clients[Role.BUSINESS_SUPPORT].get(reverse("api:to-book")).json()

    assert data["counts"] == {"initial": 1, "review": 1, "reconvene": 0, "transfer_in": 1}
    assert data["count"] == 3 and data["next"] is None
    assert [
        (row["kind"], row["household"]["reference"], row["due_by"]) for row in data["results"]
    ] == [
        ("transfer_in", "H-S-2", "2026-02-23"),
        ("review", "H-N-2", "2026-03-10"),
        ("initial", "H-N-1", TARGET.isoformat()),
    ]
    first = data["results"][0]
    assert first["children"] == 1 and first["working_days_left"] == -5
    assert first["household"]["district"]["name"] == "Southmoor"

    reviews = clients[Role.BUSINESS_SUPPORT].get(reverse("api:to-book"), {"kind": "review"}).json()
    assert [row["kind"] for row in reviews["results"]] == ["review"] and reviews["count"] == 1
    north = clients[Role.DISTRICT_MANAGER].get(reverse("api:to-book")).json()
    assert north["counts"] == {"initial": 1, "review": 1, "reconvene": 0, "transfer_in": 0}
    south = clients[Role.BUSINESS_SUPPORT].get(reverse("api:to-book"), {"district": world.south.pk})
    assert [row["household"]["reference"] for row in south.json()["results"]] == ["H-S-2"]
    other = clients[Role.DISTRICT_MANAGER].get(reverse("api:to-book"), {"district": world.south.pk})
    assert other.status_code == 404


def test_to_book_answers_in_the_same_number_of_queries_however_long(clients, world, desk):
    client = clients[Role.BUSINESS_SUPPORT]
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("api:to-book")).status_code == 200
    for _ in range(5):
        PlanFactory(
            child=ChildFactory(household=HouseholdFactory(district=world.north)),
            next_review_due_by=dt.date(2026, 3, 10),
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("api:to-book")).json()["results"]) == 6
    assert len(many) == len(few)


def test_conference_list_filters_and_keeps_to_a_fixed_number_of_queries(
    clients, world, desk, booked
):
    client = clients[Role.AUDITOR]
    with CaptureQueriesContext(connection) as one:
        data = client.get(reverse("api:conference-list")).json()
    assert data["count"] == 1 and data["results"][0]["id"] == booked.pk
    for day in (20, 21):
        household = HouseholdFactory(district=world.south)
        conference = ConferenceFactory(
            household=household,
            chair=desk.other_iro,
            scheduled_for=dt.datetime(2026, 2, day, 10, tzinfo=LONDON),
        )
        ConferenceChildFactory(conference=conference, child=ChildFactory(household=household))
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse("api:conference-list")).json()["count"] == 3
    assert len(three) == len(one)

    def ids(**query):
        return [
            row["id"] for row in client.get(reverse("api:conference-list"), query).json()["results"]
        ]

    assert ids(status="booked") == [booked.pk]
    assert ids(district=world.north.pk) == [booked.pk]
    assert len(ids(to="2026-02-28")) == 2
    assert ids(**{"from": "2026-03-01"}) == [booked.pk]
    assert ids(kind="review") == []
    bad = client.get(reverse("api:conference-list"), {"from": "2026-03-10", "to": "2026-03-01"})
    assert bad.status_code == 400 and "to" in bad.json()
    assert client.get(reverse("api:conference-list"), {"status": "lost"}).status_code == 400


def test_due_is_the_due_list_selectors_answer(clients, world, desk):
    PlanFactory(
        child=world.sibling, start_date=dt.date(2026, 1, 5), next_review_due_by=dt.date(2026, 4, 5)
    )
    PlanFactory(
        child=world.south_child,
        start_date=dt.date(2025, 12, 1),
        next_review_due_by=dt.date(2026, 3, 1),
    )

    response = clients[Role.AUDITOR].get(reverse("api:due"), {"on": "2026-03-02"})

    assert response.status_code == 200
    assert response.json() == selectors.due_list(on=TODAY)
    assert response.json()["initial_conferences"] == [
        {"child": world.child.local_id, "target": TARGET.isoformat()}
    ]
    assert len(response.json()["reviews"]) == 2
    manager = clients[Role.DISTRICT_MANAGER]
    assert manager.get(reverse("api:due")).json() == selectors.due_list(
        on=TODAY, district_id=world.north.pk
    )
    assert manager.get(reverse("api:due"), {"district": world.south.pk}).status_code == 404
    assert manager.get(reverse("api:due"), {"on": "2026-02-30"}).status_code == 400


# -- who may do what -------------------------------------------------------------------------


def read_urls(conference, meeting) -> list[str]:
    return [
        reverse("api:conference-list"),
        reverse("api:conference-detail", args=[conference.pk]),
        reverse("api:conference-invitees", args=[conference.pk]),
        reverse("api:strategy-meeting-list"),
        reverse("api:strategy-meeting-detail", args=[meeting.pk]),
        reverse("api:to-book"),
        reverse("api:due"),
    ]


def write_urls(conference, meeting) -> list[str]:
    return [
        reverse("api:conference-list"),
        reverse("api:conference-rearrange", args=[conference.pk]),
        reverse("api:conference-cancel", args=[conference.pk]),
        reverse("api:conference-invitees", args=[conference.pk]),
        reverse("api:conference-invitations-send", args=[conference.pk]),
        reverse("api:strategy-meeting-list"),
        reverse("api:strategy-meeting-cancel", args=[meeting.pk]),
    ]


@pytest.mark.parametrize("role", READERS)
def test_every_reading_role_reads_every_endpoint(clients, booked, meeting, role):
    for url in read_urls(booked, meeting):
        assert clients[role].get(url).status_code == 200, url


@pytest.mark.parametrize("role", NOT_BOOKERS)
def test_roles_that_do_not_book_are_refused_every_write(
    clients, world, desk, booked, meeting, role
):
    before = (*counts(), StrategyMeeting.objects.count())
    for url in write_urls(booked, meeting):
        response = post(clients[role], url, book_data(world, desk, reason="booked_in_error"))
        assert response.status_code == 403, url
        assert "Only business support and the Senior IRO" in response.json()["detail"]
    assert (*counts(), StrategyMeeting.objects.count()) == before
    booked.refresh_from_db()
    assert booked.status == Conference.Status.BOOKED


def test_another_districts_manager_sees_none_of_its_records(clients, booked, meeting):
    client = clients["other_district_manager"]
    for url in [
        reverse("api:conference-detail", args=[booked.pk]),
        reverse("api:conference-invitees", args=[booked.pk]),
        reverse("api:strategy-meeting-detail", args=[meeting.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("api:conference-list")).json()["results"] == []
    assert client.get(reverse("api:strategy-meeting-list")).json()["results"] == []
    assert client.get(reverse("api:to-book")).json()["results"] == []
    assert client.get(reverse("api:due")).json() == {"reviews": [], "initial_conferences": []}
    north = {"district": booked.household.district_id}
    assert client.get(reverse("api:conference-list"), north).status_code == 404


def test_own_districts_manager_sees_its_records(clients, booked, meeting):
    client = clients[Role.DISTRICT_MANAGER]
    assert client.get(reverse("api:conference-detail", args=[booked.pk])).json()["id"] == booked.pk
    assert [row["id"] for row in client.get(reverse("api:conference-list")).json()["results"]] == [
        booked.pk
    ]


def test_signed_out_requests_are_refused(booked, meeting):
    client = Client()
    for url in read_urls(booked, meeting):
        assert client.get(url).status_code == 403, url
    for url in write_urls(booked, meeting):
        assert post(client, url).status_code == 403, url


def test_every_endpoint_is_in_a_schema_without_warnings(clients, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in [
        "/api/conferences/:",
        "/api/conferences/{id}/:",
        "/api/conferences/{id}/rearrange/:",
        "/api/conferences/{id}/cancel/:",
        "/api/conferences/{id}/invitees/:",
        "/api/conferences/{id}/invitees/send/:",
        "/api/strategy-meetings/:",
        "/api/strategy-meetings/{id}/:",
        "/api/strategy-meetings/{id}/cancel/:",
        "/api/to-book/:",
        "/api/due/:",
    ]:
        assert f"\n  {path}\n" in schema, path
    served = clients[Role.IRO].get(reverse("api:schema"))
    assert served.status_code == 200 and b"/api/to-book/" in served.content
