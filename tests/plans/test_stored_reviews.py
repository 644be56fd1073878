"""The derived rows (iro_service/derived.py) follow the records however they change: each
plan's stored reviews, which NI 67 and the late reviews read, and each child's initial
conference due date, which initial conference timeliness reads."""

import datetime as dt

import pytest
from django.core.management import call_command

from conferences.models import Conference, InitialConferenceDue, S47Enquiry
from conferences.timeliness import enquiries_leading_to_initial_conferences
from plans.models import PlanReview
from plans.reviews import held_reviews, store_plan_reviews
from reporting.metrics import Period, reviews
from reporting.metrics import conferences as conferences_metrics

from ..factories import LONDON, ChildFactory, ConferenceChildFactory, ConferenceFactory, PlanFactory

pytestmark = pytest.mark.django_db
YEAR = Period.year(2012)


def _at(on: dt.date) -> dt.datetime:
    return dt.datetime(on.year, on.month, on.day, 10, tzinfo=LONDON)


def _review(child, on: dt.date, **extra) -> Conference:
    conference = ConferenceFactory(
        household=child.household,
        kind=Conference.Kind.REVIEW,
        status=extra.pop("status", "held"),
        scheduled_for=_at(on),
        **extra,
    )
    ConferenceChildFactory(
        conference=conference, child=child, outcome="plan_continued", category="NEG"
    )
    return conference


def _stored() -> list[tuple]:
    return sorted(PlanReview.objects.values_list("plan_id", "held_on", "due_by", "late"))


def _from_records() -> list[tuple]:
    rows = held_reviews().values_list("plan_id", "held_on", "due_by")
    return sorted((plan, held, due, held > due) for plan, held, due in rows)


def test_stored_reviews_follow_each_change_to_conferences_and_plans():
    plan = PlanFactory(start_date=dt.date(2011, 5, 1))
    first = _review(plan.child, dt.date(2011, 8, 1))  # due 1 August: on time
    _review(plan.child, dt.date(2012, 2, 10))  # due 1 February: late
    assert _stored() == [
        (plan.pk, dt.date(2011, 8, 1), dt.date(2011, 8, 1), False),
        (plan.pk, dt.date(2012, 2, 10), dt.date(2012, 2, 1), True),
    ]
    assert [row["days_late"] for row in reviews.late_reviews(period=YEAR)] == [9]

    # The first review moves a fortnight later: it is late, and the second is then on time.
    first.scheduled_for = _at(dt.date(2011, 8, 15))
    first.save()
    assert (
        _stored()
        == _from_records()
        == [
            (plan.pk, dt.date(2011, 8, 15), dt.date(2011, 8, 1), True),
            (plan.pk, dt.date(2012, 2, 10), dt.date(2012, 2, 15), False),
        ]
    )

    # Recorded as not held after all: the second review is then the plan's first, and late.
    first.status = Conference.Status.CANCELLED
    first.save(update_fields=["status"])
    assert (
        _stored() == _from_records() == [(plan.pk, dt.date(2012, 2, 10), dt.date(2011, 8, 1), True)]
    )
    assert [row["days_late"] for row in reviews.late_reviews(period=YEAR)] == [193]

    # The plan ends before the second review: it reviewed no plan of this child.
    plan.end_date, plan.end_reason = dt.date(2012, 1, 31), "RTP"
    plan.save()
    assert _stored() == _from_records() == []
    assert reviews.late_reviews(period=YEAR) == []


def test_a_sibling_at_the_review_has_no_stored_review_without_a_plan():
    plan = PlanFactory(start_date=dt.date(2011, 5, 1))
    conference = _review(plan.child, dt.date(2011, 7, 20))
    sibling = ChildFactory(household=plan.child.household)
    ConferenceChildFactory(conference=conference, child=sibling)
    assert (
        _stored()
        == _from_records()
        == [(plan.pk, dt.date(2011, 7, 20), dt.date(2011, 8, 1), False)]
    )


def test_writes_that_send_no_signal_are_stored_by_the_rewrite_and_the_command(capsys):
    plan = PlanFactory(start_date=dt.date(2011, 5, 1))
    conference = _review(plan.child, dt.date(2011, 8, 1))
    # A bulk write (as the census import and the generators make) sends no signal.
    Conference.objects.filter(pk=conference.pk).update(date=dt.date(2011, 9, 1))
    assert _stored() != _from_records()
    assert store_plan_reviews(children=[plan.child_id]) == 1
    assert (
        _stored() == _from_records() == [(plan.pk, dt.date(2011, 9, 1), dt.date(2011, 8, 1), True)]
    )
    Conference.objects.filter(pk=conference.pk).update(date=dt.date(2011, 7, 1))
    call_command("store_derived")
    assert _stored() == _from_records()
    # The plan's review and the child's place at a held conference (conferences/held.py).
    assert "Stored 2 derived rows" in capsys.readouterr().out


