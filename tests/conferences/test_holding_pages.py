"""The chair's holding pages, as each role sees them: the task list, the register with its
quorum, a page per child, check your answers, adjourning, and two people at once."""

import datetime as dt

import pytest
import time_machine

from conferences.models import Conference
from people.models import Role
from plans.models import ChildProtectionPlan
from tests.factories import LONDON, HouseholdFactory, UserFactory
from tests.fixtures import client_for

from .holding_world import booked_conference, keep_register

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture
def booked(world):
    with time_machine.travel(TODAY, tick=False):
        yield booked_conference(
            household=HouseholdFactory(district=world.north), chair=world.users[Role.IRO]
        )


def _client(user):
    return client_for(user)


def register_post(booked, statuses=("attended", "remote", "attended", "attended"), version=0):
    data = {
        "version": str(version),
        "row-TOTAL_FORMS": str(len(booked.invitees) + 1),
        "row-INITIAL_FORMS": "0",
    }
    for number, (invitee, status) in enumerate(zip(booked.invitees, statuses, strict=True)):
        data |= {
            f"row-{number}-invitee_id": str(invitee.pk),
            f"row-{number}-name": invitee.name,
            f"row-{number}-agency": invitee.agency,
            f"row-{number}-role": invitee.role,
            f"row-{number}-status": status,
        }
    extra = len(booked.invitees)
    data |= {
        f"row-{extra}-name": "Gill Teacher",
        f"row-{extra}-agency": "school",
        f"row-{extra}-role": "Head teacher",
        f"row-{extra}-status": "attended",
    }
    return data


def child_post(**changes):
    data = {
        "participation": "through_social_worker",
        "views": "Wants to stay at the same school",
        "outcome": "plan_started",
        "category": "NEG",
        "new_1_description": "The children attend school every day",
        "new_1_due_by_day": "1",
        "new_1_due_by_month": "3",
        "new_1_due_by_year": "2027",
        "new_1_who": "Mother, with the school",
    }
    return data | changes


def test_the_chair_holds_a_household_of_three_in_one_flow(booked):
    chair = _client(booked.chair)
    pk = booked.conference.pk
    with time_machine.travel(TODAY, tick=False):
        page = chair.get(f"/conferences/{pk}/hold/")
        assert page.status_code == 200
        assert "Attendance register" in page.content.decode()
        # The register starts from the invitees.
        register = chair.get(f"/conferences/{pk}/hold/register/").content.decode()
        assert all(i.name in register for i in booked.invitees)
        saved = chair.post(f"/conferences/{pk}/hold/register/", register_post(booked), follow=True)
        assert "The conference is quorate." in saved.content.decode()
        # One page per child, each leading to the next.
        first, second, third = booked.children
        response = chair.post(f"/conferences/{pk}/hold/child/{first.pk}/", child_post())
        assert response.url == f"/conferences/{pk}/hold/child/{second.pk}/"
        chair.post(f"/conferences/{pk}/hold/child/{second.pk}/", child_post(category="EMO"))
        response = chair.post(
            f"/conferences/{pk}/hold/child/{third.pk}/",
            child_post(
                outcome="no_plan",
                category="",
                new_1_description="",
                new_1_due_by_day="",
                new_1_due_by_month="",
                new_1_due_by_year="",
                dissent_1_agency="police",
                dissent_1_reason="The police would have made a plan",
            ),
        )
        assert response.url == f"/conferences/{pk}/hold/"
        check = chair.get(f"/conferences/{pk}/hold/check/").content.decode()
        assert "Check your answers" in check
        assert "Next review due by" in check and "Sunday 28 February 2027" in check
        assert "First core group by" in check and "Monday 14 December 2026" in check
        assert "The police would have made a plan" in check
        assert not ChildProtectionPlan.objects.exists()  # nothing saved until confirmed
        done = chair.post(f"/conferences/{pk}/hold/check/", {"version": "1"}, follow=True)
    assert "recorded as held" in done.content.decode()
    booked.conference.refresh_from_db()
    assert booked.conference.status == Conference.Status.HELD
    plans = ChildProtectionPlan.objects.filter(child__in=booked.children)
    assert sorted(p.latest_category for p in plans) == ["EMO", "NEG"]
    assert booked.conference.attendance.count() == 5


