"""Snapshots of every measure (services push): request one, and compute it exactly once.

A snapshot moves queued -> running -> done (or failed), each move one guarded UPDATE, so a
task delivered twice, or two workers given the same snapshot, compute it once. Its figures are
read in one consistent transaction (`selectors.consistent_read`) whose start is `data_as_of`,
and are stored in the same UPDATE that marks it done: a failure stores nothing but the error.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

import jobs
from people.models import District, User

from .metrics import Period
from .models import IndicatorSnapshot
from .selectors import consistent_read, dashboard_period, measure_steps, reporting_year_of

logger = logging.getLogger(__name__)
Status = IndicatorSnapshot.Status

# A queued or running snapshot older than this lost its worker (a crash, a lost message): it
# is marked failed so that it no longer blocks a new request for the same year and district.
ABANDONED_AFTER = timedelta(hours=1)
FIRST_YEAR, LAST_YEAR = 1990, 2100


def snapshot_request(
    *, year: int, district: District | None, by: User | None
) -> tuple[IndicatorSnapshot, bool]:
    """The snapshot already queued or running for the year and district, or a new queued one
    (second value True) whose computation is queued once the transaction commits."""
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


def snapshot_refresh_current_year(*, today: date) -> list[IndicatorSnapshot]:
    """Request the current year's figures for the authority and for each district."""
    year = reporting_year_of(today)
    districts = [None, *District.objects.order_by("name")]
    return [snapshot_request(year=year, district=d, by=None)[0] for d in districts]


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
    except Exception as exc:  # any failure of any measure: record it, store no figures
        logger.exception("Snapshot %s failed", snapshot_id)
        return _fail(snapshot_id, f"{type(exc).__name__}: {exc}")
    stored = IndicatorSnapshot.objects.transition(
        snapshot_id,
        old=Status.RUNNING,
        new=Status.DONE,
        data=data,
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
        for done, (name, measure) in enumerate(steps.items(), start=1):
            data[name] = measure()
            progress(done, len(steps))
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
