"""Booking, holding, adjourning and rearranging the demo's conferences (cases.py), in
memory until the demo's store writes them."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from children.models import Child, Household
from conferences import rules
from conferences.models import Attendance, Conference, ConferenceChild
from iro_service.dates import add_working_days, age_on, subtract_working_days
from people.models import User

from .base import Demo, at

A = Attendance.Agency
S = Attendance.Status
P = ConferenceChild.Participation
START_TIMES = ((9, 30), (10, 0), (13, 30), (14, 0))
# The demo's story, not a timescale: business support sends signed minutes out the next
# working day, by 15:00.
MINUTES_SENT_WORKING_DAYS_AFTER_SIGNING = 1
MINUTES_SENT_BY_HOUR = 15
# Who is invited: (agency, role, which households, chance invited, status weights).
INVITEES = (
    (A.SOCIAL_CARE, "Social worker", "all", 1.0, {S.ATTENDED: 1}),
    (A.SOCIAL_CARE, "Team manager", "all", 0.4, {S.ATTENDED: 7, S.APOLOGIES: 3}),
    (
        A.POLICE,
        "Public protection officer",
        "all",
        1.0,
        {S.ATTENDED: 6, S.REPORT_ONLY: 3, S.APOLOGIES: 1},
    ),
    (
        A.HEALTH_VISITOR,
        "Health visitor",
        "under_5",
        1.0,
        {S.ATTENDED: 8, S.REPORT_ONLY: 1, S.APOLOGIES: 1},
    ),
    (A.MIDWIFE, "Community midwife", "unborn", 1.0, {S.ATTENDED: 8, S.REPORT_ONLY: 2}),
    (
        A.SCHOOL,
        "Designated safeguarding lead",
        "school_age",
        1.0,
        {S.ATTENDED: 7, S.REPORT_ONLY: 3},
    ),
    (A.SCHOOL_NURSE, "School nurse", "school_age", 0.4, {S.ATTENDED: 6, S.REPORT_ONLY: 4}),
    (A.GP, "GP", "all", 0.9, {S.REPORT_ONLY: 5, S.APOLOGIES: 3, S.DID_NOT_ATTEND: 2}),
    (A.SUBSTANCE_MISUSE, "Recovery worker", "all", 0.15, {S.ATTENDED: 1}),
    (A.MENTAL_HEALTH, "Community psychiatric nurse", "all", 0.1, {S.ATTENDED: 1}),
    (A.PROBATION, "Probation officer", "all", 0.1, {S.ATTENDED: 2, S.REPORT_ONLY: 1}),
    (A.HOUSING, "Housing officer", "all", 0.1, {S.ATTENDED: 1, S.APOLOGIES: 1}),
    (A.FAMILY, "Mother", "all", 1.0, {S.ATTENDED: 9, S.DID_NOT_ATTEND: 1}),
    (A.FAMILY, "Father", "all", 0.7, {S.ATTENDED: 5, S.DID_NOT_ATTEND: 3, S.APOLOGIES: 1}),
    (A.ADVOCATE, "Independent advocate", "teen", 0.25, {S.ATTENDED: 1}),
)
NOT_AGENCIES = {A.FAMILY, A.ADVOCATE}


@dataclass
class Case:
    """A household's journey through the service, as the generator walks it."""

    household: Household
    children: list[Child]
    chair: User | None = None
    plans: dict = field(default_factory=dict)  # id(child) -> the child's open plan


@dataclass
class Booking:
    """A conference and what the generator needs of it again: the children it considers, who
    attended, the enquiry that led to it, and when it was booked."""

    conference: Conference
    rows: list[ConferenceChild]
    booked_at: datetime
    attendance: list[Attendance] = field(default_factory=list)
    enquiry: object | None = None  # the first S47Enquiry, for an initial conference


def held_on(conference: Conference) -> date:
    return timezone.localdate(conference.scheduled_for)


