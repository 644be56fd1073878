"""The API: a strategy meeting held, and decisions not to convene quality-assured, through
the same services and access rules as the pages; each role against each endpoint."""

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from conferences.models import S47Enquiry, StrategyMeeting, StrategyMeetingAttendance
from conferences.services import strategy_holding
from people.models import Role

from ..fixtures import client_for
from .test_strategy_holding_world import *  # noqa: F403 - its fixtures: clock, strategy
from .test_strategy_holding_world import CONFERENCE_TARGET

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


@pytest.fixture
def signed_in(clients, world, clock):
    for key, client in clients.items():
        client.force_login(world.users[key])
    return clients


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def hold_url(meeting) -> str:
    return reverse("api:strategy-meeting-hold", args=[meeting.pk])


def review_url(enquiry) -> str:
    return reverse("api:no-conference-decision-review", args=[enquiry.pk])


LIST = "/api/no-conference-decisions/"


def hold_body(world, **changes) -> dict:
    body = {
        "attendance": [
            {"name": "Jo Chair", "agency": "social_care", "role": "Chair", "status": "attended"},
            {"name": "PC Dale Moss", "agency": "police", "status": "remote"},
        ],
        "decisions": "Enquiry for Robin; none for Sky.",
        "follow_up_on": "2027-01-20",
        "enquiries": [
            {"child": world.child.pk, "decision": "start_enquiry"},
            {"child": world.sibling.pk, "decision": "no_further_action"},
        ],
    }
    return {**body, **changes}


def nothing_held(meeting) -> bool:
    meeting.refresh_from_db()
    return (
        meeting.status == StrategyMeeting.Status.BOOKED
        and not StrategyMeetingAttendance.objects.exists()
        and not S47Enquiry.objects.filter(strategy_meeting=meeting).exists()
    )


# -- holding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.IRO, Role.SENIOR_IRO])
def test_the_chair_or_the_senior_iro_records_the_meeting_held(signed_in, world, strategy, role):
    meeting = strategy["meeting"]

    response = post(signed_in[role], hold_url(meeting), hold_body(world))

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "held" and data["follow_up_on"] == "2027-01-20"
    assert data["held_recorded_by"]["id"] == world.users[role].pk
    assert [(p["name"], p["status"]) for p in data["attendance"]] == [
        ("Jo Chair", "attended"),
        ("PC Dale Moss", "remote"),
    ]
    [enquiry] = data["enquiries"]
    assert enquiry["child"]["id"] == world.child.pk
    assert enquiry["strategy_discussion_on"] == enquiry["started_on"] == "2027-01-06"
    assert enquiry["initial_conference_due_by"] == CONFERENCE_TARGET.isoformat()
    meeting.refresh_from_db()
    assert meeting.status == StrategyMeeting.Status.HELD
    assert meeting.history.filter(history_change_reason="Strategy meeting held").count() == 1


@pytest.mark.parametrize("role", NOT_HOLDERS)
def test_roles_that_do_not_chair_are_refused(signed_in, world, strategy, role):
    response = post(signed_in[role], hold_url(strategy["meeting"]), hold_body(world))
    assert response.status_code == 403
    assert "chair or the Senior IRO" in response.json()["detail"]
    assert nothing_held(strategy["meeting"])


def test_an_iro_who_does_not_chair_it_is_refused(world, strategy):
    client = client_for(strategy["other_iro"])
    assert post(client, hold_url(strategy["meeting"]), hold_body(world)).status_code == 403
    assert nothing_held(strategy["meeting"])


def test_another_districts_manager_and_signed_out_callers(world, strategy):
    meeting = strategy["meeting"]
    outsider = client_for(world.users["other_district_manager"])
    assert post(outsider, hold_url(meeting), hold_body(world)).status_code == 404
    assert post(Client(), hold_url(meeting), hold_body(world)).status_code == 403
    assert (
        post(client_for(world.users[Role.IRO]), "/api/strategy-meetings/999999/hold/").status_code
        == 404
    )
    assert nothing_held(meeting)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decisions": ""}, "decisions", "Enter what the meeting decided."),
        (
            {"attendance": [{"name": "Jo", "agency": "social_care", "status": "apologies"}]},
            "attendance",
            "Add at least one person who took part, in person or remotely.",
        ),
        (
            {"attendance": [{"name": " ", "agency": "police", "status": "attended"}]},
            "attendance",
            "Enter the name of person 1.",
        ),
        (
            {"follow_up_on": "2027-01-05"},
            "follow_up_on",
            "The follow-up date cannot be before the meeting.",
        ),
        (
            {"enquiries": [{"child": "ROBIN", "decision": "start_enquiry"}]},
            "enquiries",
            "Choose what happens next for Sky Ashdown: a section 47 enquiry, or no further action.",
        ),
        (
            {
                "enquiries": [
                    {"child": "ROBIN", "decision": "start_enquiry", "started_on": "2027-01-05"},
                    {"child": "SKY", "decision": "no_further_action"},
                ]
            },
            "enquiries",
            "Robin Ashdown: The enquiry cannot start before its strategy discussion.",
        ),
    ],
)
def test_refused_input_is_a_400_with_the_services_words_and_nothing_saved(
    signed_in, world, strategy, changes, field, message
):
    ids = {"ROBIN": world.child.pk, "SKY": world.sibling.pk}
    if "enquiries" in changes:
        changes = {
            "enquiries": [{**e, "child": ids[e["child"]]} for e in changes["enquiries"]],
        }
    response = post(signed_in[Role.IRO], hold_url(strategy["meeting"]), hold_body(world, **changes))
    assert response.status_code == 400
    assert message in response.json()[field]
    assert nothing_held(strategy["meeting"])


