"""Snapshots of every measure: requested once, computed once, stored whole or not at all."""

import datetime as dt
import importlib
import json
import threading

import pytest
import time_machine
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from iro_service.celery import app as celery_app
from reporting import services
from reporting.metrics import MEASURES, compute_all
from reporting.models import IndicatorSnapshot
from reporting.selectors import dashboard_period, latest_done_snapshot, measure_steps
from reporting.tasks import compute_snapshot, refresh_changed, refresh_every_year

from ..factories import LONDON, DistrictFactory, PlanFactory

pytestmark = pytest.mark.django_db
Status = IndicatorSnapshot.Status
NOW = dt.datetime(2026, 5, 10, 3, 0, tzinfo=LONDON)  # in reporting year 2027
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in this process (as CELERY_TASK_ALWAYS_EAGER makes them in development)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def plans():
    north = DistrictFactory(name="Northbridge", code="north")
    south = DistrictFactory(name="Southmoor", code="south")
    PlanFactory(child__household__district=north, start_date=dt.date(2025, 6, 1))
    PlanFactory(child__household__district=north, start_date=dt.date(2026, 4, 20))
    PlanFactory(
        child__household__district=south,
        start_date=dt.date(2024, 1, 10),
        end_date=dt.date(2026, 4, 30),
        end_reason="other",
    )
    return north, south


def _request(year=2027, district=None):
    """A queued snapshot whose task has not run (its on_commit callback is not executed)."""
    snapshot, created = services.snapshot_request(year=year, district=district, by=None)
    assert created
    return snapshot


def _as_json(value):
    return json.loads(json.dumps(value))


@time_machine.travel(NOW, tick=False)
def test_compute_stores_every_measure_with_the_time_of_its_data(plans):
    snapshot = _request()

    assert services.snapshot_compute(snapshot_id=snapshot.pk) == Status.DONE

    snapshot.refresh_from_db()
    period = dashboard_period(year=2027, today=TODAY)
    assert snapshot.data == _as_json(compute_all(period=period))
    assert snapshot.data["period"] == {"start": "2026-04-01", "end": "2026-05-10"}
    assert snapshot.data_as_of == NOW
    assert snapshot.started_at == snapshot.finished_at == NOW
    steps = len(measure_steps(period=period, district=None))
    assert snapshot.steps_done == snapshot.steps_total == steps
    assert snapshot.error == ""


@time_machine.travel(NOW, tick=False)
def test_a_districts_snapshot_holds_that_districts_figures(plans):
    north, _ = plans
    snapshot = _request(district=north)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    period = dashboard_period(year=2027, today=TODAY)
    assert snapshot.data == _as_json(compute_all(period=period, district=north))
    assert snapshot.data["district"] == "Northbridge"
    assert snapshot.data["plans_open_at_end"]["total"] == 2
    assert "districts" not in snapshot.data  # the breakdown is the whole authority's


@time_machine.travel(NOW, tick=False)
def test_a_past_year_covers_1_april_to_31_march(plans):
    snapshot = _request(year=2026)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.data["period"] == {"start": "2025-04-01", "end": "2026-03-31"}


def test_a_second_run_of_a_done_snapshot_does_nothing(plans, django_assert_max_num_queries):
    snapshot = _request()
    services.snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    PlanFactory(start_date=dt.date(2026, 4, 2))  # would change the figures if recomputed

    with django_assert_max_num_queries(2):  # the refused claim, and reading the status
        assert services.snapshot_compute(snapshot_id=snapshot.pk) == Status.DONE

    again = IndicatorSnapshot.objects.get(pk=snapshot.pk)
    assert again.data == snapshot.data
    assert again.finished_at == snapshot.finished_at


def test_a_snapshot_another_worker_is_computing_is_left_to_it(plans):
    snapshot = _request()
    assert IndicatorSnapshot.objects.transition(snapshot.pk, old=Status.QUEUED, new=Status.RUNNING)
    # The guarded update refuses a second claim: the count of updated rows is 0.
    assert not IndicatorSnapshot.objects.transition(
        snapshot.pk, old=Status.QUEUED, new=Status.RUNNING
    )
    assert services.snapshot_compute(snapshot_id=snapshot.pk) == Status.RUNNING
    snapshot.refresh_from_db()
    assert snapshot.data == {} and snapshot.data_as_of is None


def test_two_requests_while_one_is_queued_return_the_same_snapshot(plans):
    north, south = plans
    first, created = services.snapshot_request(year=2027, district=None, by=None)
    second, created_again = services.snapshot_request(year=2027, district=None, by=None)
    assert created and not created_again
    assert second.pk == first.pk
    # Another district, or another year, is another snapshot.
    for district, year in ((north, 2027), (south, 2027), (None, 2026)):
        _, created = services.snapshot_request(year=year, district=district, by=None)
        assert created
    assert IndicatorSnapshot.objects.count() == 4


