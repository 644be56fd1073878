"""The demo's chair's QA forms, escalations and parent/carer feedback (quality-assurance.md)."""

from datetime import date, timedelta
from functools import partial

from django.utils import timezone

from conferences.models import Attendance, Conference
from devdata.qa_answers import qa_answers
from iro_service.dates import add_working_days
from quality_assurance import questions as questionnaire
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm, YesPartlyNo
from quality_assurance.rules import escalation_response_due_by

from .base import Demo, at
from .bookings import Booking, held_on
from .names import CONCERNS, FEEDBACK_COMMENTS, OUTCOMES

# Over the last two years, chairs completed a QA form after about 65% of conferences at
# first, rising to 90% lately; one form in twelve raised an escalation; about one conference
# in seven had a parent's or carer's questionnaire back.
QA_YEARS = 2
QA_FIRST, QA_LATEST = 0.65, 0.9
ESCALATION_FROM_QA = 0.08
FEEDBACK_RETURN = 0.15
# How the demo invents the QA answers it does not take from the record (devdata.qa_answers):
# the chance of yes, or each answer's weight. Whether the initial conference was in time, the
# report shared in time and the parents there come from the conference's own record.
QA_SHARES = {
    "s47_completed_before_conference": 0.8,
    "assessment_updated": 0.75,
    "report_quality": {"good": 3, "adequate": 5, "inadequate": 2},
    "report_analyses_impact": 0.6,
    "plan_outcome_focused": 0.7,
    "core_groups_monthly": 0.8,
    "visits_within_timescale": 0.8,
    "parent_contribution": {"active": 2, "passive": 1},  # "none" when they did not attend
    "plan_copy_given": 0.9,
    "good_practice_observed": 0.3,
    "escalation_needed": ESCALATION_FROM_QA,
}
DIRECT_ESCALATIONS = 16  # at scale 1.0, over the last 15 months
DIRECT_ESCALATION_WORKING_DAYS = 3  # raised this long after the conference
# The yes / partly / no questions of the questionnaire (quality-assurance.md).
FEEDBACK_QUESTIONS = tuple(
    # Whether the report came in time is worked out from the conference's own record.
    q
    for q in questionnaire.FEEDBACK_QUESTIONS
    if q != "report_received_in_time"
)


def create_quality_records(demo: Demo) -> None:
    days = 365 * QA_YEARS
    recent = _held_since(demo, demo.today - timedelta(days=days))
    for booking in recent:
        age = (demo.today - held_on(booking.conference)).days
        if demo.chance(QA_LATEST - (QA_LATEST - QA_FIRST) * age / days):
            form = _qa_form(demo, booking)
            if form.escalation_needed:
                _escalation(demo, booking, timezone.localdate(form.completed_at), qa_form=form)
    # Some are raised straight after a conference, not from a QA form.
    direct = []
    for booking in _held_since(demo, demo.today - timedelta(days=450)):
        raised_on = add_working_days(held_on(booking.conference), DIRECT_ESCALATION_WORKING_DAYS)
        if raised_on < demo.today:
            direct.append((booking, raised_on))
    for booking, raised_on in demo.rng.sample(
        direct, min(demo.scaled(DIRECT_ESCALATIONS), len(direct))
    ):
        _escalation(demo, booking, raised_on)
    for booking in recent:
        if demo.chance(FEEDBACK_RETURN):
            _feedback(demo, booking)


def _held_since(demo: Demo, since: date) -> list[Booking]:
    held = [
        booking
        for booking in demo.bookings
        if booking.conference.status == Conference.Status.HELD
        and since <= held_on(booking.conference) < demo.today
    ]
    return sorted(held, key=lambda booking: booking.conference.scheduled_for)


