"""Case histories for the census tests, made with the factories: a strategy discussion and
section 47 enquiry, the initial conference, a plan and its review conferences."""

import datetime as dt

from conferences.models import Conference, ConferenceChild, S47Enquiry
from conferences.rules import initial_conference_due_by
from plans.models import CategoryChange

from ..factories import LONDON, ConferenceChildFactory, ConferenceFactory, PlanFactory


def held(child, kind: str, on: dt.date, **outcome) -> Conference:
    conference = ConferenceFactory(
        kind=kind,
        household=child.household,
        scheduled_for=dt.datetime.combine(on, dt.time(10), tzinfo=LONDON),
    )
    ConferenceChildFactory(conference=conference, child=child, **outcome)
    return conference


def enquiry(child, discussed: dt.date, *, outcome=S47Enquiry.Outcome.ONGOING, conference=None):
    return S47Enquiry.objects.create(
        child=child,
        strategy_discussion_on=discussed,
        started_on=discussed,
        outcome=outcome,
        initial_conference_due_by=initial_conference_due_by(strategy_discussion_on=discussed),
        initial_conference=conference,
    )


def case(
    child,
    *,
    discussed: dt.date,
    conference_on: dt.date,
    category: str = "NEG",
    reviews=(),
    end: dt.date | None = None,
    changes=(),
    previous: int | None = None,
):
    """An enquiry whose initial conference starts a plan, reviewed on `reviews`; `changes`:
    (date, category) recorded at those reviews."""
    initial = held(
        child,
        Conference.Kind.INITIAL,
        conference_on,
        outcome=ConferenceChild.Outcome.PLAN_STARTED,
        category=category,
    )
    enquiry(child, discussed, outcome=S47Enquiry.Outcome.CONFERENCE, conference=initial)
    latest = changes[-1][1] if changes else category
    plan = PlanFactory(
        child=child,
        start_date=conference_on,
        initial_category=category,
        latest_category=latest,
        end_date=end,
        end_reason="no_longer_at_risk" if end else "",
        initial_conference=initial,
        number_of_previous_plans=previous,
    )
    for on in reviews:
        ceased = end is not None and on == end
        held(
            child,
            Conference.Kind.REVIEW,
            on,
            outcome="plan_ceased" if ceased else "plan_continued",
            category="" if ceased else category,
        )
    current = category
    for on, to in changes:
        CategoryChange.objects.create(
            plan=plan, changed_on=on, from_category=current, to_category=to
        )
        current = to
    return plan
