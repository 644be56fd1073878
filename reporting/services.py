"""Snapshots of every measure (services push): request one, and compute it exactly once.

A snapshot moves queued -> running -> done (or failed), each move one guarded UPDATE, so a
task delivered twice, or two workers given the same snapshot, compute it once. Its figures are
read in one consistent transaction (`selectors.consistent_read`) whose start is `data_as_of`,
and are stored in the same UPDATE that marks it done: a failure stores nothing but the error.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Min
from django.utils import timezone

import jobs
from conferences.models import Conference
from people.models import District, User
from plans.models import ChildProtectionPlan

from .charts import dashboard_charts
from .freshness import records_changed_at
from .metrics import Period
from .metrics.together import run_steps
from .models import IndicatorSnapshot
from .selectors import (
    Figures,
    active_snapshot,
    consistent_read,
    dashboard_period,
    latest_done_snapshot,
    measure_steps,
    reporting_year_of,
    with_reference,
)

logger = logging.getLogger(__name__)
Status = IndicatorSnapshot.Status
Reason = IndicatorSnapshot.Reason

# A queued or running snapshot older than this lost its worker (a crash, a lost message): it
# is marked failed so that it no longer blocks a new request for the same year and district.
ABANDONED_AFTER = timedelta(hours=1)
FIRST_YEAR, LAST_YEAR = 1990, 2100


def snapshot_request(
    *, year: int, district: District | None, by: User | None, reason: str | None = None
) -> tuple[IndicatorSnapshot, bool]:
    """The snapshot already queued or running for the year and district, or a new queued one
    (second value True) whose computation is queued once the transaction commits. `reason`:
    why it was asked for (Reason), by default "asked" with a user and "nightly" without."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"Choose a year between {FIRST_YEAR} and {LAST_YEAR}."})
    with transaction.atomic():
        _abandon_stale(year=year, district=district)
        active = IndicatorSnapshot.objects.active().filter(year=year, district=district).first()
        if active is not None:
            return active, False
        try:
            with transaction.atomic():
                snapshot = IndicatorSnapshot.objects.create(
                    year=year,
                    district=district,
                    requested_by=by,
                    reason=reason or (Reason.ASKED if by is not None else Reason.NIGHTLY),
                    steps_total=_steps(year, district),
                )
        except IntegrityError:
            # Another request created it between our read and our insert: use theirs.
            return IndicatorSnapshot.objects.active().get(year=year, district=district), False
        from .tasks import compute_snapshot  # the task module imports this one

        jobs.enqueue(compute_snapshot, snapshot.pk)  # kept if Redis is down, sent when back
    return snapshot, True


def _steps(year: int, district: District | None) -> int:
    """How many measures the snapshot will compute, so its progress reads "0 of N" at once."""
    return len(measure_steps(period=Period.year(year), district=district))


def _abandon_stale(*, year: int, district: District | None) -> None:
    cutoff = timezone.now() - ABANDONED_AFTER
    for stale in IndicatorSnapshot.objects.active().filter(
        year=year, district=district, requested_at__lt=cutoff
    ):
        IndicatorSnapshot.objects.transition(
            stale.pk,
            old=stale.status,
            new=Status.FAILED,
            finished_at=timezone.now(),
            error=f"Abandoned: not finished within {ABANDONED_AFTER} of being requested.",
        )


@dataclass(frozen=True)
class Stored:
    """What the pages show: the newest stored figures (None before the first are stored), the
    snapshot computing newer ones (None if none is), and whether records have changed since
    the stored figures' moment."""

    figures: Figures | None
    pending: IndicatorSnapshot | None
    out_of_date: bool


def stored_figures(*, year: int, district: District | None) -> Stored:
    """The stored figures for a year and district, never computed in the request: when there
    are none yet, or records changed since, newer ones are asked for (once: a request while
    they are queued or running reuses them) and computed by a worker. With no worker at all
    (Celery eager: `make run`, the tests) this request does the worker's part."""
    snapshot = latest_done_snapshot(year=year, district=district)
    changed = records_changed_at()
    out_of_date = snapshot is not None and changed is not None and snapshot.data_as_of < changed
    pending = active_snapshot(year=year, district=district)
    if pending is None and (snapshot is None or out_of_date):
        reason = Reason.RECORDS_CHANGED if snapshot is not None else Reason.FIRST_LOOK
        pending, _ = snapshot_request(year=year, district=district, by=None, reason=reason)
        if current_app.conf.task_always_eager:
            snapshot_compute(snapshot_id=pending.pk)
            pending.refresh_from_db()
        if pending.status == Status.DONE:
            snapshot, pending, out_of_date = pending, None, False
        elif not pending.is_active:
            pending = None  # failed: the page shows what is stored, with a way to try again
    figures = None
    if snapshot is not None:
        figures = Figures(data=snapshot.data, as_of=snapshot.data_as_of, snapshot=snapshot)
    return Stored(figures=figures, pending=pending, out_of_date=out_of_date)


def years_with_data(*, today: date) -> list[int]:
    """Every reporting year from the first with a plan or a conference to the current one."""
    current = reporting_year_of(today)
    firsts = [
        ChildProtectionPlan.objects.aggregate(first=Min("start_date"))["first"],
        Conference.objects.aggregate(first=Min("date"))["first"],
    ]
    known = [reporting_year_of(day) for day in firsts if day is not None and day <= today]
    return list(range(min(known), current + 1)) if known else [current]