def test_a_childs_page_says_what_is_missing_and_keeps_nothing(booked):
    chair = _client(booked.chair)
    pk, child = booked.conference.pk, booked.children[0]
    with time_machine.travel(TODAY, tick=False):
        response = chair.post(
            f"/conferences/{pk}/hold/child/{child.pk}/",
            child_post(category="", participation="", new_1_due_by_month="13"),
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "must be a real date" in page
    assert "Choose the category of abuse" in page or "Say how" in page
    assert chair.session.get(f"holding:{pk}", {}).get("children", {}) == {}


def test_an_inquorate_conference_is_shown_so_and_needs_the_interim_plan_box(booked):
    chair = _client(booked.chair)
    pk = booked.conference.pk
    with time_machine.travel(TODAY, tick=False):
        data = register_post(booked, statuses=("attended", "apologies", "apologies", "attended"))
        data["row-4-status"] = "apologies"
        saved = chair.post(f"/conferences/{pk}/hold/register/", data, follow=True)
        assert "not quorate: it needs 2 more agencies" in saved.content.decode()
        for kid in booked.children:
            chair.post(f"/conferences/{pk}/hold/child/{kid.pk}/", child_post())
        refused = chair.post(f"/conferences/{pk}/hold/check/", {"version": "1"})
        assert "adjourn it, or say it went ahead with an interim plan" in refused.content.decode()
        held = chair.post(
            f"/conferences/{pk}/hold/check/", {"version": "1", "proceeded_inquorate": "on"}
        )
    assert held.status_code == 302
    booked.conference.refresh_from_db()
    assert booked.conference.proceeded_inquorate


def test_business_support_keeps_the_register_but_not_the_decisions(booked, world):
    support = _client(world.users[Role.BUSINESS_SUPPORT])
    pk = booked.conference.pk
    with time_machine.travel(TODAY, tick=False):
        page = support.get(f"/conferences/{pk}/hold/").content.decode()
        assert "Attendance register" in page and booked.children[0].full_name not in page
        assert (
            support.post(f"/conferences/{pk}/hold/register/", register_post(booked)).status_code
            == 302
        )
        assert (
            support.get(f"/conferences/{pk}/hold/child/{booked.children[0].pk}/").status_code == 403
        )
        assert support.get(f"/conferences/{pk}/hold/check/").status_code == 403
        assert support.get(f"/conferences/{pk}/adjourn/").status_code == 403


@pytest.mark.parametrize(
    "role,expected",
    [
        (Role.SENIOR_IRO, 200),
        ("another_iro", 403),
        (Role.DISTRICT_MANAGER, 403),
        ("other_district_manager", 404),
        (Role.DIRECTORATE_MANAGER, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_who_may_record_a_conference(booked, world, role, expected):
    user = (
        UserFactory(username="iro2", role=Role.IRO) if role == "another_iro" else world.users[role]
    )
    client = _client(user)
    pk, child = booked.conference.pk, booked.children[0]
    with time_machine.travel(TODAY, tick=False):
        for url in (
            f"/conferences/{pk}/hold/child/{child.pk}/",
            f"/conferences/{pk}/adjourn/",
        ):
            assert client.get(url).status_code == expected, url
        if expected != 200:
            assert (
                client.post(f"/conferences/{pk}/hold/register/", register_post(booked)).status_code
                == expected
            )
            assert not booked.conference.attendance.exists()


def test_signed_out_people_are_sent_to_sign_in(booked):
    from django.test import Client

    response = Client().get(f"/conferences/{booked.conference.pk}/hold/")
    assert response.status_code == 302 and "/sign-in/" in response.url or "login" in response.url


def test_adjourning_from_the_page_puts_it_on_the_list_to_book(booked, world):
    chair = _client(booked.chair)
    pk = booked.conference.pk
    with time_machine.travel(TODAY, tick=False):
        page = chair.get(f"/conferences/{pk}/adjourn/").content.decode()
        assert "Monday 28 December 2026" in page
        refused = chair.post(f"/conferences/{pk}/adjourn/", {"version": "0"})
        assert "Choose why the conference was adjourned" in refused.content.decode()
        done = chair.post(
            f"/conferences/{pk}/adjourn/",
            {"version": "0", "reason": "report_not_available", "note": ""},
            follow=True,
        )
        assert "must reconvene by 28 December 2026" in done.content.decode()
        to_book = _client(world.users[Role.BUSINESS_SUPPORT]).get(
            "/conferences/to-book/?kind=reconvene"
        )
    assert booked.conference.household.reference in to_book.content.decode()


def test_two_people_at_once_the_second_is_told_and_sees_the_change(booked, world):
    chair = _client(booked.chair)
    pk = booked.conference.pk
    with time_machine.travel(TODAY, tick=False):
        chair.post(f"/conferences/{pk}/hold/register/", register_post(booked), follow=True)
        for kid in booked.children:
            chair.post(f"/conferences/{pk}/hold/child/{kid.pk}/", child_post())
        # Meanwhile business support corrects the register (version 1 -> 2).
        keep_register(booked, by=world.users[Role.BUSINESS_SUPPORT])
        response = chair.post(f"/conferences/{pk}/hold/check/", {"version": "1"})
        page = response.content.decode()
        assert "Someone else changed this conference" in page
        assert (
            "Business Tester changed this conference" in page
            or "Attendance register kept by" in page
        )
        assert not ChildProtectionPlan.objects.exists()
        # Having seen it, the chair confirms again and it is saved.
        again = chair.post(f"/conferences/{pk}/hold/check/", {"version": "2"})
    assert again.status_code == 302
    booked.conference.refresh_from_db()
    assert booked.conference.status == Conference.Status.HELD


def test_a_conference_in_the_future_cannot_be_held_yet(world):
    with time_machine.travel(TODAY, tick=False):
        later = booked_conference(
            household=HouseholdFactory(district=world.north),
            chair=world.users[Role.IRO],
            on=dt.datetime(2026, 12, 3, 10, 0, tzinfo=LONDON),
        )
        page = (
            _client(later.chair).get(f"/conferences/{later.conference.pk}/hold/").content.decode()
        )
    assert "it is recorded as held on the day or after" in page
    assert "Adjourn the conference" not in page