def test_a_malformed_request_is_a_400_on_its_field(signed_in, world, strategy):
    client = signed_in[Role.IRO]
    response = post(
        client,
        hold_url(strategy["meeting"]),
        hold_body(world, attendance=[{"name": "Jo", "agency": "council", "status": "attended"}]),
    )
    assert response.status_code == 400
    assert response.json() == {"attendance": ["Choose the agency of person 1."]}
    empty = post(client, hold_url(strategy["meeting"]), {})
    assert empty.status_code == 400
    assert set(empty.json()) == {"attendance", "decisions", "enquiries"}
    assert nothing_held(strategy["meeting"])


def test_holding_twice_is_refused(signed_in, world, strategy):
    client = signed_in[Role.IRO]
    assert post(client, hold_url(strategy["meeting"]), hold_body(world)).status_code == 200

    again = post(signed_in[Role.SENIOR_IRO], hold_url(strategy["meeting"]), hold_body(world))

    assert again.status_code == 400
    assert again.json()["non_field_errors"] == [
        "This strategy meeting has already been recorded as held."
    ]
    assert StrategyMeetingAttendance.objects.count() == 2
    assert S47Enquiry.objects.filter(strategy_meeting=strategy["meeting"]).count() == 1


# -- decisions not to convene -----------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_every_reading_role_lists_the_decisions_to_review(signed_in, world, strategy, role):
    response = signed_in[role].get(LIST)
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    if role == Role.DISTRICT_MANAGER:
        assert ids == [strategy["north"].pk]
    else:
        assert ids == [strategy["south"].pk, strategy["north"].pk]  # oldest first
    row = response.json()["results"][-1]
    assert row["child"]["id"] == world.child.pk and row["reviewed_by"] is None
    assert row["decided_on"] == "2026-12-15"


def test_the_list_is_scoped_and_closed_to_signed_out_callers(world, strategy):
    outsider = client_for(world.users["other_district_manager"])
    assert [r["id"] for r in outsider.get(LIST).json()["results"]] == [strategy["south"].pk]
    assert Client().get(LIST).status_code == 403


@pytest.mark.parametrize("role", [Role.IRO, Role.SENIOR_IRO])
def test_an_iro_quality_assures_a_decision(signed_in, world, strategy, role):
    client = signed_in[role]
    response = post(
        client, review_url(strategy["north"]), {"agrees": False, "note": "Should convene."}
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["reviewed_by"]["id"] == world.users[role].pk
    assert data["review_note"].startswith("Disagreed with the decision not to convene")
    strategy["north"].refresh_from_db()
    assert strategy_holding.review_agreed(strategy["north"]) is False
    assert [r["id"] for r in client.get(LIST).json()["results"]] == [strategy["south"].pk]
    again = post(client, review_url(strategy["north"]), {"agrees": True, "note": "Again."})
    assert again.status_code == 400
    assert again.json()["non_field_errors"] == ["This decision has already been quality-assured."]


@pytest.mark.parametrize("role", NOT_HOLDERS)
def test_other_roles_may_not_quality_assure(signed_in, strategy, role):
    response = post(signed_in[role], review_url(strategy["north"]), {"agrees": True, "note": "x"})
    assert response.status_code == 403
    strategy["north"].refresh_from_db()
    assert strategy["north"].no_conference_reviewed_by is None


def test_a_review_out_of_sight_or_invalid(signed_in, world, strategy):
    outsider = signed_in["other_district_manager"]
    assert post(outsider, review_url(strategy["north"]), {"agrees": True}).status_code == 404
    assert Client().post(review_url(strategy["north"])).status_code == 403
    iro = signed_in[Role.IRO]
    blank = post(iro, review_url(strategy["north"]), {"agrees": True, "note": " "})
    assert blank.status_code == 400
    assert blank.json()["note"] == ["Enter your note on the decision."]
    missing = post(iro, review_url(strategy["north"]), {"note": "Fine."})
    assert missing.status_code == 400 and "agrees" in missing.json()
    assert post(iro, "/api/no-conference-decisions/999999/review/", {}).status_code == 404
    strategy["north"].refresh_from_db()
    assert strategy["north"].no_conference_reviewed_by is None


def test_the_endpoints_are_in_the_schema(world):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "post" in paths["/api/strategy-meetings/{id}/hold/"]
    assert "get" in paths["/api/no-conference-decisions/"]
    assert "post" in paths["/api/no-conference-decisions/{id}/review/"]
    held = schema["components"]["schemas"]["StrategyMeetingHeld"]["properties"]
    assert held["attendance"]["type"] == "array" and held["enquiries"]["type"] == "array"
