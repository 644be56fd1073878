"""Review timeliness: NI 67 (DfE D6) and the late reviews behind it (§6.3.1).

NI 67 always uses the national timescales (first review within 3 months of the plan's start,
then within 6 months of the previous review), whatever stricter local targets an authority
books to. A review counts for a child only if that child was considered at the conference.
"""

from datetime import date, timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from conferences.models import Conference, ConferenceChild
from people.models import District
from plans.models import ChildProtectionPlan

from .periods import Period, count_ratio
from .plans import open_on, plans_for
from .sql import AddMonths

HELD_REVIEW = Q(conference__kind=Conference.Kind.REVIEW, conference__status=Conference.Status.HELD)


def _reviews_of_plan(up_to, *, plan_ref=OuterRef) -> QuerySet[ConferenceChild]:
    """The held reviews that considered the plan's child after its start, up to a date."""
    return ConferenceChild.objects.filter(
        HELD_REVIEW,
        child=plan_ref("child"),
        conference__date__gt=plan_ref("start_date"),
        conference__date__lte=up_to,
    )


def _due_by(previous, start) -> Case:
    """A review's national due date: 3 months after the start if it is the first, else 6
    months after the previous review."""
    return Case(
        When(**{f"{previous}__isnull": True}, then=AddMonths(start, 3)),
        default=AddMonths(F(previous), 6),
    )


def _late_reviews_of_plan(up_to) -> QuerySet[ConferenceChild]:
    """Reviews of the plan (the outer query's row) held after their national due date."""
    previous = (
        ConferenceChild.objects.filter(
            HELD_REVIEW,
            child=OuterRef("child"),
            conference__date__lt=OuterRef("conference__date"),
            conference__date__gt=OuterRef(OuterRef("start_date")),
        )
        .order_by("-conference__date")
        .values("conference__date")[:1]
    )
    return (
        _reviews_of_plan(up_to)
        .annotate(previous_on=Subquery(previous))
        .alias(due_by=_due_by("previous_on", OuterRef("start_date")))
        .filter(conference__date__gt=F("due_by"))
    )


def ni67(*, period: Period, district: District | None = None, by_district: bool = False):
    """NI 67: children on a plan at the period end for three months or more whose every review
    was on time, including the one due next (not overdue at the period end)."""
    end = period.end
    last_review = _reviews_of_plan(end).order_by("-conference__date").values("conference__date")[:1]
    plans = (
        plans_for(district)
        .filter(open_on(end))
        .alias(three_months_on=AddMonths(F("start_date"), 3))
        .filter(three_months_on__lte=end)
        .annotate(
            last_review_on=Subquery(last_review),
            any_late=Exists(_late_reviews_of_plan(end)),
        )
        .annotate(next_due_by=_due_by("last_review_on", F("start_date")))
    )
    return count_ratio(
        plans,
        Q(any_late=False, next_due_by__gte=end),
        by="child__district" if by_district else None,
    )


def late_reviews(*, period: Period, district: District | None = None) -> list[dict]:
    """Each child whose review conference in the period was held after its national due date:
    due date, held date, days late and reason (§6.3.1)."""
    plan = ChildProtectionPlan.objects.filter(
        child=OuterRef("child"), start_date__lt=OuterRef("conference__date")
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("conference__date")))
    previous = (
        ConferenceChild.objects.filter(
            HELD_REVIEW,
            child=OuterRef("child"),
            conference__date__lt=OuterRef("conference__date"),
            conference__date__gt=OuterRef("plan_start"),
        )
        .order_by("-conference__date")
        .values("conference__date")[:1]
    )
    reviews = ConferenceChild.objects.filter(
        HELD_REVIEW, conference__date__range=(period.start, period.end)
    )
    if district is not None:
        reviews = reviews.filter(child__district=district)
    rows = (
        reviews.annotate(plan_start=Subquery(plan.order_by("-start_date").values("start_date")[:1]))
        .filter(plan_start__isnull=False)
        .annotate(previous_on=Subquery(previous))
        .annotate(due_by=_due_by("previous_on", F("plan_start")))
        .filter(conference__date__gt=F("due_by"))
        .annotate(
            reason=Coalesce(
                _nonblank("conference__delay_reason"),
                _nonblank("conference__rearranged_from__adjournment_reason"),
            )
        )
        .order_by("conference__date", "child__local_id")
        .values(
            "child_id",
            "child__local_id",
            "conference_id",
            "conference__date",
            "due_by",
            "reason",
            "child__district__name",
        )
    )
    labels = dict(Conference.AdjournmentReason.choices)
    return [
        {
            "child_id": row["child_id"],
            "child_local_id": row["child__local_id"],
            "district": row["child__district__name"],
            "conference_id": row["conference_id"],
            "due_on": _as_date(row["due_by"]).isoformat(),
            "held_on": row["conference__date"].isoformat(),
            "days_late": (row["conference__date"] - _as_date(row["due_by"])).days,
            "reason": labels.get(row["reason"], "Not recorded"),
        }
        for row in rows
    ]


def _nonblank(field: str) -> Case:
    return Case(When(**{f"{field}__gt": ""}, then=F(field)), default=None)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def reviews_due(*, on: date, district: District | None = None, days: int = 30) -> dict:
    """Open plans whose next review (the stored national due date) is overdue, or due within
    the next `days` days."""
    plans = plans_for(district).filter(end_date__isnull=True, next_review_due_by__isnull=False)
    soon = on + timedelta(days=days)
    return plans.aggregate(
        overdue=Count("id", filter=Q(next_review_due_by__lt=on)),
        due_soon=Count("id", filter=Q(next_review_due_by__gte=on, next_review_due_by__lte=soon)),
    )