def book(
    demo: Demo,
    case: Case,
    kind: str,
    on: date,
    children: list[Child],
    *,
    booked_on: date,
    due_by: date | None = None,
    rearranged_from: Conference | None = None,
    delay_reason: str = "",
) -> Booking:
    """Business support books the conference and lists the children it considers (with the
    reason, for a review booked after its due date). It stores what the booking service
    stores (conferences.rules.booking_dates): when it ends, when invitations, report requests
    and reports are due, when the report reaches the parents, and `due_by`, the statutory
    date it must be held by (given for an initial conference: the enquiry's target)."""
    admin = demo.admin()
    scheduled = at(on, *demo.rng.choice(START_TIMES))
    conference = Conference(
        kind=kind,
        household=case.household,
        scheduled_for=scheduled,
        date=on,
        venue=demo.venue(case.household.district_id),
        chair=case.chair,
        minute_taker=admin,
        booked_by=admin,
        rearranged_from=rearranged_from,
        delay_reason=delay_reason,
    )
    booked_at = min(at(min(booked_on, on), 15, demo.rng.choice((0, 20, 40))), scheduled)
    dates = rules.booking_dates(
        starts_at=scheduled,
        held_on=on,
        booked_on=timezone.localdate(booked_at),
        is_review=kind == Conference.Kind.REVIEW,
        timescales=demo.timescales,
    )
    for name, value in asdict(dates).items():
        setattr(conference, name, value)
    conference.due_by = due_by or _due_by(case, kind, children, rearranged_from)
    demo.store.add(conference, when=booked_at, by=admin, reason="Conference booked")
    rows = []
    for child in children:
        plan = case.plans.get(id(child))
        due = plan.next_review_due_by if plan and kind == Conference.Kind.REVIEW else None
        row = ConferenceChild(conference=conference, child=child, review_due_on=due)
        rows.append(demo.store.add(row, when=booked_at, by=admin))
    booking = Booking(conference, rows, booked_at)
    demo.bookings.append(booking)
    return booking


def _due_by(case: Case, kind: str, children: list[Child], replaces: Conference | None):
    """The date a conference must be held by, from what is stored, as the booking service
    takes it: an adjourned conference's reconvene-by date (a rearranged one's own due date),
    else for a review the soonest of its children's plans' next review dates."""
    if replaces is not None:
        return replaces.reconvene_by or replaces.due_by
    if kind != Conference.Kind.REVIEW:
        return None
    plans = [case.plans[id(child)] for child in children if id(child) in case.plans]
    return min((plan.next_review_due_by for plan in plans), default=None)


def hold(demo: Demo, booking: Booking, outcomes: dict) -> None:
    """The chair holds the conference: attendance, quorum, paperwork and each child's outcome
    (`outcomes`: id(child) -> (outcome, category)). History: held when it ends, then the
    decision sheet and the minutes when each went out."""
    conference, day = booking.conference, held_on(booking.conference)
    ended = conference.ends_at
    booking.attendance = _attendance(demo, conference, [row.child for row in booking.rows])
    agencies = {
        row.agency
        for row in booking.attendance
        if row.status == S.ATTENDED and row.agency not in NOT_AGENCIES
    }
    for row in booking.attendance:
        demo.store.add(row, when=ended, by=conference.minute_taker)
    conference.quorate = len(agencies) >= 3
    conference.status = Conference.Status.HELD
    _report_and_deadlines(demo, conference, day)
    demo.store.change(conference, when=ended, by=conference.chair, reason="Conference held")
    for row in booking.rows:
        row.outcome, row.category = outcomes[id(row.child)]
        row.participation = _participation(demo, row.child, day)
        demo.store.change(row, when=ended, by=conference.chair, reason="Outcome recorded")
    _paperwork(demo, conference, day)


def call_off(demo: Demo, booking: Booking, status: str, reason: str, note: str) -> date:
    """An adjourned (on the day) or rearranged (in the days before) conference, with its
    reason (§6.3.1). Returns the day it was called off."""
    conference = booking.conference
    conference.status = status
    conference.adjournment_reason = reason
    conference.adjournment_note = note
    if status == Conference.Status.ADJOURNED:
        by, when = conference.chair, conference.scheduled_for + timedelta(minutes=30)
    else:
        by = demo.admin()
        when = conference.scheduled_for - timedelta(days=demo.rng.randint(1, 6), hours=1)
    when = max(when, booking.booked_at)
    if status == Conference.Status.ADJOURNED:
        conference.reconvene_by = rules.adjourned_review_reconvene_by(
            adjourned_on=timezone.localdate(when), days=demo.timescales["ADJOURNED_REVIEW_DAYS"]
        )
    demo.store.change(conference, when=when, by=by, reason=f"Conference {status}")
    return timezone.localdate(when)


