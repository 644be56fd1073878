"""Conference and strategy meeting activity, adjournments, timeliness of the initial
conference and of the decision sheet (§6, §7.2, §7.7.2)."""

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber, TruncDate, TruncMonth

from conferences.models import Conference, ConferenceChild, StrategyMeeting
from people.models import District

from .periods import Period, count_ratio, ratio
from .sql import sql_rows

INITIAL_KINDS = [Conference.Kind.INITIAL, Conference.Kind.PRE_BIRTH_INITIAL]


def conferences_in(period: Period, district: District | None, **filters) -> QuerySet[Conference]:
    conferences = Conference.objects.filter(date__range=(period.start, period.end), **filters)
    return conferences.filter(household__district=district) if district is not None else conferences


def held_conferences(period: Period, district: District | None = None) -> QuerySet[Conference]:
    return conferences_in(period, district, status=Conference.Status.HELD)


def conferences_held(*, period: Period, district: District | None = None) -> dict:
    """Conferences held in the period, by kind: a pre-birth initial counts as initial (§6)."""
    return held_conferences(period, district).aggregate(
        initial=Count("id", filter=Q(kind__in=INITIAL_KINDS)),
        review=Count("id", filter=Q(kind=Conference.Kind.REVIEW)),
        transfer_in=Count("id", filter=Q(kind=Conference.Kind.TRANSFER_IN)),
        total=Count("id"),
    )


def strategy_meetings_held(*, period: Period, district: District | None = None) -> dict:
    """Strategy meetings held in the period, by kind (§3, §6)."""
    meetings = StrategyMeeting.objects.filter(
        status=StrategyMeeting.Status.HELD, date__range=(period.start, period.end)
    )
    if district is not None:
        meetings = meetings.filter(district=district)
    counts = meetings.aggregate(
        total=Count("id"),
        **{kind: Count("id", filter=Q(kind=kind)) for kind in StrategyMeeting.Kind.values},
    )
    return {"total": counts.pop("total"), "by_kind": counts}


def adjournments(*, period: Period, district: District | None = None) -> list[dict]:
    """Conferences adjourned or rearranged, per month and reason (§6.3.1)."""
    rows = (
        conferences_in(period, district)
        .filter(status__in=[Conference.Status.ADJOURNED, Conference.Status.REARRANGED])
        .annotate(month=TruncMonth("date"))
        .values("month", "adjournment_reason")
        .annotate(count=Count("id"))
        .order_by("month", "adjournment_reason")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "reason": row["adjournment_reason"],
            "count": row["count"],
        }
        for row in rows
    ]


def initial_conference_timeliness(
    *, period: Period, district: District | None = None, by_district: bool = False
):
    """Children considered at initial conferences held in the period after a strategy
    discussion, held on or before the 15th working day after it (CIN InitialCPCtarget; DfE C4
    counts children).

    A child's due date is that of their latest enquiry leading to the conference. The query
    joins the children considered at the year's initial conferences (a few thousand) to their
    enquiries, rather than asking for each child considered at any conference: the latest
    enquiry per child and conference comes from a window function, the outer query counts."""
    conferences = held_conferences(period, district).filter(kind__in=INITIAL_KINDS)
    enquiry = "child__s47_enquiries"
    latest_first = Window(
        RowNumber(),
        partition_by=[F("id")],
        order_by=[F(f"{enquiry}__started_on").desc(), F(f"{enquiry}__id").desc()],
    )
    enquiries = (
        ConferenceChild.objects.filter(
            conference__in=conferences, **{f"{enquiry}__initial_conference": F("conference")}
        )
        .annotate(
            latest=latest_first,
            held_on=F("conference__date"),
            initial_conference_due_by=F(f"{enquiry}__initial_conference_due_by"),
            district_id=(
                F("conference__household__district") if by_district else Value(None, IntegerField())
            ),
        )
        .values("district_id", "held_on", "initial_conference_due_by", "latest")
    )
    inner, params = enquiries.query.sql_with_params()
    sql = (  # Django-compiled SQL, its parameters apart
        "SELECT district_id, COUNT(*), "  # noqa: S608
        "SUM(CASE WHEN held_on <= initial_conference_due_by THEN 1 ELSE 0 END) "
        f"FROM ({inner}) enquiries "
        "WHERE latest = 1 AND initial_conference_due_by IS NOT NULL GROUP BY district_id"
    )
    counts = {key: ratio(on_time, total) for key, total, on_time in sql_rows(sql, params)}
    if by_district:
        return counts
    return counts.get(None, ratio(0, 0))


def decision_sheets_on_time(
    *, period: Period, district: District | None = None, by_district: bool = False
):
    """Held conferences whose decision sheet went out within one working day (§7.7.2)."""
    conferences = held_conferences(period, district).annotate(
        sent_on=TruncDate("decision_sheet_distributed_at")
    )
    return count_ratio(
        conferences,
        Q(sent_on__lte=F("decision_sheet_due_by")),
        by="household__district" if by_district else None,
    )
