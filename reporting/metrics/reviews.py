"""Review timeliness: NI 67 (DfE D6) and the late reviews behind it (§6.3.1).

NI 67 always uses the national timescales (first review within 3 months of the plan's start,
then within 6 months of the previous review), whatever stricter local targets an authority
books to. A review counts for a child only if that child was considered at the conference.

The query shape is chosen so that no plan PostgreSQL may pick can degrade into nested scans,
whatever its statistics say (a fresh machine once sat 12 minutes in the old shape, correlated
subqueries three levels deep, after statistics claimed the tables were empty): each held
review is joined to the plan it reviewed through indexed keys only, its previous review comes
from a window function over that plan's reviews, and the outer query aggregates the derived
rows without joining them to anything.
"""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, Lag
from django.db.models.lookups import Exact, LessThanOrEqual

from conferences.models import Conference, ConferenceChild
from people.models import District

from .periods import Period, ratio
from .plans import open_on, plans_for
from .sql import AddMonths, on_path, sql_rows

HELD_REVIEW = Q(conference__kind=Conference.Kind.REVIEW, conference__status=Conference.Status.HELD)
PLAN = "child__plans"


def _due_by(previous, start) -> Case:
    """A review's national due date: 3 months after the start if it is the first, else 6
    months after the previous review."""
    return Case(
        When(**{f"{previous}__isnull": True}, then=AddMonths(start, 3)),
        default=AddMonths(F(previous), 6),
    )


def _plan_reviews(
    *, up_to: date, district: District | None, plans: Q | None = None, conditions=()
) -> QuerySet:
    """One row per held review up to a date and the plan it reviewed: the child's plan that
    started before the review and had not ended before it (`plans` narrows the plans, its
    paths relative to the plan). Each row has its plan, the previous review of that plan and
    the review's national due date. Every condition on the plan (`plans`, and `conditions`:
    expressions over `PLAN` paths) is in one filter() call, so they all apply to one join."""
    plan_q = Q(**{f"{PLAN}__start_date__lt": F("conference__date")}) & (
        Q(**{f"{PLAN}__end_date__isnull": True})
        | Q(**{f"{PLAN}__end_date__gte": F("conference__date")})
    )
    reviews = ConferenceChild.objects.filter(
        HELD_REVIEW,
        plan_q & on_path(plans or Q(), PLAN) & Q(conference__date__lte=up_to),
        *conditions,
    )
    if district is not None:
        reviews = reviews.filter(child__district=district)
    previous = Window(
        Lag("conference__date"),
        partition_by=[F(f"{PLAN}__id")],
        order_by=[F("conference__date").asc(), F("conference_id").asc()],
    )
    return reviews.annotate(
        plan_id=F(f"{PLAN}__id"),
        plan_start=F(f"{PLAN}__start_date"),
        held_on=F("conference__date"),
        previous_on=previous,
    ).annotate(due_by=_due_by("previous_on", F(f"{PLAN}__start_date")))


def _param(day: date):
    return connection.ops.adapt_datefield_value(day)


def ni67(*, period: Period, district: District | None = None, by_district: bool = False):
    """NI 67: children on a plan at the period end for three months or more whose every review
    was on time, including the one due next (not overdue at the period end).

    A plan with reviews is on time if none was late and its last one's next due date (6
    months on) is not before the period end; a plan without reviews, if its first review is
    due on the period end itself (it has been on the plan exactly three months)."""
    end = period.end
    plans = (
        plans_for(district)
        .filter(open_on(end))
        .alias(three_months_on=AddMonths(F("start_date"), 3))
        .filter(three_months_on__lte=end)
    )
    aggregates = {"eligible": Count("id"), "due_at_end": Count("id", filter=Q(three_months_on=end))}
    if by_district:
        rows = plans.values("child__district").annotate(**aggregates).order_by()
        totals = {row.pop("child__district"): row for row in rows}
    else:
        totals = {None: plans.aggregate(**aggregates)}
    reviewed = _reviewed_plans(end=end, district=district, by_district=by_district)
    result = {}
    for key, total in totals.items():
        plans_reviewed, reviewed_on_time, reviewed_due_at_end = reviewed.get(key, (0, 0, 0))
        unreviewed_on_time = total["due_at_end"] - reviewed_due_at_end
        result[key] = ratio(reviewed_on_time + unreviewed_on_time, total["eligible"])
    return result if by_district else result[None]