def _who_is_there(children: list[Child], day: date) -> set[str]:
    ages = [age_on(child.date_of_birth, day) for child in children]
    present = {"all"}
    if any(age is None for age in ages):
        present.add("unborn")
    if any(age is None or age < 5 for age in ages):
        present.add("under_5")
    if any(age is not None and 4 <= age <= 16 for age in ages):
        present.add("school_age")
    if any(age is not None and age >= 10 for age in ages):
        present.add("teen")
    return present


def _attendance(demo: Demo, conference: Conference, children: list[Child]) -> list[Attendance]:
    """Who was invited and whether they came."""
    present = _who_is_there(children, held_on(conference))
    rows = []
    for agency, role, who, invited, weights in INVITEES:
        if who not in present or not demo.chance(invited):
            continue
        status = demo.rng.choices(list(weights), weights=list(weights.values()))[0]
        rows.append(Attendance(conference=conference, agency=agency, role=role, status=status))
    return rows


def _participation(demo: Demo, child: Child, day: date) -> str:
    age = age_on(child.date_of_birth, day)
    if age is None:
        return P.NOT_RECORDED
    if age < 8:
        return demo.rng.choices((P.NONE, P.THROUGH_SOCIAL_WORKER, P.PICTURE), (5, 4, 1))[0]
    modes = (P.ATTENDED, P.ADVOCATE, P.LETTER_OR_TEXT, P.PICTURE, P.THROUGH_SOCIAL_WORKER, P.NONE)
    return demo.rng.choices(modes, (15, 10, 15, 5, 40, 15))[0]


def _report_and_deadlines(demo: Demo, conference: Conference, day: date) -> None:
    """The report shared with parents (mostly on time, some late, a few never), and the
    paperwork's deadlines, stored beside each timestamp (style.md rule 2)."""
    rng = demo.rng
    conference.decision_sheet_due_by, conference.minutes_due_by = rules.paperwork_due(
        held_on=day, timescales=demo.timescales
    )
    roll = rng.random()
    if roll < 0.7:
        conference.report_shared_at = conference.report_share_due_by - timedelta(
            hours=rng.randint(2, 96)
        )
    elif roll < 0.92:
        conference.report_shared_at = conference.scheduled_for - timedelta(hours=rng.randint(1, 20))


def _paperwork(demo: Demo, conference: Conference, day: date) -> None:
    """Decision sheet and minutes: mostly on time, some late, recent ones not yet done (each
    drawn around its stored deadline). Each is a change in the conference's history when it
    went out."""
    rng, admin = demo.rng, conference.minute_taker
    sheet_due, minutes_due = conference.decision_sheet_due_by, conference.minutes_due_by
    # Most the same day; the rest by the deadline, or a working day or two after it.
    sheet_on = (
        day if rng.random() < 0.6 else add_working_days(sheet_due, rng.choice((0, 0, 0, 1, 2)))
    )
    conference.decision_sheet_distributed_at = _done(demo, sheet_on, 17)
    if conference.decision_sheet_distributed_at:
        demo.store.change(
            conference,
            when=conference.decision_sheet_distributed_at,
            by=admin,
            reason="Decision sheet distributed",
        )
    # Signed off up to two weeks before the deadline (so distributed by it), or up to two late.
    if rng.random() < 0.85:
        signed_on = max(day, subtract_working_days(minutes_due, rng.randint(1, 10)))
    else:
        signed_on = add_working_days(minutes_due, rng.randint(1, 10))
    conference.minutes_signed_off_at = _done(demo, signed_on, 11)
    if conference.minutes_signed_off_at:
        conference.minutes_distributed_at = _done(
            demo,
            add_working_days(signed_on, MINUTES_SENT_WORKING_DAYS_AFTER_SIGNING),
            MINUTES_SENT_BY_HOUR,
        )
        demo.store.change(
            conference,
            when=conference.minutes_distributed_at or conference.minutes_signed_off_at,
            by=admin,
            reason="Minutes signed off",
        )


def _done(demo: Demo, day: date, hour: int):
    """A timestamp on `day`, or None if that day has not yet come."""
    return at(day, hour, demo.rng.choice((0, 15, 30, 45))) if day < demo.today else None
