"""Booking, holding, adjourning and rearranging the demo's conferences (demo_cases.py)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from children.models import Child, Household
from conferences import rules
from conferences.models import Attendance, Conference, ConferenceChild
from iro_service.dates import add_working_days
from people.models import User

from .demo_base import Demo, age_on, at, record, record_many

A = Attendance.Agency
S = Attendance.Status
P = ConferenceChild.Participation
START_TIMES = ((9, 30), (10, 0), (13, 30), (14, 0))
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
    chair: User
    plans: dict = field(default_factory=dict)  # child id -> the child's open plan


def held_on(conference: Conference) -> date:
    return timezone.localdate(conference.scheduled_for)


def book(
    demo: Demo,
    case: Case,
    kind: str,
    on: date,
    children: list[Child],
    *,
    rearranged_from: Conference | None = None,
) -> Conference:
    """Business support books the conference and lists the children it considers."""
    admin = demo.admin()
    scheduled = at(on, *demo.rng.choice(START_TIMES))
    conference = Conference(
        kind=kind,
        household=case.household,
        scheduled_for=scheduled,
        venue=demo.venue(case.household.district_id),
        chair=case.chair,
        minute_taker=admin,
        booked_by=admin,
        rearranged_from=rearranged_from,
        report_share_due_by=rules.report_share_due_by(
            conference_at=scheduled, hours_before=_report_hours(demo, kind)
        ),
    )
    # Quorum is unknown until it is held, but the field lacks blank=True: full_clean would
    # refuse its None.
    record(conference, by=admin, reason="Conference booked", exclude=("quorate",))
    for child in children:
        plan = case.plans.get(child.id)
        due = plan.next_review_due_by if plan and kind == Conference.Kind.REVIEW else None
        record(ConferenceChild(conference=conference, child=child, review_due_on=due), by=admin)
    return conference


def _report_hours(demo: Demo, kind: str) -> int:
    """Reports reach parents 24 h before an initial conference, 48 h before a review (§9.4)."""
    if kind == Conference.Kind.REVIEW:
        return demo.timescales["REPORT_SHARED_HOURS_REVIEW"]
    return demo.timescales["REPORT_SHARED_HOURS_INITIAL"]


def hold(demo: Demo, conference: Conference, outcomes: dict) -> None:
    """The chair holds the conference: attendance, quorum, paperwork and each child's outcome."""
    day = held_on(conference)
    rows = list(conference.child_outcomes.select_related("child").order_by("id"))
    conference.quorate = _record_attendance(demo, conference, [row.child for row in rows]) >= 3
    conference.status = Conference.Status.HELD
    _paperwork(demo, conference, day)
    record(conference, by=conference.chair, reason="Conference held")
    for row in rows:
        row.outcome, row.category = outcomes[row.child_id]
        row.participation = _participation(demo, row.child, day)
        record(row, by=conference.chair, reason="Outcome recorded")


def call_off(demo: Demo, conference: Conference, status: str, reason: str, note: str) -> None:
    """An adjourned or rearranged conference, with its reason (§6.3.1)."""
    conference.status = status
    conference.adjournment_reason = reason
    conference.adjournment_note = note
    by = conference.chair if status == Conference.Status.ADJOURNED else demo.admin()
    record(conference, by=by, reason=f"Conference {status}", exclude=("quorate",))


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


def _record_attendance(demo: Demo, conference: Conference, children: list[Child]) -> int:
    """Record who was invited and whether they came; returns the agencies that attended."""
    present = _who_is_there(children, held_on(conference))
    agencies, rows = set(), []
    for agency, role, who, invited, weights in INVITEES:
        if who not in present or not demo.chance(invited):
            continue
        status = demo.rng.choices(list(weights), weights=list(weights.values()))[0]
        rows.append(Attendance(conference=conference, agency=agency, role=role, status=status))
        if status == S.ATTENDED and agency not in NOT_AGENCIES:
            agencies.add(agency)
    record_many(Attendance, rows, by=conference.minute_taker)
    return len(agencies)


def _participation(demo: Demo, child: Child, day: date) -> str:
    age = age_on(child.date_of_birth, day)
    if age is None:
        return P.NOT_RECORDED
    if age < 8:
        return demo.rng.choices((P.NONE, P.THROUGH_SOCIAL_WORKER, P.PICTURE), (5, 4, 1))[0]
    modes = (P.ATTENDED, P.ADVOCATE, P.LETTER_OR_TEXT, P.PICTURE, P.THROUGH_SOCIAL_WORKER, P.NONE)
    return demo.rng.choices(modes, (15, 10, 15, 5, 40, 15))[0]


def _paperwork(demo: Demo, conference: Conference, day: date) -> None:
    """Report shared, decision sheet and minutes: mostly on time, some late, recent ones not
    yet done. Deadlines are stored beside each timestamp (style.md rule 2)."""
    timescales, rng = demo.timescales, demo.rng
    conference.decision_sheet_due_by = rules.decision_sheet_due_by(
        held_on=day, working_days=timescales["DECISION_SHEET_WORKING_DAYS"]
    )
    conference.minutes_due_by = rules.minutes_due_by(
        held_on=day, working_days=timescales["MINUTES_WORKING_DAYS"]
    )
    roll = rng.random()
    if roll < 0.7:
        conference.report_shared_at = conference.report_share_due_by - timedelta(
            hours=rng.randint(2, 96)
        )
    elif roll < 0.92:
        conference.report_shared_at = conference.scheduled_for - timedelta(hours=rng.randint(1, 20))
    sheet_on = day if rng.random() < 0.6 else add_working_days(day, rng.choice((1, 1, 1, 2, 3)))
    conference.decision_sheet_distributed_at = _done(demo, sheet_on, 16)
    signed_on = add_working_days(
        day, rng.randint(5, 14) if rng.random() < 0.85 else rng.randint(16, 25)
    )
    conference.minutes_signed_off_at = _done(demo, signed_on, 11)
    if conference.minutes_signed_off_at:
        conference.minutes_distributed_at = _done(demo, add_working_days(signed_on, 1), 15)


def _done(demo: Demo, day: date, hour: int):
    """A timestamp on `day`, or None if that day has not yet come."""
    return at(day, hour, demo.rng.choice((0, 15, 30, 45))) if day < demo.today else None
