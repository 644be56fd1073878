"""One computation's measures read on two connections in one snapshot (metrics/together.py):
the same figures as on one connection, none of them seeing a change committed meanwhile."""

import datetime as dt
import threading

import pytest
from django.db import connection

import reporting.metrics as metrics
from iro_service.db_router import reporting_connection
from people.models import District
from reporting.metrics import compute_all, together
from reporting.metrics.periods import Period

from ..factories import DistrictFactory, PlanFactory
from .test_snapshots import _in_another_connection

PERIOD = Period.year(2025)
WAIT = 30  # seconds a step waits for the other connection before the test gives up


@pytest.fixture
def records():
    north = DistrictFactory(name="Northbridge", code="north")
    south = DistrictFactory(name="Southmoor", code="south")
    PlanFactory(child__household__district=north, start_date=dt.date(2024, 6, 1))
    PlanFactory(child__household__district=north, start_date=dt.date(2024, 11, 20))
    PlanFactory(
        child__household__district=south,
        start_date=dt.date(2023, 1, 10),
        end_date=dt.date(2024, 9, 30),
        end_reason="other",
    )


def _watch_steps(monkeypatch):
    """Every step of compute_all records the backend it ran on and the snapshot it read in,
    and the first step on the calling thread waits until another connection has begun a step:
    so two connections surely take steps."""
    seen: list[tuple[str, int, str]] = []
    other_began = threading.Event()
    main = threading.get_ident()
    original = metrics.measure_steps

    def watched(**kwargs):
        steps = original(**kwargs)

        def wrap(name, step):
            def run():
                if threading.get_ident() != main:
                    other_began.set()
                with reporting_connection().cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid(), pg_current_snapshot()::text")
                    pid, snapshot = cursor.fetchone()
                seen.append((name, pid, snapshot))
                if threading.get_ident() == main:
                    assert other_began.wait(WAIT), "no second connection took a step"
                return step()

            return run

        return {name: wrap(name, step) for name, step in steps.items()}

    monkeypatch.setattr(metrics, "measure_steps", watched)
    monkeypatch.setattr("django.conf.settings.REPORTING_CONNECTIONS", 2)
    return seen


@pytest.mark.postgresql  # an exported snapshot and a second connection
@pytest.mark.django_db(transaction=True)
def test_two_connections_read_one_snapshot_and_give_the_figures_of_one(records, monkeypatch):
    monkeypatch.setattr("django.conf.settings.REPORTING_CONNECTIONS", 1)
    alone = compute_all(period=PERIOD)

    def a_plan_starts_meanwhile():  # committed by another user while the figures are read
        _in_another_connection(
            lambda: PlanFactory(
                child__household__district=District.objects.get(code="north"),
                start_date=dt.date(2025, 3, 1),
            )
        )

    seen = _watch_steps(monkeypatch)
    starts = together._helper

    def starts_after_the_change(*args):  # the other connection begins after it is committed
        a_plan_starts_meanwhile()
        return starts(*args)

    monkeypatch.setattr(together, "_helper", starts_after_the_change)
    shared = compute_all(period=PERIOD)

    assert len({pid for _, pid, _ in seen}) == 2  # two connections took steps
    assert len({snapshot for _, _, snapshot in seen}) == 1  # every step read the same records
    assert sorted(name for name, _, _ in seen) == sorted(set(alone) - {"period", "district"})
    assert shared == alone  # the plan started meanwhile is in none of the figures
    assert shared["plans_started"] == 2
    monkeypatch.setattr("django.conf.settings.REPORTING_CONNECTIONS", 1)
    assert compute_all(period=PERIOD)["plans_started"] == 3  # a new computation sees it


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_step_failing_on_the_other_connection_fails_the_computation(records, monkeypatch):
    seen = _watch_steps(monkeypatch)
    original = metrics.measure_steps

    def failing_there(**kwargs):
        steps = original(**kwargs)

        def fails_off_the_calling_thread(step):
            def run():
                value = step()  # the watched step: on the other connection after the first
                if threading.current_thread() is not threading.main_thread():
                    raise RuntimeError(f"failed on {threading.current_thread().name}")
                return value

            return run

        return {name: fails_off_the_calling_thread(step) for name, step in steps.items()}

    monkeypatch.setattr(metrics, "measure_steps", failing_there)

    with pytest.raises(RuntimeError, match="failed on iro-reporting-0"):
        compute_all(period=PERIOD)
    assert len(seen) < len(metrics.measure_steps(period=PERIOD))  # it stopped taking steps


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_transaction_that_has_written_reads_on_its_own_connection(records, monkeypatch):
    # A test's records (or any caller's) are not committed: another connection would not see
    # them, so the steps all run on this one, and count them.
    seen = []
    original = metrics.measure_steps

    def watched(**kwargs):
        steps = original(**kwargs)

        def wrap(step):
            def run():
                with reporting_connection().cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    seen.append(cursor.fetchone()[0])
                return step()

            return run

        return {name: wrap(step) for name, step in steps.items()}

    monkeypatch.setattr(metrics, "measure_steps", watched)
    monkeypatch.setattr("django.conf.settings.REPORTING_CONNECTIONS", 2)

    figures = compute_all(period=PERIOD)

    assert len(seen) == len(figures) - 2  # every step but the period and district
    assert set(seen) == {connection.connection.info.backend_pid}
    assert figures["plans_started"] == 2
