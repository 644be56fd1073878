"""Throwaway Redis and PostgreSQL servers of a test's own, each on a free port on 127.0.0.1,
for the fault tests: they stop and start them without disturbing the ones the suite runs on
(scripts/services.sh starts those). Found and run the way scripts/services.sh does: Debian's
redis-server, and the newest /usr/lib/postgresql/*/bin, as the postgres user when root.

PID 1 here does not reap orphans, so a stopped server may linger as a zombie: a server is
judged stopped when its port is closed, never by its process.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

STOP_TIMEOUT = 30
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout}s", pytrace=False)
        time.sleep(0.1)


def _is_root() -> bool:
    return os.geteuid() == 0


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if _is_root() else command


def postgres_bin() -> Path:
    """The newest PostgreSQL's bin folder, as scripts/services.sh finds initdb."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    if not found:
        pytest.fail(
            "No PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): install the "
            "postgresql package, or run the tests with `make test`, which does.",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _temporary_dir(prefix: str) -> Path:
    """A new folder under /tmp the postgres user can write to (pytest's tmp_path is private)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    if _is_root():
        shutil.chown(path, "postgres", "postgres")
    return path


class ThrowawayRedis:
    """redis-server in the foreground, as this process's own child: no persistence."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is not installed (make test installs it)", pytrace=False)
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="iro-faults-redis."))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.dir / "redis.log", "ab")  # noqa: SIM115 - the child keeps it open
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(lambda: port_open(self.port), timeout=START_TIMEOUT, what="Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
            self.process = None
        wait_for(lambda: not port_open(self.port), timeout=STOP_TIMEOUT, what="Redis did not stop")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayPostgres:
    """A new PostgreSQL cluster, trust authentication for the postgres role on 127.0.0.1,
    durability off (its data is thrown away), started and stopped with pg_ctl."""

    def __init__(self):
        self.bin = postgres_bin()
        self.port = free_port()
        self.dir = _temporary_dir("iro-faults-pg.")
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ]
        )
        self.started = False

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(  # noqa: S603
            _as_postgres(command), capture_output=True, text=True, timeout=START_TIMEOUT
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            pytest.fail(f"{command[0]} failed:\n{done.stdout}{done.stderr}\n{log}", pytrace=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                str(START_TIMEOUT),
                "-o",
                options,
                "start",
            ]
        )
        self.started = True

    def stop(self) -> None:
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "stop",
                "-m",
                "fast",
                "-w",
                "-t",
                str(STOP_TIMEOUT),
            ]
        )
        self.started = False
        wait_for(
            lambda: not port_open(self.port), timeout=STOP_TIMEOUT, what="PostgreSQL did not stop"
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(  # noqa: S603
            [str(self.bin / "psql"), self.url(database), "-v", "ON_ERROR_STOP=1", "-tAc", sql],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
        if done.returncode != 0:
            pytest.fail(f"psql failed: {done.stderr}", pytrace=False)
        return done.stdout.strip()

    def close(self) -> None:
        if self.started:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