def test_after_a_snapshot_is_done_a_new_request_makes_a_new_one(plans):
    first = _request()
    services.snapshot_compute(snapshot_id=first.pk)
    second = _request()
    assert second.pk != first.pk and second.status == Status.QUEUED


@pytest.mark.parametrize("with_district", [False, True])
def test_the_database_refuses_two_active_snapshots_for_one_year_and_district(plans, with_district):
    district = plans[0] if with_district else None
    IndicatorSnapshot.objects.create(year=2027, district=district)
    IndicatorSnapshot.objects.create(year=2027, district=district, status=Status.DONE, **_done())
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorSnapshot.objects.create(year=2027, district=district, status=Status.RUNNING)


def _done() -> dict:
    return {"data_as_of": NOW, "finished_at": NOW}


def test_an_abandoned_snapshot_is_failed_and_a_new_one_queued(plans):
    with time_machine.travel(NOW, tick=False):
        stuck = _request()
        IndicatorSnapshot.objects.transition(stuck.pk, old=Status.QUEUED, new=Status.RUNNING)
    with time_machine.travel(NOW + services.ABANDONED_AFTER + dt.timedelta(minutes=1)):
        fresh, created = services.snapshot_request(year=2027, district=None, by=None)
    stuck.refresh_from_db()
    assert created and fresh.pk != stuck.pk
    assert stuck.status == Status.FAILED
    assert stuck.error.startswith("Abandoned")


def test_a_snapshot_given_up_while_it_ran_keeps_no_figures(plans, monkeypatch):
    snapshot = _request()
    original = MEASURES["ni67"]

    def given_up_meanwhile(*, period, district=None, **options):
        # What a new request does to a snapshot running for over ABANDONED_AFTER.
        IndicatorSnapshot.objects.transition(
            snapshot.pk, old=Status.RUNNING, new=Status.FAILED, error="Abandoned"
        )
        return original(period=period, district=district, **options)

    monkeypatch.setitem(MEASURES, "ni67", given_up_meanwhile)
    assert services.snapshot_compute(snapshot_id=snapshot.pk) == Status.FAILED
    snapshot.refresh_from_db()
    assert snapshot.data == {} and snapshot.error == "Abandoned"


def test_a_year_out_of_range_is_refused():
    with pytest.raises(services.ValidationError):
        services.snapshot_request(year=12, district=None, by=None)


