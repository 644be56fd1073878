"""Paperwork timestamps, attendance, the chair's QA forms (§7.2), escalations and parent/carer
questionnaires (§7.3), for the conferences built in build.py."""

import random
from datetime import datetime, timedelta

from django.conf import settings

from conferences import rules
from conferences.models import Attendance, Conference, ConferenceChild
from devdata.qa_answers import qa_answers
from iro_service.dates import add_working_days, age_on, subtract_working_days
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from quality_assurance.questions import FEEDBACK_QUESTIONS
from quality_assurance.rules import escalation_response_due_by

from .calendar import at, month_end, month_of, month_start
from .targets import (
    FEEDBACK,
    QA_CHILDREN_OVER_TEN_PARTICIPATED,
    QA_FORMS,
    QA_FROM,
    QA_PARENTS_ATTENDED,
    QA_REPORT_SHARED_IN_TIME,
    YEAR_END,
)

A, AS = Attendance.Agency, Attendance.Status
PART = ConferenceChild.Participation
SNAPSHOT = at(YEAR_END, 23, 0)  # the records are as they stood at the end of the year
# Share of decision sheets out within a working day, by month (§5.4: dropping in later months).
DECISION_SHEET_ON_TIME = {1: 0.94, 2: 0.94, 3: 0.93, 4: 0.93, 5: 0.93, 6: 0.92, 7: 0.92,
                          8: 0.91, 9: 0.9, 10: 0.86, 11: 0.83, 12: 0.8}  # fmt: skip
# How the sample invents the QA answers the report gives no figure for (devdata.qa_answers):
# the chance of yes, or each answer's weight.
QA_SHARES = {
    "s47_completed_before_conference": 1.0,  # yes at every initial conference
    "assessment_updated": 0.55,
    "report_quality": {"good": 30, "adequate": 50, "inadequate": 20},
    "report_analyses_impact": 0.35,
    "plan_outcome_focused": 0.4,
    "core_groups_monthly": 0.78,
    "visits_within_timescale": 0.72,
    "parent_contribution": {"active": 1, "passive": 2},  # "none" when they did not attend
    "plan_copy_given": 0.94,
    "good_practice_observed": 0.45,
    "escalation_needed": 0.12,
}


def paperwork(rng: random.Random, conference: Conference) -> None:
    """Report sharing, decision sheet and minutes, each with its stored deadline (the rules,
    with the timescale settings)."""
    timescales = settings.IRO_TIMESCALES
    review = conference.kind == Conference.Kind.REVIEW
    hours = timescales["REPORT_SHARED_HOURS_REVIEW" if review else "REPORT_SHARED_HOURS_INITIAL"]
    conference.report_share_due_by = rules.report_share_due_by(
        conference_at=conference.scheduled_for, hours_before=hours
    )
    conference.decision_sheet_due_by, conference.minutes_due_by = rules.paperwork_due(
        held_on=conference.date, timescales=timescales
    )
    early = rng.random() < 0.45
    shift = timedelta(hours=rng.randint(2, 96) if early else -rng.randint(1, 40))
    conference.report_shared_at = conference.report_share_due_by - shift
    on_time = rng.random() < DECISION_SHEET_ON_TIME.get(_month(conference), 0.95)
    sent = (
        conference.decision_sheet_due_by
        if on_time
        else add_working_days(conference.decision_sheet_due_by, rng.randint(1, 4))
    )
    conference.decision_sheet_distributed_at = _before_snapshot(at(sent, 16, 0))
    if rng.random() < DECISION_SHEET_ON_TIME.get(_month(conference), 0.95) - 0.1:
        signed = max(
            conference.date, subtract_working_days(conference.minutes_due_by, rng.randint(1, 9))
        )
    else:
        signed = add_working_days(conference.minutes_due_by, rng.randint(2, 12))
    conference.minutes_signed_off_at = _before_snapshot(at(signed, 12, 0))
    conference.minutes_distributed_at = _before_snapshot(at(signed, 15, 30))


def _month(conference: Conference) -> int:
    return month_of(conference.date)


def _before_snapshot(moment: datetime) -> datetime | None:
    return moment if moment <= SNAPSHOT else None


def attendance(rng: random.Random, conference: Conference, ages: list, parents: bool) -> list:
    rows = [
        (A.SOCIAL_CARE, "Social worker", AS.ATTENDED),
        (A.POLICE, "Public protection unit officer", rng.choice((AS.ATTENDED, AS.REPORT_ONLY))),
    ]
    if any(a is None or a < 5 for a in ages):
        rows.append((A.HEALTH_VISITOR, "Health visitor", AS.ATTENDED))
    if any(a is not None and a >= 4 for a in ages):
        rows.append((A.SCHOOL, "Designated safeguarding lead", AS.ATTENDED))
    if not ages or all(a is not None and a < 4 for a in ages):
        rows.append((A.GP, "GP", AS.REPORT_ONLY))
    rows.append((A.FAMILY, "Mother", AS.ATTENDED if parents else AS.DID_NOT_ATTEND))
    return [Attendance(conference=conference, agency=a, role=r, status=s) for a, r, s in rows]


def qa_forms(rng: random.Random, conferences: list, considered: list, on_time: dict) -> list:
    """174 forms on conferences held 1 January to 31 March 2012; 50 reports shared in time,
    160 with parents attending, and five children over ten taking part."""
    quarter = [c for c in conferences if QA_FROM <= c.date <= YEAR_END]
    chosen = rng.sample(quarter, QA_FORMS)
    shared = set(rng.sample(range(QA_FORMS), QA_REPORT_SHARED_IN_TIME))
    absent = set(rng.sample(range(QA_FORMS), QA_FORMS - QA_PARENTS_ATTENDED))
    forms = []
    for index, conference in enumerate(chosen):
        form = _form(rng, conference, index in shared, index not in absent, on_time)
        _share_report(conference, in_time=index in shared)
        forms.append(form)
    _children_over_ten(rng, {id(c) for c in chosen}, considered)
    return forms


