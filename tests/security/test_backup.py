"""Backups (issue 12): scripts/backup.sh dumps the database, scripts/restore.sh restores it
into a new one, and the new one has the same records and gives the same measures.

The demo authority (small scale) is loaded into the test database and committed (a
transactional test), so that pg_dump, which connects on its own, sees it. The measures are
computed by `manage.py compute_indicators --json` in a subprocess against each database.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from reporting.selectors import reporting_year_of

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 30)
MAIN_TABLES = [
    "people_user",
    "children_child",
    "children_household",
    "plans_childprotectionplan",
    "conferences_conference",
    "conferences_invitee",
]


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = quote(db["USER"], safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{name}"


def table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def sequence_values(url: str) -> dict[str, int | None]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall())


def measures(url: str, year: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "backup-test-only"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "compute_indicators", "--year", str(year), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def run_script(*args: str, env_url: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if env_url is not None:
        env["DATABASE_URL"] = env_url
    return subprocess.run(  # noqa: S603
        [shutil.which("bash"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database():
    """A new, empty database on the test server, dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restored_{os.getpid()}"
    admin_url = database_url(settings.DATABASES["default"]["NAME"])
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_has_the_same_records_and_measures(
    tmp_path, empty_database
):
    call_command(
        "load_demo_data",
        scale=0.05,
        today=TODAY,
        allow_production=True,
        password_file=tmp_path / "demo-password",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    source = database_url(settings.DATABASES["default"]["NAME"])
    backup = tmp_path / "backups" / "iro.dump"

    made = run_script("scripts/backup.sh", str(backup), env_url=source)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(backup)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # every child's record: owner only
    assert not backup.with_name("iro.dump.partial").exists()

    restored = run_script("scripts/restore.sh", str(backup), empty_database)
    assert restored.returncode == 0, restored.stderr

    before, after = table_counts(source), table_counts(empty_database)
    assert after == before
    assert all(before[table] > 0 for table in MAIN_TABLES), before
    # The ids go on from where they were: new records do not collide with restored ones.
    assert sequence_values(empty_database) == sequence_values(source)
    year = reporting_year_of(TODAY)
    for measured_year in (year - 1, year):
        figures = measures(source, measured_year)
        assert figures["plans_started"], figures  # figures worth comparing
        assert measures(empty_database, measured_year) == figures

    # A database that already has tables is refused unless --replace is given.
    again = run_script("scripts/restore.sh", str(backup), empty_database)
    assert again.returncode == 1
    assert "already has" in again.stderr and "--replace" in again.stderr
    replaced = run_script("scripts/restore.sh", str(backup), empty_database, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert table_counts(empty_database) == before


def test_backup_refuses_without_a_postgresql_database(tmp_path):
    made = run_script("scripts/backup.sh", str(tmp_path / "x.dump"), env_url="")
    assert made.returncode == 2 and "set DATABASE_URL" in made.stderr
    sqlite = run_script("scripts/backup.sh", str(tmp_path / "x.dump"), env_url="sqlite:///x")
    assert sqlite.returncode == 2 and "not a PostgreSQL database" in sqlite.stderr
    assert not (tmp_path / "x.dump").exists()
