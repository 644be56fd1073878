"""Test configuration shared by the whole suite.

Run the suite with `make test`: scripts/test.sh starts PostgreSQL and Redis and sets
DATABASE_URL, CELERY_BROKER_URL and CELERY_RESULT_BACKEND before pytest starts.

- Playwright drives Debian's Chromium (/usr/bin/chromium), headless; no browser is downloaded.
- `celery_worker_process` starts a real Celery worker against the test Redis.
- Static files are served unhashed, from the source folders (see `_static_files_for_tests`).
"""

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db.backends.signals import connection_created

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told it is safe, which it is in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WORKER_START_TIMEOUT = 60
WORKER_STOP_TIMEOUT = 30


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium headless instead of a Playwright-downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session", autouse=True)
def _static_files_for_tests():
    """Serve static files from the source folders, under their own names, in tests.

    With DEBUG off the settings pick WhiteNoise's manifest storage, whose `{% static %}` needs
    a prior collectstatic and whose hashed names the live server cannot find. Tests use the
    plain storage, and WhiteNoise serves from the finders (so the test client can fetch
    /static/... too) instead of warning that STATIC_ROOT was never collected. Production
    keeps the manifest storage: `make run-prod` and the web container run collectstatic.
    """
    from django.conf import settings
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        STORAGES=storages, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _mfa_off_unless_a_test_turns_it_on():
    """Tests run with DEBUG off, where the settings require MFA (IRO_MFA_REQUIRED). The suite's
    personas sign in with a password or `force_login` only; the MFA tests
    (tests/security/test_mfa.py) turn it on with the `settings` fixture."""
    from django.test.utils import override_settings

    with override_settings(IRO_MFA_REQUIRED=False):
        yield


@dataclass
class CeleryWorker:
    hostname: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no worker log)"


@pytest.fixture(scope="session")
def celery_worker_process(tmp_path_factory):
    """A real `celery -A iro_service worker` process, consuming from the test Redis broker.

    Tasks sent with apply_async (with the app's task_always_eager turned off) run in this
    process. It shares the broker and result backend with the tests but not the test
    database: it connects to DATABASE_URL's database, not pytest-django's test_ copy.
    """
    broker = os.environ.get("CELERY_BROKER_URL", "memory://")
    if broker.startswith("memory://"):
        pytest.fail(
            "celery_worker_process needs a real broker, but CELERY_BROKER_URL is "
            f"{broker!r}. Run the tests with `make test` (scripts/test.sh), which starts "
            "Redis and PostgreSQL and sets CELERY_BROKER_URL, CELERY_RESULT_BACKEND and "
            "DATABASE_URL.",
            pytrace=False,
        )

    from iro_service.celery import app

    hostname = f"pytest-{os.getpid()}@{socket.gethostname()}"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "iro_service",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        f"--hostname={hostname}",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    worker = CeleryWorker(hostname=hostname, process=process, log_path=log_path)
    # scripts/test.sh stops a worker left behind if this process is killed outright.
    run_dir = os.environ.get("IRO_TEST_RUN_DIR")
    if run_dir:
        Path(run_dir, "celery-worker.pid").write_text(str(process.pid))

    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"the Celery worker exited with status {process.returncode} before it was "
                    f"ready:\n{worker.log_tail()}",
                    pytrace=False,
                )
            if app.control.ping(destination=[hostname], timeout=1.0, limit=1):
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the Celery worker did not answer a ping within {WORKER_START_TIMEOUT}s:\n"
                    f"{worker.log_tail()}",
                    pytrace=False,
                )
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=WORKER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=WORKER_STOP_TIMEOUT)
        if run_dir:
            Path(run_dir, "celery-worker.pid").unlink(missing_ok=True)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` need PostgreSQL's behaviour. `make test` (and so CI) always
    runs on PostgreSQL and runs them; a quick local run on SQLite leaves them out, and says so
    in the summary rather than passing them silently."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql")]
    if left_out:
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
        config.hook.pytest_deselected(items=left_out)
        config._iro_postgresql_only = len(left_out)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_iro_postgresql_only", 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only test(s) not run on SQLite: run `make test` for all.",
            yellow=True,
        )


def _name_the_connection(sender, connection, **kwargs):
    """Each PostgreSQL connection says which test and thread opened it (pg_stat_activity's
    application_name), so a connection left open names its owner. Through the driver's own
    connection: no Django query, so no test's query count sees it."""
    if connection.vendor != "postgresql":
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].rsplit("/", 1)[-1]
    name = f"{test} [{threading.current_thread().name}]"[-63:]
    connection.connection.execute("SELECT set_config('application_name', %s, false)", [name])


connection_created.connect(_name_the_connection, dispatch_uid="iro_tests_name_connections")


def _let_flush_empty_the_audit_table(sender, connection, **kwargs):
    """Audit (issue 12): PostgreSQL refuses TRUNCATE of the audit table (audit migration 0002)
    except in a test database on a session that asks, as Django's flush between transactional
    tests must. tests/security/test_audit.py turns it off again to see the refusal."""
    if connection.vendor != "postgresql":
        return
    connection.connection.execute("SELECT set_config('audit.allow_truncate', 'on', false)")


connection_created.connect(_let_flush_empty_the_audit_table, dispatch_uid="iro_tests_audit_flush")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and at the end of the run a check that nothing still holds a
    connection to it: PostgreSQL cannot drop a database someone is connected to, and a
    connection left open is a thread or a process that outlived its test."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, backend_start, left(query, 300) "
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        others = cursor.fetchall()
    if others:
        listing = "\n".join(f"  {row}" for row in others)
        pytest.fail(f"connections to the test database left open:\n{listing}", pytrace=False)
