"""Reads of conferences and what is due, always through the user's access (style.md: selectors).

The list to book, the due list command, the API and the landing pages read the dates the
services stored (plans' next review, enquiries' targets, reconvene-by, transfer-in targets);
none of them computes a statutory date itself.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import CharField as CharType
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Value
from django.http import Http404

from children.models import Household
from iro_service.dates import working_days_between
from people.access import district_scope
from people.models import User
from plans.models import ChildProtectionPlan

from . import rules
from .models import (
    Conference,
    ConferenceChild,
    DateProposal,
    S47Enquiry,
    StrategyMeeting,
    TransferIn,
)

NOT_REQUIRED = [S47Enquiry.Outcome.NO_CONFERENCE_HARM, S47Enquiry.Outcome.NO_HARM]
AWAITING = [S47Enquiry.Outcome.ONGOING, S47Enquiry.Outcome.CONFERENCE]


def conference_list_for(user: User) -> QuerySet[Conference]:
    conferences = Conference.objects.select_related(
        "household__district", "venue", "chair", "minute_taker"
    )
    district_id = district_scope(user)
    if district_id is not None:
        conferences = conferences.filter(household__district_id=district_id)
    return conferences


def access_conference(user: User, conference_id) -> Conference:
    """The conference, or 404 whether it does not exist or the user may not see it."""
    try:
        return conference_list_for(user).get(pk=conference_id)
    except (Conference.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No conference found") from exc


def strategy_meeting_list_for(user: User) -> QuerySet[StrategyMeeting]:
    meetings = StrategyMeeting.objects.select_related("district", "venue", "chair")
    district_id = district_scope(user)
    if district_id is not None:
        meetings = meetings.filter(district_id=district_id)
    return meetings


def access_strategy_meeting(user: User, meeting_id) -> StrategyMeeting:
    try:
        return strategy_meeting_list_for(user).get(pk=meeting_id)
    except (StrategyMeeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No strategy meeting found") from exc


# -- what is due ---------------------------------------------------------------------------


def open_plans_on(on: date) -> QuerySet[ChildProtectionPlan]:
    return ChildProtectionPlan.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )


def _enquiries_not_decided_against(on: date) -> QuerySet[S47Enquiry]:
    on_plan = open_plans_on(on).filter(child=OuterRef("child"))
    return S47Enquiry.objects.filter(started_on__lte=on, outcome__in=AWAITING).exclude(
        Exists(on_plan)
    )


def awaiting_initial_conference(on: date) -> QuerySet[S47Enquiry]:
    """Enquiries, begun by `on`, whose child still awaits an initial conference then: not
    decided against, no initial conference held by then, and the child not on a plan."""
    held_by_then = Q(
        initial_conference__status=Conference.Status.HELD, initial_conference__date__lte=on
    )
    return _enquiries_not_decided_against(on).exclude(held_by_then)


def awaiting_booking(today: date) -> QuerySet[S47Enquiry]:
    """Those of them with no initial conference booked either: the list to book's."""
    return _enquiries_not_decided_against(today).filter(initial_conference__isnull=True)


def _held_reviews(**filters) -> QuerySet[ConferenceChild]:
    return ConferenceChild.objects.filter(
        conference__kind=Conference.Kind.REVIEW,
        conference__status=Conference.Status.HELD,
        **filters,
    )


def reviews_due_on(on: date) -> QuerySet[ChildProtectionPlan]:
    """Plans open on `on`, each with `due`: its stored next review date, unless a review was held
    after `on` (the stored date has moved on), when `last_review_on` as at `on` is annotated
    for the caller to apply the rule to."""
    after = _held_reviews(child=OuterRef("child"), conference__date__gt=on)
    last = (
        _held_reviews(
            child=OuterRef("child"),
            conference__date__gt=OuterRef("start_date"),
            conference__date__lte=on,
        )
        .order_by()
        .values("child")
        .annotate(last=Max("conference__date"))
        .values("last")
    )
    return open_plans_on(on).annotate(reviewed_since=Exists(after), last_review_on=last)


@dataclass(frozen=True)
class ToBookRow:
    kind: str
    household: Household
    due_by: date
    children: int
    working_days_left: int
    # For an initial conference: no decision to convene recorded yet (the enquiry is ongoing,
    # as a census import leaves it), so business support may book only provisionally.
    awaiting_decision: bool = False

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


# Reviews due this far ahead are on the list to book: time to invite people and ask for reports.
REVIEW_HORIZON_WEEKS = 12

KIND_LABELS = {
    "initial": "Initial conference",
    "review": "Review",
    "reconvene": "Adjourned: to reconvene",
    "transfer_in": "Transfer in",
}


