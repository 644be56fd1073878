"""A booked conference ready to hold, for the holding tests: a household of three children,
their chair, and invitees from social care, police, health and the family."""

import datetime as dt
from dataclasses import dataclass

from conferences.models import Attendance, Conference, ConferenceChild, Invitee
from conferences.services import holding
from people.models import Role, User
from tests.factories import (
    LONDON,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    DistrictFactory,
    HouseholdFactory,
    InviteeFactory,
    UserFactory,
)

A, S = Attendance.Agency, Attendance.Status


@dataclass
class Booked:
    conference: Conference
    children: list
    chair: User
    invitees: list[Invitee]


def booked_conference(
    *,
    kind=Conference.Kind.INITIAL,
    on=dt.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON),
    children: int = 3,
    chair: User | None = None,
    household=None,
) -> Booked:
    district = DistrictFactory(name="North")
    household = household or HouseholdFactory(district=district)
    chair = chair or UserFactory(username="chair", role=Role.IRO, first_name="Cleo")
    conference = ConferenceFactory(
        kind=kind,
        status=Conference.Status.BOOKED,
        household=household,
        scheduled_for=on,
        chair=chair,
    )
    kids = []
    for number in range(children):
        child = ChildFactory(
            household=household,
            first_name=f"Kid{number}",
            date_of_birth=dt.date(2016 + number, 3, 1),
        )
        ConferenceChildFactory(conference=conference, child=child)
        kids.append(child)
    invitees = [
        InviteeFactory(
            conference=conference, name="Sam Social", agency=A.SOCIAL_CARE, role="Social worker"
        ),
        InviteeFactory(conference=conference, name="Pat Police", agency=A.POLICE, role="Officer"),
        InviteeFactory(
            conference=conference,
            name="Hana Health",
            agency=A.HEALTH_VISITOR,
            role="Health visitor",
        ),
        InviteeFactory(conference=conference, name="Mo Parent", agency=A.FAMILY, role="Mother"),
    ]
    return Booked(conference, kids, chair, invitees)


def keep_register(booked: Booked, statuses=(S.ATTENDED, S.REMOTE, S.ATTENDED, S.ATTENDED), by=None):
    rows = [
        holding.AttendanceRow(i.name, i.agency, i.role, status, i.pk)
        for i, status in zip(booked.invitees, statuses, strict=True)
    ]
    conference = booked.conference
    conference.refresh_from_db()
    return holding.attendance_record(
        conference=conference, rows=rows, version=conference.version, by=by or booked.chair
    )


def start_plans(kids, *, category="NEG", due=dt.date(2027, 3, 1)):
    return [
        holding.ChildDecision(
            child_id=kid.pk,
            outcome=ConferenceChild.Outcome.PLAN_STARTED,
            category=category,
            participation=ConferenceChild.Participation.THROUGH_SOCIAL_WORKER,
            targets=(holding.TargetInput("Kit attends school every day", due, "Mother"),),
        )
        for kid in kids
    ]
