"""Reporting reads on a real PostgreSQL streaming replica (issue 13, scale-out): a replica of
make test's cluster is made with `pg_basebackup -R`, started on loopback, and named as the
`replica` database, as DATABASE_REPLICA_URL names it in a deployment. The stored figures are
then computed on it, the same as on the primary, while every write stays on the primary."""

import copy
import datetime as dt
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import time_machine
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import DatabaseError

from iro_service.db_router import REPLICA, reporting_alias, reporting_reads
from reporting import services
from reporting.metrics import Period, compute_all, together
from reporting.models import IndicatorSnapshot
from reporting.selectors import consistent_read, dashboard_period, measure_steps

from ..factories import LONDON, DistrictFactory, PlanFactory
from .test_query_count import AUTHORITY_QUERIES  # compute_all's queries for the authority

pytestmark = pytest.mark.postgresql
NOW = dt.datetime(2026, 5, 10, 9, 0, tzinfo=LONDON)


def _pg(program: str) -> str:
    return os.path.join(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1], program)


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's programs refuse root: as root, run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_replayed(replica) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        # the insert position: with synchronous_commit off (make test) a commit can be in the
        # WAL buffers, past the write position, for a moment
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (written,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM plans_childprotectionplan")
        (plans,) = cursor.fetchone()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            replayed = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM plans_childprotectionplan")
            if replayed and cursor.fetchone()[0] == plans:
                return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up within 60 s")


@pytest.fixture
def replica(transactional_db, django_db_blocker):
    primary = connection.settings_dict
    root = tempfile.mkdtemp(prefix="iro-replica-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = os.path.join(root, "data"), _free_port()
    base = [_pg("pg_basebackup"), "-h", primary["HOST"], "-p", str(primary["PORT"])]
    subprocess.run(  # noqa: S603 - PostgreSQL's own programs, our own arguments
        _as_postgres([*base, "-U", "postgres", "-D", data, "-R", "-X", "stream", "-c", "fast"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
    start = [_pg("pg_ctl"), "-D", data, "-l", os.path.join(root, "log"), "-w", "-t", "60"]
    subprocess.run(_as_postgres([*start, "-o", options, "start"]), check=True)  # noqa: S603
    # Named as DATABASE_REPLICA_URL names it (settings.py): the same database, another server.
    connections.settings[REPLICA] = {**copy.deepcopy(primary), "PORT": str(port)}
    # The test case allows only the databases it was set up with, so that no test reads one
    # it did not prepare; this one is prepared here, so it connects as Django connects
    # (pytest-django keeps Django's own method aside while it guards the others), and so do
    # the other threads' connections that read the figures together (metrics/together.py).
    guarded = BaseDatabaseWrapper.ensure_connection
    BaseDatabaseWrapper.ensure_connection = django_db_blocker._real_ensure_connection
    replica = connections[REPLICA]
    try:
        yield replica
    finally:
        BaseDatabaseWrapper.ensure_connection = guarded
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        stop = [_pg("pg_ctl"), "-D", data, "stop", "-m", "fast", "-w", "-t", "60"]
        subprocess.run(_as_postgres(stop), check=False)  # noqa: S603
        shutil.rmtree(root, ignore_errors=True)


def _counting(alias: str, counts: dict):
    def count(execute, sql, params, many, context):
        counts[alias] = counts.get(alias, 0) + 1
        return execute(sql, params, many, context)

    return connections[alias].execute_wrapper(count)


def test_the_stored_figures_are_computed_on_the_replica_and_match_the_primary(replica, settings):
    settings.REPORTING_CONNECTIONS = 1  # every query on the connection whose queries are counted
    north = DistrictFactory(name="Northbridge", code="north")
    PlanFactory(child__household__district=north, start_date=dt.date(2025, 6, 1))
    PlanFactory(
        child__household__district=north,
        start_date=dt.date(2024, 1, 10),
        end_date=dt.date(2026, 4, 30),
        end_reason="other",
    )
    PlanFactory(start_date=dt.date(2026, 4, 20))  # after the replica was made: streamed to it
    _wait_until_replayed(replica)

    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)  # a standby, not a second primary
    with pytest.raises(DatabaseError, match="read-only"):
        with replica.cursor() as cursor:
            cursor.execute("CREATE TABLE written_on_the_replica (n integer)")

    assert reporting_alias() == DEFAULT_DB_ALIAS  # outside reporting work: the primary
    with reporting_reads():
        assert reporting_alias() == REPLICA

    with time_machine.travel(NOW, tick=False):
        period = dashboard_period(year=2027, today=NOW.date())
        on_primary = compute_all(period=period)  # the ORM and SQL on the primary
        snapshot = IndicatorSnapshot.objects.create(
            year=2027, steps_total=len(measure_steps(period=period, district=None))
        )
        counts: dict[str, int] = {}
        with _counting(DEFAULT_DB_ALIAS, counts), _counting(REPLICA, counts):
            assert services.snapshot_compute(snapshot_id=snapshot.pk) == "done"
    stored = IndicatorSnapshot.objects.get(pk=snapshot.pk)
    assert stored.data["plans_open_at_end"] == on_primary["plans_open_at_end"]
    assert stored.data["plans_open_at_end"]["total"] == 2
    assert stored.data["monthly_stock"] == on_primary["monthly_stock"]
    assert stored.data["ni67"] == on_primary["ni67"]
    assert stored.data["districts"] == on_primary["districts"]
    # every measure read on the replica; the primary had only the snapshot's own rows to
    # claim, to mark done and the charts' reference data outside the reading
    assert counts[REPLICA] >= AUTHORITY_QUERIES
    assert counts.get(DEFAULT_DB_ALIAS, 0) <= 6
    # the figures' moment is the last change the replica had replayed, never later
    assert stored.data_as_of <= NOW


def test_the_annual_reports_figures_are_read_on_the_replica_too(replica, settings, monkeypatch):
    PlanFactory(start_date=dt.date(2025, 6, 1))
    _wait_until_replayed(replica)
    settings.REPORTING_CONNECTIONS = 1
    counts: dict[str, int] = {}
    with _counting(DEFAULT_DB_ALIAS, counts), _counting(REPLICA, counts):
        with consistent_read():
            figures = compute_all(period=Period.year(2026))
    assert figures["plans_started"] == 1
    assert counts[REPLICA] >= AUTHORITY_QUERIES and DEFAULT_DB_ALIAS not in counts

    # On two connections to the replica, in the snapshot exported there: the same figures.
    settings.REPORTING_CONNECTIONS = 2
    helpers_on = []
    original = together._helper

    def helper(alias, *args):
        helpers_on.append(alias)
        return original(alias, *args)

    monkeypatch.setattr(together, "_helper", helper)
    with consistent_read():
        assert compute_all(period=Period.year(2026)) == figures
    assert helpers_on == [REPLICA]
