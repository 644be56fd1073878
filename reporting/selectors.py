"""Reads for the dashboard, the API and the monthly lists, always through the user's access.

A district manager sees their own district only: asking for another district's figures, lists
or snapshots answers 404, as asking for a district that does not exist does (no leak).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from children.models import LookedAfterEpisode
from conferences.models import Conference, ConferenceChild
from iro_service.dates import reporting_year_of
from iro_service.db_router import reporting_reads
from people.access import district_scope
from people.models import District, Role, User
from plans.models import ChildProtectionPlan
from plans.rules import repeat_plans_list_starts_after

from .metrics import Period, benchmarks, measure_steps, shared_district_figures
from .metrics.plans import category_on, open_on
from .metrics.sql import AddMonths, joins_without_nested_loops
from .metrics.together import one_snapshot, run_steps
from .models import IndicatorSnapshot, MonthlyListsEmail, ReferenceYear

# --- Reporting years -------------------------------------------------------------------------
# reporting_year_of (iro_service.dates) is imported above and used from here by the views.


def dashboard_period(*, year: int, today: date) -> Period:
    """The reporting year, or for the current year 1 April to today: figures "at the period
    end" of a year still running are figures at today, not at a 31 March yet to come."""
    period = Period.year(year)
    if period.start <= today < period.end:
        return Period(period.start, today)
    return period


def reporting_years(*, today: date) -> list[int]:
    """Years there can be figures for, newest first: from the year of the earliest plan (or
    reference year) to the current one."""
    current = reporting_year_of(today)
    first_plan = ChildProtectionPlan.objects.aggregate(first=Min("start_date"))["first"]
    first_reference = ReferenceYear.objects.aggregate(first=Min("year"))["first"]
    candidates = [current]
    if first_plan is not None:
        candidates.append(reporting_year_of(first_plan))
    if first_reference is not None:
        candidates.append(first_reference)
    return list(range(current, min(candidates) - 1, -1))


# --- Districts -------------------------------------------------------------------------------


def district_list_for(user: User) -> QuerySet[District]:
    districts = District.objects.order_by("name")
    district_id = district_scope(user)
    return districts.filter(pk=district_id) if district_id is not None else districts


