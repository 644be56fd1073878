"""Review timeliness: NI 67 (DfE D6) and the late reviews behind it (§6.3.1).

NI 67 always uses the national timescales (first review within 3 months of the plan's start,
then within 6 months of the previous review), whatever stricter local targets an authority
books to. A review counts for a child only if that child was considered at the conference.

Each plan's held reviews, with their national due dates and whether they were late, are
stored when the records change (plans/reviews.py applies the rule, style.md rule 2), so both
measures read indexed rows: no window over every review ever held is computed here.
"""

from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.lookups import Exact, LessThanOrEqual

from children.models import Child
from conferences.models import Conference, ConferenceChild
from people.models import District
from plans.models import PlanReview
from plans.rules import FIRST_REVIEW_MONTHS, LATER_REVIEW_MONTHS

from .periods import Period, ratio
from .plans import open_on, plans_for
from .sql import AddMonths, date_param, on_path, sql_rows, values_by_id


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
        .alias(three_months_on=AddMonths(F("start_date"), FIRST_REVIEW_MONTHS))
        .filter(three_months_on__lte=end)
    )
    aggregates = {"eligible": Count("id"), "due_at_end": Count("id", filter=Q(three_months_on=end))}
    if by_district:
        rows = plans.values("district").annotate(**aggregates).order_by()
        totals = {row.pop("district"): row for row in rows}
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
    three_months_on = AddMonths(F("plan_start_date"), FIRST_REVIEW_MONTHS)
    # The reviews of the plans open at the end are found from their own stored copy of the
    # plan's span (its index); the plans, joined for their district, are the few open then.
    reviews = PlanReview.objects.filter(
        on_path(open_on(end), "plan"),
        LessThanOrEqual(three_months_on, end),
        plan_open_until__gt=end,
        plan_start_date__lte=end,
        held_on__lte=end,
    )
    if district is not None:
        reviews = reviews.filter(plan__district=district)
    reviews = reviews.annotate(
        district_id=F("plan__district") if by_district else Value(None, IntegerField()),
        late_review=Case(When(late=True, then=Value(1)), default=Value(0)),
        next_due=AddMonths(F("held_on"), LATER_REVIEW_MONTHS),
        due_at_end=Case(
            When(Exact(three_months_on, end), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).values("plan_id", "district_id", "late_review", "next_due", "due_at_end")
    inner, params = reviews.query.sql_with_params()
    # Compiled by Django with its parameters apart: no value is formatted into the SQL.
    sql = (
        "SELECT district_id, COUNT(*), "  # noqa: S608
        "SUM(CASE WHEN late = 0 AND next_due >= %s THEN 1 ELSE 0 END), SUM(due_at_end) "
        "FROM (SELECT plan_id, district_id, MAX(late_review) AS late, MAX(next_due) AS next_due, "
        f"MAX(due_at_end) AS due_at_end FROM ({inner}) reviews GROUP BY plan_id, district_id) "
        "plans GROUP BY district_id"
    )
    found = sql_rows(sql, (date_param(end), *params))
    return {key: tuple(int(value or 0) for value in values) for key, *values in found}


def late_reviews(*, period: Period, district: District | None = None) -> list[dict]:
    """Each child whose review conference in the period was held after its national due date:
    due date, held date, days late and reason (§6.3.1).

    The late reviews are found by index (a few thousand a year at most); their children and
    conferences are then read by primary key, not joined."""
    reviews = PlanReview.objects.filter(late=True, held_on__range=(period.start, period.end))
    if district is not None:
        reviews = reviews.filter(plan__district=district)
    found = list(reviews.values("child_id", "conference_child_id", "plan_id", "held_on", "due_by"))
    children = values_by_id(
        Child.objects.all(), [r["child_id"] for r in found], "local_id", "district_id"
    )
    considered = values_by_id(
        ConferenceChild.objects.all(), [r["conference_child_id"] for r in found], "conference_id"
    )
    conferences = values_by_id(
        Conference.objects.all(),
        [row["conference_id"] for row in considered.values()],
        "delay_reason",
        "rearranged_from_id",
    )
    first_bookings = values_by_id(
        Conference.objects.all(),
        [row["rearranged_from_id"] for row in conferences.values()],
        "adjournment_reason",
    )
    districts = dict(District.objects.values_list("pk", "name"))
    labels = dict(Conference.AdjournmentReason.choices)
    rows = []
    for review in found:
        child = children[review["child_id"]]
        conference_id = considered[review["conference_child_id"]]["conference_id"]
        conference = conferences[conference_id]
        first = first_bookings.get(conference["rearranged_from_id"], {})
        reason = conference["delay_reason"] or first.get("adjournment_reason") or None
        held_on, due_on = review["held_on"], review["due_by"]
        order = (held_on, child["local_id"], conference_id, review["plan_id"])
        rows.append(
            (
                order,
                {
                    "child_id": review["child_id"],
                    "child_local_id": child["local_id"],
                    "district": districts.get(child["district_id"]),
                    "conference_id": conference_id,
                    "due_on": due_on.isoformat(),
                    "held_on": held_on.isoformat(),
                    "days_late": (held_on - due_on).days,
                    "reason": labels.get(reason, "Not recorded"),
                },
            )
        )
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def reviews_due(*, on: date, district: District | None = None, days: int = 30) -> dict:
    """Open plans whose next review (the stored national due date) is overdue, or due within
    the next `days` days."""
    plans = plans_for(district).filter(end_date__isnull=True, next_review_due_by__isnull=False)
    soon = on + timedelta(days=days)
    return plans.aggregate(
        overdue=Count("id", filter=Q(next_review_due_by__lt=on)),
        due_soon=Count("id", filter=Q(next_review_due_by__gte=on, next_review_due_by__lte=soon)),
    )