def _dues() -> list[tuple]:
    return sorted(
        InitialConferenceDue.objects.values_list("conference_child__child_id", "held_on", "due_by")
    )


def _dues_from_records() -> list[tuple]:
    rows = enquiries_leading_to_initial_conferences().values_list(
        "child_id", "held_on", "due_by", "latest"
    )
    return sorted((child, held, due) for child, held, due, latest in rows if latest == 1)


def test_initial_conference_due_dates_follow_the_conference_and_the_enquiries():
    child = ChildFactory()
    conference = ConferenceFactory(
        household=child.household,
        kind=Conference.Kind.INITIAL,
        status=Conference.Status.BOOKED,
        scheduled_for=_at(dt.date(2011, 10, 3)),
    )
    ConferenceChildFactory(conference=conference, child=child)
    enquiry = S47Enquiry.objects.create(
        child=child,
        strategy_discussion_on=dt.date(2011, 9, 1),
        started_on=dt.date(2011, 9, 1),
        initial_conference=conference,
        initial_conference_due_by=dt.date(2011, 9, 22),
        outcome="conference",
    )
    assert _dues() == []  # booked, not held
    timeliness = conferences_metrics.initial_conference_timeliness
    assert timeliness(period=YEAR)["denominator"] == 0

    conference.status = Conference.Status.HELD
    conference.save(update_fields=["status"])
    assert (
        _dues() == _dues_from_records() == [(child.pk, dt.date(2011, 10, 3), dt.date(2011, 9, 22))]
    )
    assert timeliness(period=YEAR) == {"numerator": 0, "denominator": 1, "percent": 0.0}

    # A later enquiry leading to the same conference gives the due date; then its own is
    # corrected.
    later = S47Enquiry.objects.create(
        child=child,
        strategy_discussion_on=dt.date(2011, 9, 12),
        started_on=dt.date(2011, 9, 12),
        initial_conference=conference,
        initial_conference_due_by=dt.date(2011, 10, 3),
        outcome="conference",
    )
    assert (
        _dues() == _dues_from_records() == [(child.pk, dt.date(2011, 10, 3), dt.date(2011, 10, 3))]
    )
    assert timeliness(period=YEAR) == {"numerator": 1, "denominator": 1, "percent": 100.0}
    later.initial_conference_due_by = dt.date(2011, 9, 30)
    later.save()
    assert (
        _dues() == _dues_from_records() == [(child.pk, dt.date(2011, 10, 3), dt.date(2011, 9, 30))]
    )

    # Neither enquiry leads to the conference any more: the child has no due date to meet.
    S47Enquiry.objects.filter(pk=enquiry.pk).update(initial_conference=None)
    later.initial_conference = None
    later.save()
    assert _dues() == _dues_from_records() == []
    assert timeliness(period=YEAR)["denominator"] == 0


def test_ni67_follows_a_plans_corrected_dates_through_its_stored_reviews():
    """NI 67 finds the reviews of the plans open at the period end from the span each stored
    review copies from its plan: a plan ended, reopened or started on another date moves it."""
    plan = PlanFactory(  # recorded as ended, in error
        start_date=dt.date(2011, 10, 3), end_date=dt.date(2012, 2, 6), end_reason="RTP"
    )
    _review(plan.child, dt.date(2011, 12, 19))  # first review due 3 January 2012: on time
    assert reviews.ni67(period=YEAR)["denominator"] == 0

    plan.end_date, plan.end_reason = None, ""  # reopened: still on a plan at 31 March
    plan.save(update_fields=["end_date", "end_reason"])
    assert list(PlanReview.objects.values_list("plan_start_date", "plan_open_until")) == [
        (dt.date(2011, 10, 3), dt.date(9999, 12, 31))
    ]
    assert reviews.ni67(period=YEAR) == {"numerator": 1, "denominator": 1, "percent": 100.0}
    assert reviews.ni67(period=YEAR, by_district=True) == {
        plan.district_id: {"numerator": 1, "denominator": 1, "percent": 100.0}
    }

    # It started in June: its first review was due in September, so it was late.
    plan.start_date = dt.date(2011, 6, 6)
    plan.save(update_fields=["start_date"])
    assert reviews.ni67(period=YEAR) == {"numerator": 0, "denominator": 1, "percent": 0.0}