def _qa_form(demo: Demo, booking: Booking) -> QAForm:
    conference = booking.conference
    day = held_on(conference)
    completed_on = min(day + timedelta(days=demo.rng.randint(0, 3)), demo.today - timedelta(days=1))
    parents = any(
        row.agency == Attendance.Agency.FAMILY and row.status == Attendance.Status.ATTENDED
        for row in booking.attendance
    )
    known = {
        "held_within_timescale": _within_timescale(booking, day),
        "report_shared_in_time": _yes_no_bool(_report_in_time(conference)),
        "parents_attended": parents,
    }
    form = QAForm(
        conference=conference,
        completed_by=conference.chair,
        completed_at=max(at(completed_on, 17), conference.ends_at + timedelta(hours=1)),
        **qa_answers(demo.rng, QA_SHARES, initial=conference.is_initial, known=known),
    )
    if form.good_practice_observed:
        form.good_practice_note = "Clear, analytical report; the child's own words were used."
    return demo.store.add(
        form, when=form.completed_at, by=conference.chair, reason="QA form completed"
    )


def _yes_no_bool(value: bool) -> str:
    return "yes" if value else "no"


def _report_in_time(conference: Conference) -> bool:
    shared = conference.report_shared_at
    return shared is not None and shared <= conference.report_share_due_by


def _within_timescale(booking: Booking, day: date) -> str:
    if booking.conference.kind not in (Conference.Kind.INITIAL, Conference.Kind.PRE_BIRTH_INITIAL):
        return "na"
    if booking.enquiry is None:
        return "na"
    return _yes_no_bool(day <= booking.enquiry.initial_conference_due_by)


def _escalation(demo: Demo, booking: Booking, raised_on: date, qa_form=None) -> None:
    """Raised by the chair; unanswered, it moves up a level each time its deadline passes
    (5 working days a level), each move a change in its history; most are resolved."""
    per_level = demo.timescales["ESCALATION_LEVEL_WORKING_DAYS"]
    due_after = partial(escalation_response_due_by, working_days=per_level)
    conference = booking.conference
    child = booking.rows[0].child
    theme = demo.rng.choice(list(CONCERNS))
    escalation = Escalation(
        child=child,
        district=child.district,
        conference=conference,
        qa_form=qa_form,
        raised_by=conference.chair,
        raised_on=raised_on,
        theme=theme,
        concern=CONCERNS[theme],
        level=1,
        level_reached_on=raised_on,
        response_due_by=due_after(level_reached_on=raised_on),
    )
    demo.store.add(escalation, when=at(raised_on, 16), by=conference.chair, reason="Raised")
    for level in range(2, demo.rng.choices((1, 2, 3), (5, 3, 2))[0] + 1):
        reached = escalation.response_due_by
        if reached >= demo.today:
            break
        escalation.level, escalation.level_reached_on = level, reached
        escalation.response_due_by = due_after(level_reached_on=reached)
        demo.store.change(escalation, when=at(reached, 7), by=None, reason="Deadline passed")
    reached, due = escalation.level_reached_on, escalation.response_due_by
    if due < demo.today - timedelta(days=3) and demo.chance(0.7):
        escalation.status = Escalation.Status.RESOLVED
        escalation.resolved_on = min(
            add_working_days(reached, demo.rng.randint(1, per_level + 2)),
            demo.today - timedelta(days=1),
        )
        escalation.outcome = demo.rng.choice(OUTCOMES)
        demo.store.change(
            escalation, when=at(escalation.resolved_on, 15), by=conference.chair, reason="Resolved"
        )


def _feedback(demo: Demo, booking: Booking) -> None:
    conference = booking.conference
    received = held_on(conference) + timedelta(days=demo.rng.randint(1, 21))
    if received >= demo.today:
        return
    paper = demo.chance(0.6)
    admin = demo.admin() if paper else None
    answers = FeedbackQuestionnaire(
        conference=conference,
        received_on=received,
        entered_by=admin,
        respondent=demo.rng.choices(list(FeedbackQuestionnaire.Respondent), (12, 5, 3, 1))[0],
        source=FeedbackQuestionnaire.Source.PAPER if paper else FeedbackQuestionnaire.Source.ONLINE,
        report_received_in_time=YesPartlyNo.YES if _report_in_time(conference) else YesPartlyNo.NO,
        stress_level=demo.rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 4, 3))[0],
        comments=demo.rng.choice(FEEDBACK_COMMENTS),
        **{question: _answer(demo) for question in FEEDBACK_QUESTIONS},
    )
    demo.store.add(answers, when=at(received, 12), by=admin, reason="Feedback received")


def _answer(demo: Demo) -> str:
    return demo.rng.choices(list(YesPartlyNo), (7, 2, 1))[0]
