"""The steps of one computation (compute_all's measures, a snapshot's steps) read in one
consistent snapshot of the records, on more than one connection when PostgreSQL allows it.

A computation reads in one REPEATABLE READ transaction (`one_snapshot()`), so its figures
cannot contradict each other. On PostgreSQL `run_steps()` then exports that transaction's
snapshot (`pg_export_snapshot()`) and opens up to `settings.REPORTING_CONNECTIONS - 1` more
connections, each in a read-only transaction that imports it (`SET TRANSACTION SNAPSHOT`): every
connection sees exactly the records the first one sees, whatever is committed meanwhile. The
steps are taken from one queue by every connection in turn, so while one connection's query
runs, another's is being built (Python) or run (a second core).

It stays on the one connection, step after step, where that is the only way to be exact:
- not PostgreSQL (SQLite in development), or one connection allowed;
- the transaction is not REPEATABLE READ (a caller's own transaction): its snapshot moves on;
- the transaction has written (a test's records, not committed): another connection would not
  see its writes, so it would count other records.
"""

import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import copy_context

from django.conf import settings
from django.db import DatabaseError, connections, transaction

from iro_service.db_router import reporting_alias

from .sql import joins_without_nested_loops

logger = logging.getLogger(__name__)

# What pg_export_snapshot() returns, e.g. 00000003-0000001B-1 (checked before it is quoted).
_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


@contextmanager
def one_snapshot(*, savepoint: bool = False) -> Iterator[str]:
    """A transaction on the reporting connection in which every read sees the records as they
    stood when it began (PostgreSQL: REPEATABLE READ, READ ONLY; SQLite holds its read lock to
    the end of the transaction, which gives the same). Inside a caller's transaction, that one
    (in a savepoint of it if asked: no snapshot is shared from a savepoint). Yields the alias
    it reads."""
    alias = reporting_alias()
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=alias, savepoint=savepoint):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield alias


def run_steps(
    steps: dict[str, Callable[[], object]], *, done: Callable[[int], None] | None = None
) -> dict:
    """name -> what each step returned, in the steps' order. Call it inside `one_snapshot()`.
    `done(n)` is called on the calling thread after each step with the number of steps done
    so far (helpers' steps included)."""
    alias = reporting_alias()
    helpers = _helpers(alias, len(steps))
    snapshot = _exported_snapshot(alias) if helpers else None
    if snapshot is None:
        results = {}
        for name, step in steps.items():
            results[name] = step()
            if done is not None:
                done(len(results))
        return results

    work: queue.SimpleQueue = queue.SimpleQueue()
    for name in steps:
        work.put(name)
    results: dict = {}
    failures: list[BaseException] = []
    lock = threading.Lock()

    def take_steps(report: Callable[[int], None] | None) -> None:
        while not failures:
            try:
                name = work.get_nowait()
            except queue.Empty:
                return
            try:
                value = steps[name]()
            except BaseException as exc:  # re-raised on the calling thread
                failures.append(exc)
                return
            with lock:
                results[name] = value
                count = len(results)
            if report is not None:
                report(count)

    threads = [
        threading.Thread(
            target=copy_context().run,  # the shared figures and the reporting alias go along
            args=(_helper, alias, snapshot, take_steps, failures),
            name=f"iro-reporting-{n}",
            daemon=True,
        )
        for n in range(helpers)
    ]
    for thread in threads:
        thread.start()
    try:
        take_steps(done)
    except BaseException as exc:
        failures.append(exc)
    finally:
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    if done is not None:
        done(len(results))
    return {name: results[name] for name in steps}


def _helpers(alias: str, step_count: int) -> int:
    """How many more connections may take steps: none unless exactness allows (module)."""
    wanted = min(getattr(settings, "REPORTING_CONNECTIONS", 1), step_count) - 1
    connection = connections[alias]
    if wanted < 1 or connection.vendor != "postgresql" or not connection.in_atomic_block:
        return 0
    if any(connection.savepoint_ids):  # PostgreSQL exports no snapshot from a subtransaction
        return 0  # (an atomic block without a savepoint is listed as None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('transaction_isolation'), txid_current_if_assigned()"
        )
        isolation, written = cursor.fetchone()
    if isolation not in ("repeatable read", "serializable") or written is not None:
        return 0
    return wanted


def _exported_snapshot(alias: str) -> str | None:
    """The transaction's snapshot, for other connections to import. (Not in a savepoint:
    PostgreSQL exports only from the transaction itself, which it can do on a primary and,
    since version 10, on a standby.)"""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    return snapshot if _SNAPSHOT_ID.match(snapshot) else None


def _helper(alias: str, snapshot: str, take_steps, failures: list) -> None:
    """Another connection (this thread's own) in the exported snapshot, taking steps until
    none are left; it is closed afterwards. One that cannot start (no connection to spare, say)
    takes none: the others take its steps."""
    connection = connections[alias]
    try:
        try:
            connection.set_autocommit(False)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")  # checked: _SNAPSHOT_ID
        except DatabaseError:
            logger.warning("A helper connection could not start", exc_info=True)
            return
        try:
            with joins_without_nested_loops():
                take_steps(None)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the calling thread
            failures.append(exc)
    finally:
        connection.close()  # ends its read-only transaction