def snapshot_refresh_years(years, *, reason: str) -> list[IndicatorSnapshot]:
    """Request the figures of each year for the authority and for each district."""
    districts = [None, *District.objects.order_by("name")]
    return [
        snapshot_request(year=year, district=d, by=None, reason=reason)[0]
        for year in years
        for d in districts
    ]


def snapshot_refresh_nightly(*, today: date) -> list[IndicatorSnapshot]:
    """Every year with data, for the authority and each district: the figures of past years
    change too when an old record is corrected or imported."""
    return snapshot_refresh_years(years_with_data(today=today), reason=Reason.NIGHTLY)


def snapshot_refresh_changed(*, today: date) -> list[IndicatorSnapshot]:
    """The current and the previous year, for the authority and each district, where records
    changed after their stored figures (or none are stored): coalesced, at most one refresh
    per year and district however many records changed. Older years are refreshed nightly,
    and when someone opens them (stored_figures)."""
    changed = records_changed_at()
    current = reporting_year_of(today)
    asked = []
    for year in (current, current - 1):
        for district in [None, *District.objects.order_by("name")]:
            latest = latest_done_snapshot(year=year, district=district)
            if latest is not None and (changed is None or latest.data_as_of >= changed):
                continue
            reason = Reason.RECORDS_CHANGED if latest is not None else Reason.FIRST_LOOK
            asked.append(snapshot_request(year=year, district=district, by=None, reason=reason)[0])
    return asked


def snapshot_compute(*, snapshot_id: int) -> str:
    """Compute a queued snapshot and store its figures. Safe to run twice: a snapshot that is
    not queued (running elsewhere, done or failed) is left alone. Returns its status."""
    claimed = IndicatorSnapshot.objects.transition(
        snapshot_id, old=Status.QUEUED, new=Status.RUNNING, started_at=timezone.now()
    )
    snapshot = IndicatorSnapshot.objects.select_related("district").get(pk=snapshot_id)
    if not claimed:
        return snapshot.status
    try:
        data, as_of, steps = _compute(snapshot)
        # Drawn once here, not on each visit to the dashboard.
        charts = dashboard_charts(with_reference(data, year=snapshot.year))
    except Exception as exc:  # any failure of any measure: record it, store no figures
        logger.exception("Snapshot %s failed", snapshot_id)
        return _fail(snapshot_id, f"{type(exc).__name__}: {exc}")
    stored = IndicatorSnapshot.objects.transition(
        snapshot_id,
        old=Status.RUNNING,
        new=Status.DONE,
        data=data,
        charts=charts,
        data_as_of=as_of,
        finished_at=timezone.now(),
        steps_done=steps,
        steps_total=steps,
    )
    # Not stored: it was given up as abandoned while it ran, and a newer one replaced it.
    return Status.DONE if stored else IndicatorSnapshot.objects.get(pk=snapshot_id).status


def _fail(snapshot_id: int, error: str) -> str:
    IndicatorSnapshot.objects.transition(
        snapshot_id,
        old=Status.RUNNING,
        new=Status.FAILED,
        finished_at=timezone.now(),
        error=error[:2000],
    )
    return Status.FAILED


def _compute(snapshot: IndicatorSnapshot) -> tuple[dict, datetime, int]:
    """Every measure, one at a time, recording progress after each: (figures, as at, steps)."""
    with _progress_writer(snapshot.pk) as progress, consistent_read() as as_of:
        period = dashboard_period(year=snapshot.year, today=timezone.localdate(as_of))
        steps = measure_steps(period=period, district=snapshot.district)
        district = snapshot.district
        data = {"period": period.as_dict(), "district": district.name if district else None}
        progress(0, len(steps))
        data.update(run_steps(steps, done=lambda done: progress(done, len(steps))))
    return data, as_of, len(steps)


@contextmanager
def _progress_writer(snapshot_id: int) -> Iterator[Callable[[int, int], None]]:
    """A function that records steps done, where the progress page can see it at once.

    The figures are read inside one long transaction, whose writes nobody else sees before it
    commits. On PostgreSQL progress therefore goes through a second, autocommitting
    connection. Elsewhere (SQLite in development, where a second writer would wait for the
    reader's lock; or a caller's own transaction, as in tests) it goes through this one.
    """
    separate = connection.vendor == "postgresql" and not connection.in_atomic_block
    if not separate:
        yield _progress_recorder(snapshot_id)
        return
    side = connection.copy()
    try:
        yield _progress_recorder(snapshot_id, through=side)
    finally:
        side.close()


def _progress_recorder(snapshot_id: int, *, through=None) -> Callable[[int, int], None]:
    def record(done: int, total: int) -> None:
        if through is None:
            IndicatorSnapshot.objects.filter(pk=snapshot_id, status=Status.RUNNING).update(
                steps_done=done, steps_total=total
            )
            return
        table = through.ops.quote_name(IndicatorSnapshot._meta.db_table)
        with through.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET steps_done = %s, steps_total = %s "  # noqa: S608 - our own table name
                "WHERE id = %s AND status = %s",
                [done, total, snapshot_id, Status.RUNNING.value],
            )

    return record
