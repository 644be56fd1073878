"""The chair's QA form service: what it pre-fills from hand-built records, drafts, completion,
refusals with nothing saved, history kept, and the QA completion measure following it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conferences.models import Attendance, Conference, ConferenceChild, S47Enquiry
from people.models import Role
from plans.models import CoreGroupMeeting, ProtectionVisit
from quality_assurance import questions
from quality_assurance.models import QAForm
from quality_assurance.services import qa_forms as service
from reporting.metrics import quality as metrics
from reporting.metrics.periods import Period
from tests.factories import (
    LONDON,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

REVIEW_ON = dt.date(2026, 11, 2)  # a Monday
INITIAL_ON = dt.date(2026, 8, 3)  # the plans started here, three months before
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=LONDON)
P = ConferenceChild.Participation

# The answers a chair gives on a typical review (the pre-filled ones come from the record).
REVIEW_ANSWERS = {
    "assessment_updated": "yes",
    "report_quality": "good",
    "report_analyses_impact": "yes",
    "plan_outcome_focused": "yes",
    "parent_contribution": "active",
    "plan_copy_given": "yes",
    "good_practice_observed": "no",
    "escalation_needed": "no",
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def household_conference(world, *, kind, on: dt.date, children, chair=None, **fields):
    conference = ConferenceFactory(
        household=world.child.household,
        kind=kind,
        status=Conference.Status.HELD,
        scheduled_for=at(on),
        chair=chair or world.users[Role.IRO],
        **fields,
    )
    for child, participation in children:
        ConferenceChildFactory(conference=conference, child=child, participation=participation)
    return conference


def held_review(
    world,
    *,
    core_groups=(dt.date(2026, 8, 14), dt.date(2026, 9, 11), dt.date(2026, 10, 9)),
    visits=None,
    parent_status=Attendance.Status.ATTENDED,
    shared_hours_early=60,
    plans=True,
    chair=None,
):
    """A household's review on 2 November 2026, three months after the initial conference
    that started both children's plans: monthly core groups, weekly visits, a parent present,
    the report shared 60 hours before (48 were needed)."""
    robin, sky = world.child, world.sibling
    robin.date_of_birth, sky.date_of_birth = dt.date(2014, 5, 1), dt.date(2019, 12, 1)
    robin.save(update_fields=["date_of_birth"])
    sky.save(update_fields=["date_of_birth"])
    household_conference(
        world,
        kind=Conference.Kind.INITIAL,
        on=INITIAL_ON,
        children=[(robin, P.ATTENDED), (sky, P.NONE)],
        chair=chair,
    )
    due = at(REVIEW_ON) - dt.timedelta(hours=48)
    review = household_conference(
        world,
        kind=Conference.Kind.REVIEW,
        on=REVIEW_ON,
        children=[(robin, P.ADVOCATE), (sky, P.NONE)],
        report_share_due_by=due,
        report_shared_at=due - dt.timedelta(hours=shared_hours_early - 48),
        chair=chair,
    )
    if parent_status:
        Attendance.objects.create(
            conference=review,
            name="Mo Parent",
            agency=Attendance.Agency.FAMILY,
            role="Mother",
            status=parent_status,
        )
    Attendance.objects.create(
        conference=review,
        name="Sam Social",
        agency=Attendance.Agency.SOCIAL_CARE,
        role="Social worker",
        status=Attendance.Status.ATTENDED,
    )
    if plans:
        visits = (
            visits if visits is not None else weekly(dt.date(2026, 8, 7), dt.date(2026, 10, 30))
        )
        for child in (robin, sky):
            plan = PlanFactory(child=child, start_date=INITIAL_ON)
            for day in core_groups:
                CoreGroupMeeting.objects.create(plan=plan, held_on=day)
            for day in visits:
                ProtectionVisit.objects.create(plan=plan, visited_on=day)
    return review


def weekly(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        days.append(day)
        day += dt.timedelta(days=7)
    return days


def held_initial(world, *, due_by=None, enquiry_due=None, on=dt.date(2026, 11, 20)):
    conference = household_conference(
        world,
        kind=Conference.Kind.INITIAL,
        on=on,
        children=[(world.child, P.THROUGH_SOCIAL_WORKER)],
        due_by=due_by,
    )
    if enquiry_due:
        S47Enquiry.objects.create(
            child=world.child,
            strategy_discussion_on=enquiry_due - dt.timedelta(days=21),
            started_on=enquiry_due - dt.timedelta(days=21),
            outcome=S47Enquiry.Outcome.CONFERENCE,
            initial_conference_due_by=enquiry_due,
            initial_conference=conference,
        )
    return conference


def iro(world):
    return world.users[Role.IRO]


# --- the one question list -------------------------------------------------------------


def test_the_measures_and_report_read_the_one_question_list():
    from annual_report import tables

    assert metrics.YES_NO_NA_QUESTIONS is questions.YES_NO_NA_QUESTIONS
    assert metrics.BOOLEAN_QUESTIONS is questions.BOOLEAN_QUESTIONS
    assert metrics.FEEDBACK_QUESTIONS is questions.FEEDBACK_QUESTIONS
    assert tables.YES_NO_NA == questions.YES_NO_NA_QUESTIONS
    assert list(tables.FEEDBACK_LABELS) == questions.FEEDBACK_QUESTIONS
    model_fields = {f.name for f in QAForm._meta.get_fields()}
    assert {q.field for q in questions.QA_QUESTIONS} <= model_fields
    assert len(questions.QA_QUESTIONS) == len(questions.QA_BY_FIELD)


# --- pre-filling -----------------------------------------------------------------------


def test_a_typical_review_is_pre_filled_from_the_record(world):
    review = held_review(world)
    form = service.qa_form_start(review, by=iro(world))
    assert form.completed_at is None and form.started_at is not None
    assert form.report_shared_in_time == "yes"
    assert form.parents_attended is True
    assert form.core_groups_monthly == "yes"
    assert form.visits_within_timescale == "yes"
    # Not asked at a review: stored as not applicable, not shown as facts.
    assert form.s47_completed_before_conference == "na"
    assert form.held_within_timescale == "na"
    assert set(form.prefilled) == {
        "report_shared_in_time",
        "parents_attended",
        "core_groups_monthly",
        "visits_within_timescale",
    }
    assert form.prefilled["parents_attended"]["answer"] is True
    assert "Mo Parent" in form.prefilled["parents_attended"]["because"]
    # The questions left to the chair are blank.
    assert form.assessment_updated == "" and form.report_quality == ""
    assert form.history.first().history_change_reason.startswith("QA form started")


def test_children_ages_and_participation_come_from_the_conference(world):
    review = held_review(world)
    facts = service.children_facts(review)
    assert [(f.child, f.age, f.row.participation) for f in facts] == [
        (world.child, 12, P.ADVOCATE),
        (world.sibling, 6, P.NONE),
    ]


def test_a_report_shared_late_or_not_recorded(world):
    late = held_review(world, shared_hours_early=20)
    assert service.prefill_for(late)["report_shared_in_time"].answer == "no"
    late.report_shared_at = None
    late.save()
    assert "report_shared_in_time" not in service.prefill_for(late)


def test_parents_absent_and_no_register(world):
    review = held_review(world, parent_status=Attendance.Status.APOLOGIES)
    assert service.prefill_for(review)["parents_attended"].answer is False
    remote = Attendance.objects.get(conference=review, agency=Attendance.Agency.FAMILY)
    remote.status = Attendance.Status.REMOTE
    remote.save()
    assert service.prefill_for(review)["parents_attended"].answer is True
    bare = household_conference(
        world,
        kind=Conference.Kind.REVIEW,
        on=dt.date(2026, 11, 3),
        children=[(world.child, P.NONE)],
    )
    assert "parents_attended" not in service.prefill_for(bare)


def test_a_late_core_group_or_one_overdue_at_the_conference(world):
    late = held_review(world, core_groups=(dt.date(2026, 8, 14), dt.date(2026, 10, 20)))
    fact = service.prefill_for(late)["core_groups_monthly"]
    assert fact.answer == "no"
    assert "14 September 2026" in fact.because  # a month after 14 August was missed


def test_a_core_group_overdue_on_the_day(world):
    overdue = held_review(world, core_groups=(dt.date(2026, 8, 14), dt.date(2026, 9, 11)))
    assert service.prefill_for(overdue)["core_groups_monthly"].answer == "no"


def test_the_first_core_group_late(world):
    # The first was due within 10 working days of 3 August: by 17 August.
    first_late = held_review(world, core_groups=(dt.date(2026, 8, 18), dt.date(2026, 9, 11)))
    assert service.prefill_for(first_late)["core_groups_monthly"].answer == "no"


def test_visits_stopping_before_the_conference(world):
    review = held_review(world, visits=weekly(dt.date(2026, 8, 7), dt.date(2026, 10, 9)))
    assert service.prefill_for(review)["visits_within_timescale"].answer == "no"


def test_a_lapse_before_the_last_conference_does_not_count(world):
    # Plans from 2025 with a long gap in spring 2026, then monthly since the last conference.
    review = held_review(world, plans=False)
    for child in (world.child, world.sibling):
        plan = PlanFactory(child=child, start_date=dt.date(2025, 11, 3))
        for day in (
            dt.date(2025, 11, 10),
            dt.date(2026, 5, 1),  # late: the one before was months earlier
            dt.date(2026, 7, 24),
            dt.date(2026, 8, 21),
            dt.date(2026, 9, 18),
            dt.date(2026, 10, 16),
        ):
            CoreGroupMeeting.objects.create(plan=plan, held_on=day)
    assert service.prefill_for(review)["core_groups_monthly"].answer == "yes"


def test_no_plans_means_not_applicable(world):
    review = held_review(world, plans=False)
    facts = service.prefill_for(review)
    assert facts["core_groups_monthly"].answer == "na"
    assert facts["visits_within_timescale"].answer == "na"


def test_initial_within_timescale_from_its_due_date_or_the_enquiry(world):
    on_time = held_initial(world, due_by=dt.date(2026, 11, 20))
    form = service.qa_form_start(on_time, by=iro(world))
    assert form.held_within_timescale == "yes"
    assert form.assessment_updated == "na"
    assert form.core_groups_monthly == "na" and form.visits_within_timescale == "na"
    late = held_initial(world, enquiry_due=dt.date(2026, 11, 19), on=dt.date(2026, 11, 23))
    assert service.prefill_for(late)["held_within_timescale"].answer == "no"
    unknown = held_initial(world, on=dt.date(2026, 11, 24))
    assert "held_within_timescale" not in service.prefill_for(unknown)


# --- starting, drafts, completing ------------------------------------------------------


def test_starting_twice_returns_the_same_draft(world):
    review = held_review(world)
    first = service.qa_form_start(review, by=iro(world))
    again = service.qa_form_start(review, by=iro(world))
    assert first.pk == again.pk
    assert QAForm.objects.count() == 1


def test_only_a_held_conference_has_a_form(world):
    booked = household_conference(
        world, kind=Conference.Kind.REVIEW, on=dt.date(2026, 12, 7), children=[]
    )
    booked.status = Conference.Status.BOOKED
    booked.save()
    with pytest.raises(ValidationError):
        service.qa_form_start(booked, by=iro(world))
    assert not QAForm.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.BUSINESS_SUPPORT, Role.DISTRICT_MANAGER, Role.AUDITOR, Role.DIRECTORATE_MANAGER],
)
def test_only_the_chair_or_the_senior_iro_fills_it(world, role):
    review = held_review(world)
    with pytest.raises(PermissionDenied):
        service.qa_form_start(review, by=world.users[role])
    form = service.qa_form_start(review, by=world.users[Role.SENIOR_IRO])
    with pytest.raises(PermissionDenied):
        service.qa_form_save_draft(form, {"report_quality": "good"}, by=world.users[role])
    with pytest.raises(PermissionDenied):
        service.qa_form_complete(form, REVIEW_ANSWERS, by=world.users[role], now=NOW)
    other_iro = world.users[Role.IRO].__class__.objects.create(username="other_iro", role=Role.IRO)
    with pytest.raises(PermissionDenied):
        service.qa_form_save_draft(form, {"report_quality": "good"}, by=other_iro)


def test_a_draft_saves_any_subset_and_keeps_history(world):
    form = service.qa_form_start(held_review(world), by=iro(world))
    service.qa_form_save_draft(form, {"report_quality": "adequate"}, by=iro(world))
    service.qa_form_save_draft(
        form, {"report_analyses_impact": "no", "core_groups_monthly": "no"}, by=iro(world)
    )
    form.refresh_from_db()
    assert form.report_quality == "adequate"
    assert form.report_analyses_impact is False
    assert form.core_groups_monthly == "no"  # a correction of the record's "yes"
    assert form.prefilled["core_groups_monthly"]["answer"] == "yes"
    assert form.completed_at is None
    assert form.history.count() == 3
    assert form.history.first().history_user == iro(world)


@pytest.mark.parametrize(
    "answers, field",
    [
        ({"report_quality": "superb"}, "report_quality"),
        ({"assessment_updated": "maybe"}, "assessment_updated"),
        ({"parents_attended": "perhaps"}, "parents_attended"),
        ({"held_within_timescale": "yes"}, "held_within_timescale"),  # not asked at a review
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(world, answers, field):
    form = service.qa_form_start(held_review(world), by=iro(world))
    before = form.history.count()
    with pytest.raises(ValidationError) as refused:
        service.qa_form_save_draft(form, {"report_quality": "good", **answers}, by=iro(world))
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError):
        service.qa_form_complete(form, {**REVIEW_ANSWERS, **answers}, by=iro(world), now=NOW)
    form.refresh_from_db()
    assert form.report_quality == "" and form.completed_at is None
    assert form.history.count() == before


def test_completing_needs_every_question_asked(world):
    form = service.qa_form_start(held_review(world), by=iro(world))
    partial = {k: v for k, v in REVIEW_ANSWERS.items() if k != "plan_copy_given"}
    with pytest.raises(ValidationError) as refused:
        service.qa_form_complete(form, partial, by=iro(world), now=NOW)
    assert set(refused.value.message_dict) == {"plan_copy_given"}
    form.refresh_from_db()
    assert form.completed_at is None and form.report_quality == ""


def test_good_practice_needs_a_description(world):
    form = service.qa_form_start(held_review(world), by=iro(world))
    with pytest.raises(ValidationError) as refused:
        service.qa_form_complete(
            form, {**REVIEW_ANSWERS, "good_practice_observed": "yes"}, by=iro(world), now=NOW
        )
    assert "good_practice_note" in refused.value.message_dict
    done = service.qa_form_complete(
        form,
        {**REVIEW_ANSWERS, "good_practice_observed": "yes", "good_practice_note": "Clear plan."},
        by=iro(world),
        now=NOW,
    )
    assert done.good_practice_observed is True and done.good_practice_note == "Clear plan."


def test_completing_once_only(world):
    form = service.qa_form_start(held_review(world), by=iro(world))
    done = service.qa_form_complete(form, REVIEW_ANSWERS, by=iro(world), now=NOW)
    assert done.completed_at == NOW and done.completed_by == iro(world)
    assert done.history.first().history_change_reason == "QA form completed"
    with pytest.raises(ValidationError):
        service.qa_form_complete(done, REVIEW_ANSWERS, by=iro(world), now=NOW)
    with pytest.raises(ValidationError):
        service.qa_form_save_draft(done, {"report_quality": "inadequate"}, by=iro(world))
    done.refresh_from_db()
    assert done.report_quality == "good"


def test_the_senior_iro_completes_a_chairs_form(world):
    form = service.qa_form_start(held_review(world), by=iro(world))
    senior = world.users[Role.SENIOR_IRO]
    done = service.qa_form_complete(form, REVIEW_ANSWERS, by=senior, now=NOW)
    assert done.completed_by == senior


# --- the measure -----------------------------------------------------------------------


def test_qa_completion_counts_completed_forms_not_drafts(world):
    review = held_review(world)
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert metrics.qa_completion(period=period)["numerator"] == 0
    form = service.qa_form_start(review, by=iro(world))
    service.qa_form_save_draft(form, {"report_quality": "good"}, by=iro(world))
    assert metrics.qa_completion(period=period)["numerator"] == 0
    service.qa_form_complete(form, REVIEW_ANSWERS, by=iro(world), now=timezone.now())
    # The form is completed "now" (December 2026 in the test clock or later): count there.
    completed_on = timezone.localdate(QAForm.objects.get().completed_at)
    month = Period(completed_on.replace(day=1), completed_on)
    assert metrics.qa_completion(period=month)["numerator"] == 1
    assert metrics.qa_completion(period=month, district=world.north)["numerator"] == 1
    assert metrics.qa_completion(period=month, district=world.south)["numerator"] == 0
    themes = metrics.qa_themes(period=month)
    assert themes["forms"] == 1
    assert themes["core_groups_monthly"]["yes"] == 1
    assert themes["children_over_ten_participated"] == 1
