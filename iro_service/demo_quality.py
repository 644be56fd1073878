"""The demo's chair's QA forms, escalations and parent/carer feedback (quality-assurance.md)."""

from datetime import date, timedelta

from django.utils import timezone

from conferences.models import Attendance, Conference
from iro_service.dates import add_working_days
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm, YesPartlyNo

from .demo_base import Demo, at, record
from .demo_conferences import held_on
from .demo_names import CONCERNS, FEEDBACK_COMMENTS, OUTCOMES

QA_FORMS = 20
FEEDBACK_RETURNS = 24
DIRECT_ESCALATIONS = 2
# The yes / partly / no questions of the questionnaire (quality-assurance.md).
FEEDBACK_QUESTIONS = (
    "met_chair_before",
    "prepared_by_chair",
    "chaired_clearly_and_respectfully",
    "could_express_views",
    "could_discuss_views",
    "clear_what_must_change",
    "complaints_process_explained",
    "spoke_to_chair_after",
)


def create_quality_records(demo: Demo) -> None:
    recent = _held_since(demo, demo.today - timedelta(days=120))
    for conference in sorted(
        demo.rng.sample(recent, min(QA_FORMS, len(recent))), key=lambda c: (c.scheduled_for, c.id)
    ):
        form = _qa_form(demo, conference)
        if form.escalation_needed:
            _escalation(demo, conference, timezone.localdate(form.completed_at), qa_form=form)
    older = _held_since(demo, demo.today - timedelta(days=400))
    earlier = older[: len(older) // 2]
    for conference in demo.rng.sample(earlier, min(DIRECT_ESCALATIONS, len(earlier))):
        _escalation(demo, conference, add_working_days(held_on(conference), 3))
    for conference in demo.rng.sample(older, min(FEEDBACK_RETURNS, len(older))):
        _feedback(demo, conference)


def _held_since(demo: Demo, since: date) -> list[Conference]:
    return list(
        Conference.objects.filter(
            status=Conference.Status.HELD,
            scheduled_for__date__gte=since,
            scheduled_for__date__lt=demo.today,
        )
        .select_related("chair", "household")
        .order_by("scheduled_for", "id")
    )


def _qa_form(demo: Demo, conference: Conference) -> QAForm:
    day, initial = held_on(conference), conference.is_initial
    completed_on = min(day + timedelta(days=demo.rng.randint(0, 3)), demo.today - timedelta(days=1))
    parents = conference.attendance.filter(
        agency=Attendance.Agency.FAMILY, status=Attendance.Status.ATTENDED
    ).exists()
    form = QAForm(
        conference=conference,
        completed_by=conference.chair,
        completed_at=at(completed_on, 17),
        s47_completed_before_conference=_yes_no(demo, 0.8) if initial else "na",
        assessment_updated="na" if initial else _yes_no(demo, 0.75),
        held_within_timescale=_within_timescale(conference, day),
        report_quality=demo.rng.choices(list(QAForm.ReportQuality), (3, 5, 2))[0],
        report_analyses_impact=demo.chance(0.6),
        plan_outcome_focused=_yes_no(demo, 0.7),
        report_shared_in_time=_yes_no_bool(_report_in_time(conference)),
        core_groups_monthly="na" if initial else _yes_no(demo, 0.8),
        visits_within_timescale="na" if initial else _yes_no(demo, 0.8),
        parents_attended=parents,
        parent_contribution=demo.rng.choice(("active", "active", "passive")) if parents else "none",
        plan_copy_given=_yes_no(demo, 0.9),
        good_practice_observed=demo.chance(0.3),
        escalation_needed=demo.chance(0.25),
    )
    if form.good_practice_observed:
        form.good_practice_note = "Clear, analytical report; the child's own words were used."
    return record(form, by=conference.chair, reason="QA form completed")


def _yes_no(demo: Demo, chance_yes: float) -> str:
    return _yes_no_bool(demo.chance(chance_yes))


def _yes_no_bool(value: bool) -> str:
    return "yes" if value else "no"


def _report_in_time(conference: Conference) -> bool:
    shared = conference.report_shared_at
    return shared is not None and shared <= conference.report_share_due_by


def _within_timescale(conference: Conference, day: date) -> str:
    if conference.kind not in (Conference.Kind.INITIAL, Conference.Kind.PRE_BIRTH_INITIAL):
        return "na"
    enquiry = conference.enquiries.order_by("id").first()
    if enquiry is None:
        return "na"
    return _yes_no_bool(day <= enquiry.initial_conference_due_by)


def _escalation(demo: Demo, conference: Conference, raised_on: date, qa_form=None) -> None:
    """Raised by the chair; the deadline runs from when it reached its level (5 working days)."""
    per_level = demo.timescales["ESCALATION_LEVEL_WORKING_DAYS"]
    child = conference.child_outcomes.select_related("child").order_by("id").first().child
    level, reached = _level_reached(demo, raised_on, per_level)
    due = add_working_days(reached, per_level)
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
        level=level,
        level_reached_on=reached,
        response_due_by=due,
    )
    if due < demo.today - timedelta(days=3) and demo.chance(0.7):
        escalation.status = Escalation.Status.RESOLVED
        escalation.resolved_on = min(
            add_working_days(reached, demo.rng.randint(1, per_level + 2)),
            demo.today - timedelta(days=1),
        )
        escalation.outcome = demo.rng.choice(OUTCOMES)
    record(escalation, by=conference.chair, reason="Escalation raised")


def _level_reached(demo: Demo, raised_on: date, per_level: int) -> tuple[int, date]:
    """Some escalations went unanswered and moved up a level each time a deadline passed."""
    level = demo.rng.choices((1, 2, 3), (5, 3, 2))[0]
    while level > 1 and add_working_days(raised_on, (level - 1) * per_level) >= demo.today:
        level -= 1
    return level, add_working_days(raised_on, (level - 1) * per_level)


def _feedback(demo: Demo, conference: Conference) -> None:
    received = held_on(conference) + timedelta(days=demo.rng.randint(1, 21))
    if received >= demo.today:
        return
    paper = demo.chance(0.6)
    admin = demo.admin() if paper else None
    record(
        FeedbackQuestionnaire(
            conference=conference,
            received_on=received,
            entered_by=admin,
            respondent=demo.rng.choices(list(FeedbackQuestionnaire.Respondent), (12, 5, 3, 1))[0],
            source=FeedbackQuestionnaire.Source.PAPER
            if paper
            else FeedbackQuestionnaire.Source.ONLINE,
            report_received_in_time=YesPartlyNo.YES
            if _report_in_time(conference)
            else YesPartlyNo.NO,
            stress_level=demo.rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 4, 3))[0],
            comments=demo.rng.choice(FEEDBACK_COMMENTS),
            **{question: _answer(demo) for question in FEEDBACK_QUESTIONS},
        ),
        by=admin,
        reason="Feedback received",
    )


def _answer(demo: Demo) -> str:
    return demo.rng.choices(list(YesPartlyNo), (7, 2, 1))[0]
