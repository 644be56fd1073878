"""As at their last day, the demo and the bench authority have work ahead, for business
support's "to book" list and an IRO's next four weeks: reviews booked for most plans due in the
next weeks (with a chair and a venue), fewer for those due later, initial conferences booked,
and enquiries that decided to convene with nothing booked yet."""

from datetime import date, timedelta

import pytest

from conferences.models import Conference, ConferenceChild, S47Enquiry
from devdata.bench.synthetic import Spec, build
from devdata.demo.load import load_demo_data
from plans.models import ChildProtectionPlan

BENCH = Spec(year=2025, years=2, scale=0.02, seed=3)
DEMO_TODAY = date(2025, 6, 30)
BOOKED = Conference.Status.BOOKED


def _share_of_plans_with_a_review_booked(today: date, *, within: timedelta | None, after=None):
    plans = ChildProtectionPlan.objects.filter(end_date__isnull=True)
    if within is not None:
        plans = plans.filter(next_review_due_by__lte=today + within)
    if after is not None:
        plans = plans.filter(next_review_due_by__gt=today + after)
    booked = set(
        ConferenceChild.objects.filter(
            conference__status=BOOKED, conference__kind=Conference.Kind.REVIEW
        ).values_list("child_id", flat=True)
    )
    children = list(plans.values_list("child_id", flat=True))
    assert children
    return sum(child in booked for child in children) / len(children)


def _check_work_ahead(today: date, *, soon_booked: float, later_booked: float) -> None:
    next_four_weeks = Conference.objects.filter(
        status=BOOKED, date__gt=today, date__lte=today + timedelta(weeks=4)
    )
    assert next_four_weeks.filter(kind=Conference.Kind.REVIEW).exists()
    assert not next_four_weeks.filter(chair__isnull=True).exists()
    assert not next_four_weeks.filter(venue__isnull=True).exists()
    assert not Conference.objects.filter(status=BOOKED, date__lte=today).exists()
    eight_weeks = timedelta(weeks=8)
    assert _share_of_plans_with_a_review_booked(today, within=eight_weeks) >= soon_booked
    assert _share_of_plans_with_a_review_booked(today, within=None, after=eight_weeks) <= (
        later_booked
    )
    awaiting = S47Enquiry.objects.filter(
        outcome=S47Enquiry.Outcome.CONFERENCE, initial_conference__isnull=True
    )
    assert awaiting.exists()
    assert not awaiting.filter(decided_on__isnull=True).exists()
    assert not awaiting.filter(decided_on__gt=today).exists()
    initials = Conference.objects.filter(status=BOOKED, kind__in=["initial", "pre_birth_initial"])
    assert initials.exists()
    for conference in initials:
        targets = {e.initial_conference_due_by for e in conference.enquiries.all()}
        assert targets == {conference.due_by}


@pytest.mark.django_db
def test_the_bench_authority_has_reviews_booked_and_initial_conferences_to_book():
    build(BENCH)

    _check_work_ahead(BENCH.last_day, soon_booked=0.8, later_booked=0.6)


@pytest.mark.django_db
def test_the_demo_has_reviews_booked_and_initial_conferences_to_book():
    load_demo_data(today=DEMO_TODAY, seed=2012, password="x", scale=0.3)

    # The demo's "today" is the day its history runs up to: conferences that day are booked.
    _check_work_ahead(DEMO_TODAY - timedelta(days=1), soon_booked=0.75, later_booked=0.75)