def _form(rng, conference: Conference, shared: bool, parents: bool, on_time: dict) -> QAForm:
    initial = conference.is_initial
    completed = min(at(conference.date + timedelta(days=rng.randint(0, 6)), 17, 0), SNAPSHOT)
    # The report's targeted figures (targets.py) and the conference's own timing, as they are.
    known = {"report_shared_in_time": "yes" if shared else "no", "parents_attended": parents}
    if initial:
        known["held_within_timescale"] = "yes" if on_time.get(id(conference), True) else "no"
    form = QAForm(
        conference=conference,
        completed_by=conference.chair,
        completed_at=max(completed, conference.scheduled_for + timedelta(hours=3)),
        **qa_answers(rng, QA_SHARES, initial=initial, known=known),
    )
    if form.good_practice_observed:
        form.good_practice_note = "Child-centred work and sensitive engagement with the family."
    return form


def _share_report(conference: Conference, *, in_time: bool) -> None:
    due = conference.report_share_due_by
    conference.report_shared_at = due - timedelta(hours=6) if in_time else due + timedelta(hours=20)


def _children_over_ten(rng: random.Random, chosen: set, considered: list) -> None:
    over_ten = [
        row
        for row in considered
        if id(row.conference) in chosen
        and (age_on(row.child.date_of_birth, row.conference.date) or 0) > 10
    ]
    took_part = set(rng.sample(range(len(over_ten)), QA_CHILDREN_OVER_TEN_PARTICIPATED))
    modes = iter((PART.ATTENDED, PART.ADVOCATE, PART.ATTENDED, PART.LETTER_OR_TEXT, PART.ATTENDED))
    for index, row in enumerate(over_ten):
        row.participation = next(modes) if index in took_part else PART.NONE


def escalations(rng: random.Random, forms: list, considered_by_conference: dict) -> list:
    made = []
    for form in forms:
        if not form.escalation_needed:
            continue
        conference = form.conference
        child = considered_by_conference[id(conference)][0].child
        raised = conference.date + timedelta(days=rng.randint(1, 5))
        resolved = raised + timedelta(days=rng.randint(3, 20))
        done = resolved <= YEAR_END
        made.append(
            Escalation(
                child=child,
                district=child.district,
                conference=conference,
                qa_form=form,
                raised_by=conference.chair,
                raised_on=raised,
                theme=rng.choice(("plan_quality", "plan_drift", "assessment", "core_groups")),
                concern="Outstanding tasks from the plan not progressed; raised with the team manager.",
                level=Escalation.Level.TEAM_MANAGER,
                level_reached_on=raised,
                response_due_by=escalation_response_due_by(
                    level_reached_on=raised,
                    working_days=settings.IRO_TIMESCALES["ESCALATION_LEVEL_WORKING_DAYS"],
                ),
                status="resolved" if done else "open",
                outcome="Tasks allocated and timescales agreed." if done else "",
                resolved_on=resolved if done else None,
            )
        )
    return made


def feedback(rng: random.Random, conferences: list, clerks: dict) -> list:
    """The monthly returns of §7.3: received in the month of the conference they are about."""
    made = []
    for month, counts in enumerate(FEEDBACK, start=1):
        last = month_end(month)
        for kind, count in zip(
            (Conference.Kind.INITIAL, Conference.Kind.REVIEW), counts, strict=True
        ):
            pool = [
                c
                for c in conferences
                if c.kind == kind and month_start(month) <= c.date <= last - timedelta(days=2)
            ]
            for conference in rng.sample(pool, count):
                made.append(_questionnaire(rng, conference, last, clerks))
    return made


# How often each question of the questionnaire (quality_assurance.questions) is answered yes,
# out of 100; asked in the list's order, so the same seed gives the same answers.
FEEDBACK_YES_SHARE = {
    "met_chair_before": 70,
    "report_received_in_time": 45,
    "prepared_by_chair": 65,
    "chaired_clearly_and_respectfully": 85,
    "could_express_views": 80,
    "could_discuss_views": 75,
    "clear_what_must_change": 78,
    "complaints_process_explained": 60,
    "spoke_to_chair_after": 55,
}
assert set(FEEDBACK_YES_SHARE) == set(FEEDBACK_QUESTIONS)


def _questionnaire(rng, conference: Conference, last, clerks) -> FeedbackQuestionnaire:
    received = conference.date + timedelta(
        days=rng.randint(1, min(14, (last - conference.date).days))
    )
    paper = rng.random() < 0.7

    def answer(yes: int) -> str:
        return rng.choices(("yes", "partly", "no"), (yes, 100 - yes - 8, 8))[0]

    return FeedbackQuestionnaire(
        conference=conference,
        respondent=rng.choices(("mother", "father", "carer", "other"), (60, 25, 10, 5))[0],
        source="paper" if paper else "online",
        received_on=received,
        entered_by=clerks[_district_code(conference, clerks)] if paper else None,
        **{q: answer(FEEDBACK_YES_SHARE[q]) for q in FEEDBACK_QUESTIONS},
        stress_level=rng.choices((1, 2, 3, 4, 5), (5, 15, 30, 30, 20))[0],
    )


def _district_code(conference: Conference, clerks: dict) -> str:
    return next(code for code, clerk in clerks.items() if clerk == conference.minute_taker)