def _scoped(queryset, district_field: str, *, user: User, district_id):
    scope = district_scope(user)
    if scope is not None:
        queryset = queryset.filter(**{district_field: scope})
    if district_id is not None:
        queryset = queryset.filter(**{district_field: district_id})
    return queryset


def _grouped(queryset, kind: str, household: str, due: str, child: str):
    return (
        queryset.order_by()
        .values(household)
        .annotate(
            k=Value(kind, output_field=CharType()),
            due=Min(due),
            n=Count(child, distinct=True),
        )
        .values_list("k", household, "due", "n")
    )


def to_book_querysets(*, user: User, today: date, review_horizon: date, district_id=None):
    """One grouped queryset per kind of conference to book, rows of (kind, household id,
    due by, children): households, not children, are booked (§5.4)."""
    # The children at a booked review: a few thousand, read once and hashed (NOT IN), not
    # looked up again for each of the tens of thousands of plans with a review coming due.
    at_booked_review = ConferenceChild.objects.filter(
        conference__kind=Conference.Kind.REVIEW,
        conference__status=Conference.Status.BOOKED,
    ).values("child_id")
    initial = awaiting_booking(today)
    reviews = ChildProtectionPlan.objects.filter(
        end_date__isnull=True, next_review_due_by__lte=review_horizon
    ).exclude(child_id__in=at_booked_review)
    # Adjourned and not yet rearranged: each adjourned conference looked up in the unique
    # index of what was rearranged from what, not a join of every rearranged conference.
    rearranged = Conference.objects.filter(rearranged_from=OuterRef("pk"))
    adjourned = Conference.objects.filter(status=Conference.Status.ADJOURNED).exclude(
        Exists(rearranged)
    )
    transfers = TransferIn.objects.filter(conference__isnull=True)
    scope = {"user": user, "district_id": district_id}
    return {
        "initial": _grouped(
            _scoped(initial, "child__district_id", **scope),
            "initial",
            "child__household_id",
            "initial_conference_due_by",
            "child",
        ),
        "review": _grouped(
            _scoped(reviews, "child__district_id", **scope),
            "review",
            "child__household_id",
            "next_review_due_by",
            "child",
        ),
        "reconvene": _grouped(
            _scoped(adjourned, "household__district_id", **scope),
            "reconvene",
            "household_id",
            "reconvene_by",
            "child_outcomes__child",
        ),
        "transfer_in": _grouped(
            _scoped(transfers, "child__district_id", **scope),
            "transfer_in",
            "child__household_id",
            "conference_due_by",
            "child",
        ),
    }


def to_book_counts(querysets: dict) -> dict[str, int]:
    return {kind: queryset.count() for kind, queryset in querysets.items()}


def to_book_rows(
    querysets: dict, *, kinds, today: date, offset: int, limit: int
) -> list[ToBookRow]:
    """A page of the list to book, oldest due first, across the kinds asked for."""
    chosen = [querysets[kind] for kind in kinds]
    combined = chosen[0].union(*chosen[1:], all=True) if len(chosen) > 1 else chosen[0]
    page = list(combined.order_by("due")[offset : offset + limit])
    households = Household.objects.select_related("district").in_bulk(
        [row[1] for row in page if row[1] is not None]
    )
    undecided = set(
        S47Enquiry.objects.filter(
            outcome=S47Enquiry.Outcome.ONGOING,
            initial_conference__isnull=True,
            child__household__in=[row[1] for row in page if row[0] == "initial"],
        ).values_list("child__household", flat=True)
    )
    rows = []
    for kind, household_id, due, count in page:
        if household_id not in households or due is None:
            continue
        left = (
            working_days_between(today, due) if due > today else -working_days_between(due, today)
        )
        waiting = kind == "initial" and household_id in undecided
        rows.append(ToBookRow(kind, households[household_id], due, count, left, waiting))
    return rows


class ToBookList:
    """The list to book as a paginator pages through it (the page and the API): the counts
    per kind at once, the rows from SQL a page at a time."""

    def __init__(self, *, user: User, today: date, district_id=None, kinds=None):
        self.today = today
        self.kinds = list(kinds or KIND_LABELS)
        self.querysets = to_book_querysets(
            user=user,
            today=today,
            review_horizon=today + timedelta(weeks=REVIEW_HORIZON_WEEKS),
            district_id=district_id,
        )
        self.counts = to_book_counts(self.querysets)

    def count(self) -> int:
        return sum(self.counts[kind] for kind in self.kinds)

    def __getitem__(self, window: slice) -> list[ToBookRow]:
        start = window.start or 0
        return to_book_rows(
            self.querysets,
            kinds=self.kinds,
            today=self.today,
            offset=start,
            limit=(window.stop or start) - start,
        )