def _reviewed_plans(*, end: date, district: District | None, by_district: bool) -> dict:
    """For the NI 67 plans with a review by `end`, per district (or under None for all):
    (how many, how many are on time at `end`, how many had their first review due on `end`)."""
    three_months_on = AddMonths(F(f"{PLAN}__start_date"), 3)
    reviews = (
        _plan_reviews(
            up_to=end,
            district=district,
            plans=open_on(end),
            conditions=[LessThanOrEqual(three_months_on, end)],
        )
        .annotate(
            district_id=F("child__district") if by_district else Value(None, IntegerField()),
            late=Case(When(held_on__gt=F("due_by"), then=Value(1)), default=Value(0)),
            next_due=AddMonths(F("conference__date"), 6),
            due_at_end=Case(
                When(Exact(three_months_on, end), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values("plan_id", "district_id", "late", "next_due", "due_at_end")
    )
    inner, params = reviews.query.sql_with_params()
    # Compiled by Django with its parameters apart: no value is formatted into the SQL.
    sql = (
        "SELECT district_id, COUNT(*), "  # noqa: S608
        "SUM(CASE WHEN late = 0 AND next_due >= %s THEN 1 ELSE 0 END), SUM(due_at_end) "
        "FROM (SELECT plan_id, district_id, MAX(late) AS late, MAX(next_due) AS next_due, "
        f"MAX(due_at_end) AS due_at_end FROM ({inner}) reviews GROUP BY plan_id, district_id) "
        "plans GROUP BY district_id"
    )
    found = sql_rows(sql, (_param(end), *params))
    return {key: tuple(int(value or 0) for value in values) for key, *values in found}


def late_reviews(*, period: Period, district: District | None = None) -> list[dict]:
    """Each child whose review conference in the period was held after its national due date:
    due date, held date, days late and reason (§6.3.1)."""
    # Only plans still open at the period's start can have a review in it: the window still
    # sees every earlier review of those plans, and no other plan's.
    still_open = Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    reviews = _plan_reviews(up_to=period.end, district=district, plans=still_open).annotate(
        child_local_id=F("child__local_id"),
        district_name=F("child__district__name"),
        reason=Coalesce(
            _nonblank("conference__delay_reason"),
            _nonblank("conference__rearranged_from__adjournment_reason"),
        ),
    )
    columns = (
        "child_id",
        "child_local_id",
        "district_name",
        "conference_id",
        "held_on",
        "due_by",
        "reason",
    )
    inner, params = reviews.values(*columns).query.sql_with_params()
    # The period's start filters the windowed rows, not the reviews the window looks back on.
    sql = (  # Django-compiled SQL, its parameters apart
        f"SELECT {', '.join(columns)} FROM ({inner}) reviews "  # noqa: S608
        "WHERE held_on >= %s AND held_on > due_by ORDER BY held_on, child_local_id"
    )
    labels = dict(Conference.AdjournmentReason.choices)
    rows = []
    for child_id, local_id, district_name, conference_id, held, due, reason in sql_rows(
        sql, (*params, _param(period.start))
    ):
        held_on, due_on = _as_date(held), _as_date(due)
        rows.append(
            {
                "child_id": child_id,
                "child_local_id": local_id,
                "district": district_name,
                "conference_id": conference_id,
                "due_on": due_on.isoformat(),
                "held_on": held_on.isoformat(),
                "days_late": (held_on - due_on).days,
                "reason": labels.get(reason, "Not recorded"),
            }
        )
    return rows


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
