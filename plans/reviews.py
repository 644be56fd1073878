"""Each plan's held reviews, with their national due dates, stored (style.md rule 2: deadlines
are stored), so that NI 67 and the late reviews count indexed rows.

A review counts for a plan when the child was considered at a held review conference after the
plan started and not after it ended. Its national due date: 3 months after the plan's start
if it is the plan's first review, else 6 months after the plan's previous review; it was late
if held after that date. This module is the one place that rule is applied to the records:
`store_plan_reviews` rewrites the stored rows of the given children's plans from them, in SQL
(a window function over each plan's reviews, the same on PostgreSQL and SQLite).

Who calls it: model signals, whenever a conference, a child's outcome at one, or a plan is
saved or deleted (apps.py), so the services, the admin and the test factories keep it right;
and the bulk loads that bypass signals (the census import, the generators) once at the end.
`manage.py store_derived` rebuilds every row (iro_service/derived.py).
"""

from collections.abc import Iterable

from django.db.models import Case, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, Lag

from conferences.models import Conference, ConferenceChild
from iro_service.derived import rewrite

from .models import PlanReview
from .rules import FIRST_REVIEW_MONTHS, LATER_REVIEW_MONTHS, OPEN_UNTIL

PLAN = "child__plans"


def held_reviews(children: Iterable[int] | None = None) -> QuerySet:
    """One row per held review and the plan it reviewed (the child's plan that started before
    the review and had not ended before it), with `plan_id`, `held_on`, `previous_on` (that
    plan's review before, if any) and `due_by` (its national due date)."""
    from reporting.metrics.sql import AddMonths

    plan_q = Q(**{f"{PLAN}__start_date__lt": F("conference__date")}) & (
        Q(**{f"{PLAN}__end_date__isnull": True})
        | Q(**{f"{PLAN}__end_date__gte": F("conference__date")})
    )
    reviews = ConferenceChild.objects.filter(
        plan_q,
        conference__kind=Conference.Kind.REVIEW,
        conference__status=Conference.Status.HELD,
    )
    if children is not None:
        reviews = reviews.filter(child_id__in=list(children))
    previous = Window(
        Lag("conference__date"),
        partition_by=[F(f"{PLAN}__id")],
        order_by=[F("conference__date").asc(), F("conference_id").asc()],
    )
    return reviews.annotate(
        plan_id=F(f"{PLAN}__id"),
        plan_start_date=F(f"{PLAN}__start_date"),
        plan_open_until=Coalesce(F(f"{PLAN}__end_date"), Value(OPEN_UNTIL)),
        held_on=F("conference__date"),
        previous_on=previous,
    ).annotate(
        due_by=Case(
            When(
                previous_on__isnull=True,
                then=AddMonths(F(f"{PLAN}__start_date"), FIRST_REVIEW_MONTHS),
            ),
            default=AddMonths(F("previous_on"), LATER_REVIEW_MONTHS),
        )
    )


def store_plan_reviews(*, children: Iterable[int] | None = None) -> int:
    """Rewrite the stored reviews of these children's plans (of every plan when None) from
    the records. Returns how many rows it wrote. Runs in the caller's transaction."""
    return rewrite(PlanReview, _rows, COLUMNS, children=children)


COLUMNS = {
    "plan_id": "plan_id",
    "conference_child_id": "id",
    "child_id": "child_id",
    "held_on": "held_on",
    "due_by": "due_by",
    "late": "late",
    "plan_start_date": "plan_start_date",
    "plan_open_until": "plan_open_until",
}


def _rows(children: list[int] | None) -> QuerySet:
    return held_reviews(children).annotate(
        late=Case(When(held_on__gt=F("due_by"), then=True), default=False)
    )