@time_machine.travel(NOW, tick=False)
def test_the_celery_task_computes_the_snapshot_once_the_request_commits(
    plans, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        snapshot, _ = services.snapshot_request(year=2027, district=None, by=None)
        snapshot.refresh_from_db()
        assert snapshot.status == Status.QUEUED  # nothing runs before the commit
    assert len(callbacks) == 1
    snapshot.refresh_from_db()
    assert snapshot.status == Status.DONE
    assert snapshot.data_as_of == NOW
    # Delivered twice (a retried message): the second delivery changes nothing.
    assert compute_snapshot.delay(snapshot.pk).get() == Status.DONE


@time_machine.travel(NOW, tick=False)
def test_the_nightly_task_refreshes_every_year_with_data_for_the_authority_and_each_district(
    plans, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = refresh_every_year.delay().get()
    snapshots = IndicatorSnapshot.objects.filter(pk__in=ids)
    # the first plan started in January 2024 (the year to March 2024) and today is in 2026/27
    assert sorted({s.year for s in snapshots}) == [2024, 2025, 2026, 2027]
    for year in (2024, 2025, 2026, 2027):
        assert sorted(s.scope_label for s in snapshots if s.year == year) == [
            "Northbridge",
            "Southmoor",
            "Whole authority",
        ]
    assert {s.status for s in snapshots} == {Status.DONE}
    assert {(s.requested_by, s.reason) for s in snapshots} == {(None, "nightly")}
    # the charts are drawn once, with the figures
    authority = snapshots.get(year=2027, district=None)
    assert set(authority.charts) == {
        "caseloads",
        "monthly_stock",
        "indicators",
        "durations",
        "feedback",
    }
    assert all(svg.startswith("<svg") for svg in authority.charts.values())


def test_the_change_task_refreshes_the_recent_years_where_records_changed_and_only_those(
    plans, django_capture_on_commit_callbacks
):
    north, south = plans
    # the fixture's records were made just now, in real time: the runs come after
    start = max(timezone.now(), NOW) + dt.timedelta(minutes=1)

    def run_at(minutes: int) -> list[int]:
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                return refresh_changed.delay().get()

    first = run_at(0)
    # none stored yet: this year and last, for the authority and each district
    assert len(first) == 6
    assert {s.reason for s in IndicatorSnapshot.objects.all()} == {"first_look"}
    assert run_at(5) == []  # nothing changed since
    with time_machine.travel(start + dt.timedelta(minutes=7), tick=False):
        for day in (1, 2, 3):  # three changes in Southmoor between two runs
            PlanFactory(child__household__district=south, start_date=dt.date(2026, 5, day))
    again = run_at(10)
    # one refresh per year and scope however many records changed, each with the new plans
    refreshed = IndicatorSnapshot.objects.filter(pk__in=again)
    assert len(again) == 6 and {s.reason for s in refreshed} == {"records_changed"}
    assert refreshed.get(year=2027, district=south).data["plans_open_at_end"]["total"] == 3
    assert run_at(15) == []


def test_a_failing_measure_fails_the_snapshot_and_stores_nothing(plans, monkeypatch):
    earlier = _request()
    services.snapshot_compute(snapshot_id=earlier.pk)

    def broken(*, period, district=None, **options):
        raise RuntimeError("the measure broke")

    monkeypatch.setitem(MEASURES, "ni65", broken)
    snapshot = _request()
    assert services.snapshot_compute(snapshot_id=snapshot.pk) == Status.FAILED

    snapshot.refresh_from_db()
    assert snapshot.status == Status.FAILED
    assert snapshot.error == "RuntimeError: the measure broke"
    assert snapshot.data == {} and snapshot.data_as_of is None
    assert snapshot.finished_at is not None
    # The dashboard keeps reading the last good figures.
    assert latest_done_snapshot(year=2027, district=None) == earlier


def test_progress_is_recorded_after_each_measure(plans, monkeypatch):
    snapshot = _request()
    seen = {}
    original = MEASURES["ni64"]

    def spy(*, period, district=None, **options):
        # The first call; the district breakdown, the last step, calls it again.
        seen.setdefault("steps_done", IndicatorSnapshot.objects.get(pk=snapshot.pk).steps_done)
        return original(period=period, district=district, **options)

    monkeypatch.setitem(MEASURES, "ni64", spy)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    assert seen["steps_done"] == list(MEASURES).index("ni64")  # every measure before it


def test_the_nightly_refresh_is_scheduled_at_half_past_two_london_time():
    # The data migrations' own functions, run again: they are safe to run twice.
    nightly = importlib.import_module("reporting.migrations.0003_nightly_refresh")
    on_change = importlib.import_module(
        "reporting.migrations.0005_refresh_every_year_and_on_change"
    )
    for _ in range(2):
        nightly.create_schedule(apps, None)
        on_change.forward(apps, None)
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    task = periodic_task.objects.get(name="nightly indicator refresh")
    assert task.enabled and task.task == "reporting.refresh_every_year"
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Europe/London"
    changes = periodic_task.objects.get(name="refresh figures when records change")
    assert changes.enabled and changes.task == "reporting.refresh_changed"
    assert (changes.interval.every, changes.interval.period) == (5, "minutes")
    assert {"reporting.refresh_every_year", "reporting.refresh_changed"} <= set(celery_app.tasks)


# --- PostgreSQL: one consistent read, and progress seen from outside it ----------------------


def _in_another_connection(work):
    """Run `work` in a thread, so on its own database connection (autocommitting), and return
    its result, or re-raise what it raised."""
    result = {}

    def run():
        from django.db import connection as own

        try:
            result["value"] = work()
        except Exception as exc:  # noqa: BLE001 - re-raised below, on the test's thread
            result["failed"] = exc
        finally:
            own.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "failed" in result:
        raise result["failed"]
    return result["value"]


@pytest.mark.postgresql  # REPEATABLE READ and a second connection for progress
@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=False)
def test_figures_are_read_as_at_one_moment_while_progress_shows_outside(plans, monkeypatch):
    # Created directly: through snapshot_request, outside a test transaction, the eager task
    # would compute it at once.
    snapshot = IndicatorSnapshot.objects.create(year=2027, steps_total=29)
    seen = {}
    original = MEASURES["plans_started"]

    def meanwhile(*, period, district=None):
        # Another user starts a plan, and someone watches the progress page, mid-computation.
        _in_another_connection(lambda: PlanFactory(start_date=period.end).pk)
        seen["progress"] = _in_another_connection(
            lambda: IndicatorSnapshot.objects.get(pk=snapshot.pk).steps_done
        )
        return original(period=period, district=district)

    monkeypatch.setitem(MEASURES, "plans_started", meanwhile)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()

    # Some steps were done, and shown, before it; how many depends on the connections that
    # shared them (metrics/together.py): on one, exactly the steps before it.
    assert (
        1
        <= seen["progress"]
        < len(measure_steps(period=dashboard_period(year=2027, today=TODAY), district=None))
    )
    data = snapshot.data
    assert data["plans_started"] == data["ni65"]["denominator"]  # neither saw the new plan
    monkeypatch.undo()
    live = compute_all(period=dashboard_period(year=2027, today=TODAY))
    assert live["plans_started"] == data["plans_started"] + 1