def access_district(user: User, district_id) -> District:
    """The district, or 404 whether it does not exist or the user may not see it."""
    try:
        return district_list_for(user).get(pk=district_id)
    except (District.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No district found that you can see.") from exc


def district_for_query(user: User, raw: str | None) -> District | None:
    """The district a page or request asks for. Nothing asked: the whole authority, or a
    district manager's own district (they never see the whole authority's figures)."""
    if raw not in (None, ""):
        return access_district(user, raw)
    district_id = district_scope(user)
    return access_district(user, district_id) if district_id is not None else None


# --- Snapshots -------------------------------------------------------------------------------


def snapshot_list_for(user: User) -> QuerySet[IndicatorSnapshot]:
    """A district manager sees their district's snapshots; the whole authority's hold every
    district's figures, so they are not among them."""
    snapshots = IndicatorSnapshot.objects.select_related("district", "requested_by")
    district_id = district_scope(user)
    return snapshots.filter(district_id=district_id) if district_id is not None else snapshots


def access_snapshot(user: User, snapshot_id) -> IndicatorSnapshot:
    try:
        return snapshot_list_for(user).get(pk=snapshot_id)
    except (IndicatorSnapshot.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No snapshot found that you can see.") from exc


def latest_done_snapshot(*, year: int, district: District | None) -> IndicatorSnapshot | None:
    return (
        IndicatorSnapshot.objects.filter(
            year=year, district=district, status=IndicatorSnapshot.Status.DONE
        )
        .order_by("-data_as_of", "-id")
        .first()
    )


def active_snapshot(*, year: int, district: District | None) -> IndicatorSnapshot | None:
    return IndicatorSnapshot.objects.active().filter(year=year, district=district).first()


# --- Figures ---------------------------------------------------------------------------------


@contextmanager
def consistent_read() -> Iterator[datetime]:
    """One transaction in which every query sees the records as they stood when it began, so
    figures computed together cannot contradict each other. On PostgreSQL: REPEATABLE READ,
    read only. SQLite (development) holds its read lock to the end of the transaction, which
    gives the same. Yields the moment it began: the figures' "as at" time.

    Its reads go to the replica when one is configured (iro_service/db_router.py); the moment
    is then the last change the replica has replayed, if that is earlier (a replica running
    behind says so in the figures' "as at", never claiming records it has not seen)."""
    with reporting_reads() as alias:
        connection = connections[alias]
        outermost = not connection.in_atomic_block
        with one_snapshot(savepoint=True):
            as_of = timezone.now()
            if outermost and connection.vendor == "postgresql" and alias != DEFAULT_DB_ALIAS:
                with connection.cursor() as cursor:
                    as_of = min(as_of, _replayed_up_to(cursor) or as_of)
            # once for all the measures read in it
            with joins_without_nested_loops(), shared_district_figures():
                yield as_of


def _replayed_up_to(cursor) -> datetime | None:
    """On a streaming replica: when the last transaction it replayed committed. (Taken inside
    the REPEATABLE READ transaction, after its snapshot: it has seen at least that much.)"""
    cursor.execute("SELECT 1")  # the transaction's snapshot is taken by its first query
    cursor.execute("SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp()")
    in_recovery, replayed = cursor.fetchone()
    return replayed if in_recovery else None


@dataclass(frozen=True)
class Figures:
    """Figures for the dashboard: from a stored snapshot, or computed now from live records."""

    data: dict
    as_of: datetime
    snapshot: IndicatorSnapshot | None = None


def compute_figures(
    *, year: int, district: District | None, only: Iterable[str] | None = None
) -> Figures:
    """Compute the measures now (all of them, or only the named ones) in one consistent read."""
    with consistent_read() as as_of:
        period = dashboard_period(year=year, today=timezone.localdate(as_of))
        steps = measure_steps(period=period, district=district)
        wanted = steps if only is None else [name for name in steps if name in set(only)]
        data = {"period": period.as_dict(), "district": district.name if district else None}
        data.update(run_steps({name: steps[name] for name in wanted}))
    return Figures(data=data, as_of=as_of)


def with_reference(data: dict, *, year: int) -> dict:
    """The figures, with the benchmarks (reference data) that a district's figures leave out."""
    if "benchmarks" in data:
        return data
    return {**data, "benchmarks": benchmarks(up_to_year=year)}


# --- Monthly lists for district managers (§6.3.4) --------------------------------------------


def month_ends_up_to(today: date, *, count: int = 12) -> list[date]:
    """The last `count` month ends on or before today, newest first."""
    last = today.replace(day=1) - timedelta(days=1)
    if (today + timedelta(days=1)).day == 1:
        last = today
    return [last + relativedelta(months=-n, day=31) for n in range(count)]


def plan_list_for(user: User, *, on: date, district: District | None = None) -> QuerySet:
    """The plans a user's lists are drawn from: a district manager's district; an IRO's
    children (their latest held conference up to the date was chaired by the IRO, as the
    caseloads count them); the whole authority for everyone else."""
    plans = ChildProtectionPlan.objects.select_related("child", "child__district")
    district_id = district_scope(user)
    if district_id is not None:
        plans = plans.filter(child__district_id=district_id)
    if district is not None:
        plans = plans.filter(child__district=district)
    if user.role == Role.IRO:
        plans = plans.alias(latest_chair=Subquery(_latest_chair(on=on))).filter(
            latest_chair=user.pk
        )
    return plans


def _latest_chair(*, on: date) -> QuerySet:
    """The chair of the child's latest conference held up to a date (newest date first, then
    the newest booking, as staff.caseloads ranks them)."""
    return (
        ConferenceChild.objects.filter(
            child=OuterRef("child_id"),
            conference__status=Conference.Status.HELD,
            conference__date__lte=on,
        )
        .order_by("-conference__date", "-conference_id")
        .values("conference__chair")[:1]
    )


def plans_over_12_months_for(user: User, *, on: date, district: District | None = None):
    """Plans open on a date that had lasted 12 months or more by then (start + 12 months <=
    the date, as indicators.md counts months), longest first, with the category then."""
    return (
        plan_list_for(user, on=on, district=district)
        .filter(open_on(on))
        .alias(twelve_months_on=AddMonths(F("start_date"), 12))
        .filter(twelve_months_on__lte=on)
        .annotate(category_then=category_on(on))
        .order_by("start_date", "child__last_name", "pk")
    )


def repeat_plans_for(user: User, *, on: date, district: District | None = None):
    """Plans started in the 12 months up to a date whose child had a plan before: NI 65's rule
    (an earlier plan in the system, or an imported count of previous plans above 0)."""
    earlier = ChildProtectionPlan.objects.filter(
        child=OuterRef("child"), start_date__lt=OuterRef("start_date")
    ).order_by("-start_date")
    return (
        plan_list_for(user, on=on, district=district)
        .filter(start_date__gt=repeat_plans_list_starts_after(on), start_date__lte=on)
        .annotate(
            had_earlier=Exists(earlier),
            previous_end=Subquery(earlier.values("end_date")[:1]),
        )
        .filter(Q(had_earlier=True) | Q(number_of_previous_plans__gt=0))
        .order_by("-start_date", "child__last_name", "pk")
    )


def looked_after_on_plan_for(user: User, *, on: date, district: District | None = None):
    """Plans open on a date whose child was also looked after then, with the legal status
    and placement of that looked-after episode."""
    episode = (
        LookedAfterEpisode.objects.filter(child=OuterRef("child"), started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .order_by("-started_on")
    )
    return (
        plan_list_for(user, on=on, district=district)
        .filter(open_on(on))
        # A semi-join PostgreSQL can hash, not a subquery asked for every open plan (the
        # episode's details below are read for the rows shown only).
        .filter(Exists(episode))
        .annotate(
            looked_after_since=Subquery(episode.values("started_on")[:1]),
            legal_status=Subquery(episode.values("legal_status")[:1]),
            placement_type=Subquery(episode.values("placement_type")[:1]),
        )
        .order_by("child__last_name", "child__first_name", "pk")
    )


def last_monthly_lists_email_for(user: User) -> MonthlyListsEmail | None:
    """The last monthly email sent to this user: only ever their own."""
    return MonthlyListsEmail.objects.filter(user=user).order_by("-sent_at", "-pk").first()
