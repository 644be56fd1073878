"""Conference and strategy meeting activity, adjournments, timeliness of the initial
conference and of the decision sheet (§6, §7.2, §7.7.2)."""

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth

from conferences import timeliness
from conferences.models import Conference, InitialConferenceDue, StrategyMeeting
from people.models import District

from .periods import Period, count_ratio
from .shared import once

# Initial conferences (a pre-birth initial counts as one), as the stored due dates count them.
INITIAL_KINDS = timeliness.INITIAL_KINDS


def conferences_in(period: Period, district: District | None, **filters) -> QuerySet[Conference]:
    conferences = Conference.objects.filter(date__range=(period.start, period.end), **filters)
    return conferences.filter(district=district) if district is not None else conferences


def held_conferences(period: Period, district: District | None = None) -> QuerySet[Conference]:
    return conferences_in(period, district, status=Conference.Status.HELD)


def conferences_held(*, period: Period, district: District | None = None) -> dict:
    """Conferences held in the period, by kind: a pre-birth initial counts as initial (§6).
    Counted once per computation: QA completion and feedback returns divide by its total."""
    return once(
        ("conferences held", period, district and district.pk),
        lambda: held_conferences(period, district).aggregate(
            initial=Count("id", filter=Q(kind__in=INITIAL_KINDS)),
            review=Count("id", filter=Q(kind=Conference.Kind.REVIEW)),
            transfer_in=Count("id", filter=Q(kind=Conference.Kind.TRANSFER_IN)),
            total=Count("id"),
        ),
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

    A child's due date is that of their latest enquiry leading to the conference, stored with
    the child's place at it (conferences/timeliness.py), so this counts indexed rows."""
    children = InitialConferenceDue.objects.filter(
        held_on__range=(period.start, period.end), due_by__isnull=False
    )
    if district is not None:
        children = children.filter(district=district)
    return count_ratio(
        children,
        Q(held_on__lte=F("due_by")),
        by="district" if by_district else None,
    )


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
        by="district" if by_district else None,
    )
