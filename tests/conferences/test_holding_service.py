"""Holding a conference: the register and its quorum, each child's decision, plans starting,
continuing and ceasing on the conference's date, adjourning, and concurrent edits."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conferences import rules
from conferences.models import Conference, ConferenceChild, Dissent
from conferences.services import holding
from plans.models import ChildProtectionPlan, PlanTarget
from reporting.metrics import compute_all
from reporting.metrics.periods import Period
from tests.factories import LONDON, ConferenceFactory, PlanFactory

from .holding_world import S, booked_conference, keep_register, start_plans

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
Outcome = ConferenceChild.Outcome


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_quorum_needs_social_care_and_two_other_agencies():
    assert rules.quorum(["social_care", "police", "gp"]).quorate
    assert not rules.quorum(["social_care", "police", "police", "family"]).quorate
    missing = rules.quorum(["police", "gp", "family", "advocate"])
    assert not missing.quorate and missing.shortfall == "children's social care"
    assert rules.quorum(["social_care", "police"]).shortfall == "1 more agency"
    assert rules.quorum(["social_care", "police", "gp", "school"], other_needed=3).quorate


def test_the_register_starts_from_the_invitees_and_keeps_its_quorum():
    booked = booked_conference()
    draft = holding.register_rows_for(booked.conference)
    assert {(r.name, r.invitee_id) for r in draft} == {(i.name, i.pk) for i in booked.invitees}
    assert all(r.status == "" for r in draft)
    conference = keep_register(booked)
    assert conference.quorate is True and conference.version == 1
    # Remote attendance counts; apologies and a report do not.
    conference = keep_register(booked, statuses=(S.REMOTE, S.APOLOGIES, S.REPORT_ONLY, S.ATTENDED))
    assert conference.quorate is False
    assert conference.attendance.count() == 4  # updated in place, not added again


def test_a_bad_register_line_is_refused_and_nothing_saved():
    booked = booked_conference()
    rows = [holding.AttendanceRow("", "police", "Officer", "attended")]
    with pytest.raises(ValidationError) as refused:
        holding.attendance_record(
            conference=booked.conference, rows=rows, version=0, by=booked.chair
        )
    assert "Line 1 of the register: give their name." in refused.value.messages
    assert booked.conference.attendance.count() == 0


def test_holding_an_initial_conference_starts_each_plan_on_its_date_with_stored_dates():
    booked = booked_conference()
    conference = keep_register(booked)
    decisions = start_plans(booked.children[:2]) + [
        holding.ChildDecision(
            child_id=booked.children[2].pk,
            outcome=Outcome.NO_PLAN,
            participation=ConferenceChild.Participation.NONE,
            dissents=(holding.DissentInput("police", "Police think a plan is needed"),),
        )
    ]
    held = holding.conference_hold(
        conference=conference, version=conference.version, decisions=decisions, by=booked.chair
    )
    assert held.status == Conference.Status.HELD
    # 30 November 2026 (a Monday): decision sheet next working day; minutes 15 working days on
    # (no bank holiday before 21 December).
    assert held.decision_sheet_due_by == dt.date(2026, 12, 1)
    assert held.minutes_due_by == dt.date(2026, 12, 21)
    plans = ChildProtectionPlan.objects.filter(child__in=booked.children[:2])
    assert [p.start_date for p in plans] == [dt.date(2026, 11, 30)] * 2
    assert {p.initial_conference_id for p in plans} == {held.pk}
    # First review 3 months on; first core group within 10 working days.
    assert {p.next_review_due_by for p in plans} == {dt.date(2027, 2, 28)}
    rows = {r.child_id: r for r in held.child_outcomes.all()}
    first = rows[booked.children[0].pk]
    assert first.outcome == Outcome.PLAN_STARTED and first.category == "NEG"
    assert first.next_review_due_by == dt.date(2027, 2, 28)
    assert first.first_core_group_due_by == dt.date(2026, 12, 14)
    assert PlanTarget.objects.filter(set_at=held).count() == 2
    assert rows[booked.children[2].pk].outcome == Outcome.NO_PLAN
    assert Dissent.objects.get().reason == "Police think a plan is needed"
    assert not ChildProtectionPlan.objects.filter(child=booked.children[2]).exists()


def test_the_measures_count_what_the_conference_recorded():
    period = Period(start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31))
    before = compute_all(period=period)
    booked = booked_conference()
    conference = keep_register(booked)
    holding.conference_hold(
        conference=conference,
        version=conference.version,
        decisions=start_plans(booked.children),
        by=booked.chair,
    )
    after = compute_all(period=period)
    assert after["plans_started"] == before["plans_started"] + 3
    assert after["conferences_held"]["initial"] == before["conferences_held"]["initial"] + 1


def test_every_child_needs_a_decision_and_an_initial_plan_needs_a_category_and_a_target():
    booked = booked_conference()
    conference = keep_register(booked)
    decisions = [
        holding.ChildDecision(child_id=booked.children[0].pk, outcome=Outcome.PLAN_STARTED),
    ]
    with pytest.raises(ValidationError) as refused:
        holding.conference_hold(
            conference=conference, version=conference.version, decisions=decisions, by=booked.chair
        )
    text = " ".join(refused.value.messages)
    assert "Choose the category of abuse" in text
    assert "Set at least one target" in text
    assert f"Record the decision for {booked.children[1].full_name}" in text
    assert not ChildProtectionPlan.objects.exists()
    conference.refresh_from_db()
    assert conference.status == Conference.Status.BOOKED


def test_an_inquorate_conference_goes_ahead_only_with_an_interim_plan_and_a_second_is_flagged():
    booked = booked_conference()
    earlier = ConferenceFactory(
        household=booked.conference.household,
        status=Conference.Status.ADJOURNED,
        adjournment_reason="not_quorate",
        quorate=False,
        scheduled_for=dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON),
    )
    assert earlier.quorate is False
    conference = keep_register(booked, statuses=(S.ATTENDED, S.APOLOGIES, S.APOLOGIES, S.ATTENDED))
    with pytest.raises(ValidationError) as refused:
        holding.conference_hold(
            conference=conference,
            version=conference.version,
            decisions=start_plans(booked.children),
            by=booked.chair,
        )
    assert "not quorate (it needs 2 more agencies)" in refused.value.messages[0]
    held = holding.conference_hold(
        conference=conference,
        version=conference.version,
        decisions=start_plans(booked.children),
        proceeded_inquorate=True,
        by=booked.chair,
    )
    assert held.proceeded_inquorate and held.inquorate_again and held.quorate is False


def test_a_conference_cannot_be_held_before_its_day_or_twice():
    booked = booked_conference(on=dt.datetime(2026, 12, 2, 10, 0, tzinfo=LONDON))
    conference = keep_register(booked)
    with pytest.raises(ValidationError, match="recorded as held on the day or after"):
        holding.conference_hold(
            conference=conference,
            version=1,
            decisions=start_plans(booked.children),
            by=booked.chair,
        )


def test_a_second_editor_is_told_who_changed_it_and_nothing_is_overwritten():
    booked = booked_conference()
    conference = keep_register(booked)  # version 1
    stale = conference.version
    keep_register(booked, statuses=(S.ATTENDED, S.ATTENDED, S.ATTENDED, S.APOLOGIES))  # 2
    with pytest.raises(holding.EditConflict) as conflict:
        holding.conference_hold(
            conference=conference,
            version=stale,
            decisions=start_plans(booked.children),
            by=booked.chair,
        )
    assert "Cleo Tester changed this conference at" in conflict.value.messages[0]
    assert [c.history_change_reason for c in conflict.value.changes] == ["Attendance register kept"]
    assert not ChildProtectionPlan.objects.exists()


def _plan_for_review(booked, child, *, start=dt.date(2026, 8, 31), category="NEG"):
    plan = PlanFactory(child=child, start_date=start, initial_category=category)
    PlanTarget.objects.create(plan=plan, description="Home is safe", due_by=dt.date(2026, 11, 1))
    return plan


def test_a_review_continues_one_plan_changes_a_category_and_ceases_another():
    booked = booked_conference(kind=Conference.Kind.REVIEW, children=3)
    plans = [_plan_for_review(booked, kid) for kid in booked.children]
    conference = keep_register(booked)
    review = {t.pk: "partly_achieved" for t in PlanTarget.objects.all()}

    def reviews_for(plan):
        return {t.pk: review[t.pk] for t in plan.targets.all()}

    decisions = [
        holding.ChildDecision(
            child_id=booked.children[0].pk,
            outcome=Outcome.PLAN_CONTINUED,
            category="NEG",
            participation="attended",
            target_reviews=reviews_for(plans[0]),
        ),
        holding.ChildDecision(
            child_id=booked.children[1].pk,
            outcome=Outcome.PLAN_CONTINUED,
            category="EMO",
            participation="letter_or_text",
            target_reviews=reviews_for(plans[1]),
        ),
        holding.ChildDecision(
            child_id=booked.children[2].pk,
            outcome=Outcome.PLAN_CEASED,
            cease_reason="no_longer_at_risk",
            participation="none",
            target_reviews=reviews_for(plans[2]),
        ),
    ]
    holding.conference_hold(
        conference=conference, version=conference.version, decisions=decisions, by=booked.chair
    )
    for plan in plans:
        plan.refresh_from_db()
    # Reviewed on 30 November 2026: the next review 6 months on.
    assert plans[0].next_review_due_by == dt.date(2027, 5, 30)
    assert plans[1].latest_category == "EMO" and plans[1].category_changes.get().conference_id
    assert plans[2].end_date == dt.date(2026, 11, 30) and plans[2].end_reason == "no_longer_at_risk"
    assert set(PlanTarget.objects.values_list("progress", flat=True)) == {"partly_achieved"}


def test_a_review_must_say_how_each_target_went_and_why_a_plan_ceases():
    booked = booked_conference(kind=Conference.Kind.REVIEW, children=1)
    _plan_for_review(booked, booked.children[0])
    conference = keep_register(booked)
    decision = holding.ChildDecision(
        child_id=booked.children[0].pk, outcome=Outcome.PLAN_CEASED, participation="none"
    )
    with pytest.raises(ValidationError) as refused:
        holding.conference_hold(
            conference=conference, version=conference.version, decisions=[decision], by=booked.chair
        )
    text = " ".join(refused.value.messages)
    assert "Choose why the plan ceases" in text and "achieved, partly or not" in text


def test_adjourning_sets_the_date_to_reconvene_by_and_puts_it_on_the_list_to_book():
    from conferences.selectors import adjourned_awaiting

    booked = booked_conference(kind=Conference.Kind.REVIEW, children=1)
    _plan_for_review(booked, booked.children[0])
    conference = keep_register(booked, statuses=(S.ATTENDED, S.APOLOGIES, S.APOLOGIES, S.ATTENDED))
    adjourned = holding.conference_adjourn(
        conference=conference, version=conference.version, reason="not_quorate", by=booked.chair
    )
    assert adjourned.status == Conference.Status.ADJOURNED
    assert adjourned.reconvene_by == dt.date(2026, 12, 28)
    assert adjourned.quorate is False
    assert adjourned_awaiting(booked.conference.household) == adjourned


def test_adjourning_needs_a_reason_and_cannot_be_before_the_day():
    booked = booked_conference()
    with pytest.raises(ValidationError, match="Choose why"):
        holding.conference_adjourn(
            conference=booked.conference, version=0, reason="", by=booked.chair
        )
    later = booked_conference(
        on=dt.datetime(2026, 12, 9, 10, 0, tzinfo=LONDON),
        household=booked.conference.household,
        chair=booked.chair,
        children=0,
    )
    with pytest.raises(ValidationError, match="rearrange it"):
        holding.conference_adjourn(
            conference=later.conference, version=0, reason="not_quorate", by=booked.chair
        )


def test_a_pre_birth_plan_is_marked_and_its_first_review_follows_the_birth_rule():
    booked = booked_conference(kind=Conference.Kind.PRE_BIRTH_INITIAL, children=1)
    unborn = booked.children[0]
    unborn.date_of_birth = dt.date(2026, 12, 20)  # expected
    unborn.save()
    conference = keep_register(booked)
    holding.conference_hold(
        conference=conference,
        version=conference.version,
        decisions=start_plans([unborn]),
        by=booked.chair,
    )
    plan = ChildProtectionPlan.objects.get(child=unborn)
    assert plan.is_pre_birth
    # 20 working days after 20 December 2026, skipping Christmas, Boxing Day (28th, in lieu)
    # and New Year's Day: 20 January 2027, before 28 February.
    assert plan.next_review_due_by == dt.date(2027, 1, 20)


def test_the_register_cannot_change_once_the_decision_sheet_is_signed_off():
    booked = booked_conference()
    conference = keep_register(booked)
    held = holding.conference_hold(
        conference=conference,
        version=conference.version,
        decisions=start_plans(booked.children),
        by=booked.chair,
    )
    Conference.objects.filter(pk=held.pk).update(decision_sheet_signed_off_at=TODAY)
    with pytest.raises(ValidationError, match="register can no longer be changed"):
        keep_register(booked, statuses=(S.ATTENDED, S.ATTENDED, S.ATTENDED, S.APOLOGIES))
    assert booked.conference.attendance.filter(status=S.APOLOGIES).count() == 0


def _hold_on(moment, *, kind=Conference.Kind.INITIAL, children=1, plans_started=None):
    """Book and hold a conference on `moment`, the plans of a review starting `plans_started`."""
    with time_machine.travel(moment, tick=False):
        booked = booked_conference(kind=kind, on=moment, children=children)
        if kind == Conference.Kind.REVIEW:
            for kid in booked.children:
                PlanFactory(child=kid, start_date=plans_started)
            decisions = [
                holding.ChildDecision(
                    child_id=kid.pk,
                    outcome=Outcome.PLAN_CONTINUED,
                    category="NEG",
                    participation="none",
                )
                for kid in booked.children
            ]
        else:
            decisions = start_plans(booked.children, due=moment.date() + dt.timedelta(days=60))
        conference = keep_register(booked)
        return holding.conference_hold(
            conference=conference, version=conference.version, decisions=decisions, by=booked.chair
        )


@pytest.mark.parametrize(
    "held_on,review_due,core_group_due,sheet_due",
    [
        # Month end into a leap February: 30 November 2027 + 3 months is 29 February 2028.
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29), dt.date(2027, 12, 14), dt.date(2027, 12, 1)),
        # Christmas Eve 2026: Christmas, Boxing Day (Monday 28th in lieu) and New Year's Day
        # are not working days.
        (dt.date(2026, 12, 24), dt.date(2027, 3, 24), dt.date(2027, 1, 12), dt.date(2026, 12, 29)),
        # Before Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
        (dt.date(2027, 3, 25), dt.date(2027, 6, 25), dt.date(2027, 4, 12), dt.date(2027, 3, 30)),
    ],
)
def test_dates_stored_at_an_initial_conference(held_on, review_due, core_group_due, sheet_due):
    moment = dt.datetime.combine(held_on, dt.time(10), tzinfo=LONDON)
    held = _hold_on(moment)
    row = held.child_outcomes.get()
    assert (row.next_review_due_by, row.first_core_group_due_by) == (review_due, core_group_due)
    assert held.decision_sheet_due_by == sheet_due


def test_a_review_on_31_august_is_next_due_at_the_end_of_february():
    held = _hold_on(
        dt.datetime(2027, 8, 31, 10, tzinfo=LONDON),
        kind=Conference.Kind.REVIEW,
        plans_started=dt.date(2027, 5, 31),
    )
    assert held.child_outcomes.get().next_review_due_by == dt.date(2028, 2, 29)


def test_a_stricter_local_review_setting_is_what_the_review_stores(settings):
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, "LATER_REVIEW_MONTHS": 5}
    held = _hold_on(
        dt.datetime(2027, 3, 31, 10, tzinfo=LONDON),
        kind=Conference.Kind.REVIEW,
        plans_started=dt.date(2026, 12, 31),
    )
    plan = ChildProtectionPlan.objects.get()
    assert (
        plan.next_review_due_by
        == dt.date(2027, 8, 31)
        == held.child_outcomes.get().next_review_due_by
    )