def adjourned_awaiting(household) -> Conference | None:
    """The household's adjourned conference with no booking yet to reconvene it."""
    return Conference.objects.filter(
        household=household, status=Conference.Status.ADJOURNED, rearranged_as__isnull=True
    ).first()


def transfer_in_awaiting(household) -> TransferIn | None:
    """A transfer in of one of the household's children with no conference booked yet."""
    return TransferIn.objects.filter(child__household=household, conference__isnull=True).first()


def meetings_between(
    *, user: User, start: datetime, end: datetime, chair=None, person=None, venue=None
) -> list:
    """Conferences and strategy meetings booked or held in [start, end), in time order: those
    a person chairs (`chair`), chairs or minutes (`person`), or at a venue. Two queries."""
    conferences = conference_list_for(user).filter(
        scheduled_for__gte=start,
        scheduled_for__lt=end,
        status__in=[Conference.Status.BOOKED, Conference.Status.HELD],
    )
    meetings = strategy_meeting_list_for(user).filter(
        scheduled_for__gte=start,
        scheduled_for__lt=end,
        status__in=[StrategyMeeting.Status.BOOKED, StrategyMeeting.Status.HELD],
    )
    if chair is not None:
        conferences, meetings = conferences.filter(chair=chair), meetings.filter(chair=chair)
    if person is not None:
        who = Q(chair=person) | Q(minute_taker=person)
        conferences, meetings = conferences.filter(who), meetings.filter(who)
    if venue is not None:
        conferences, meetings = conferences.filter(venue=venue), meetings.filter(venue=venue)
    conferences = conferences.annotate(children_count=Count("child_outcomes"))
    return sorted([*conferences, *meetings], key=lambda item: item.scheduled_for)


def _review_due(plan, *, timescales) -> date:
    """The stored next review date, or, when it has moved on since `on` (a later review was
    held, or the plan has ended), the rule applied to the reviews held by then."""
    if plan.next_review_due_by is not None and not plan.reviewed_since:
        return plan.next_review_due_by
    born = plan.child.date_of_birth if plan.is_pre_birth else None
    held = [plan.last_review_on] if plan.last_review_on else []
    return rules.next_review_due_by(
        plan_start=plan.start_date, reviews_held=held, timescales=timescales, born_on=born
    )


def due_list(*, on: date, district_id=None, timescales=None) -> dict[str, list[dict]]:
    """What is due as at `on`: each child on an open plan with their next review, and each
    child awaiting an initial conference with its target (the `due_list` command and API)."""
    timescales = timescales or settings.IRO_TIMESCALES
    plans = reviews_due_on(on).select_related("child").order_by()
    enquiries = awaiting_initial_conference(on).select_related("child").order_by("started_on", "pk")
    if district_id is not None:
        plans = plans.filter(child__district_id=district_id)
        enquiries = enquiries.filter(child__district_id=district_id)
    reviews: dict[str, date] = {}
    for plan in plans:
        due = _review_due(plan, timescales=timescales)
        child = plan.child.local_id
        reviews[child] = min(due, reviews.get(child, due))
    initial = {e.child.local_id: e.initial_conference_due_by for e in enquiries}  # latest wins
    return {
        "reviews": [
            {"child": child, "due_by": due.isoformat()}
            for child, due in sorted(reviews.items(), key=lambda item: (item[1], item[0]))
        ],
        "initial_conferences": [
            {"child": child, "target": target.isoformat()}
            for child, target in sorted(initial.items(), key=lambda item: (item[1], item[0]))
            if target is not None
        ],
    }


def open_proposals_for(user: User) -> QuerySet:
    """Dates chairs have proposed that business support have not yet acted on."""
    return (
        DateProposal.objects.filter(
            outcome=DateProposal.Outcome.OPEN,
            conference__in=conference_list_for(user).filter(status=Conference.Status.BOOKED),
        )
        .select_related("conference__household", "proposed_by")
        .order_by("starts_at")
    )


def conferences_to_record(user: User, *, today: date, chair=None) -> QuerySet[Conference]:
    """Booked conferences whose day has come and that are not yet recorded as held or
    adjourned: the chair's (`chair`), or every one the user can see. Oldest first."""
    conferences = conference_list_for(user).filter(status=Conference.Status.BOOKED, date__lte=today)
    if chair is not None:
        conferences = conferences.filter(chair=chair)
    return (
        conferences.select_related("household", "chair")
        .annotate(children_count=Count("child_outcomes"))
        .order_by("scheduled_for")
    )
