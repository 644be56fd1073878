"""The production guide (README.md, "Running in production"), followed on this machine as far
as it goes without systemd: the database and its two roles, migrate and grant_app_role as
the owner, collectstatic, create_admin, then the three processes started with the commands
of deploy/systemd's units and the environment of deploy/iro.env.example, DEBUG off. The
first account signs in with a new password and an authenticator app, the figures are
computed by the real worker, and the annual report's PDF it builds is downloaded. With Redis
stopped a refresh waits in the database; once Redis is back, beat's schedule sends it on.

What differs from a server, and why: the processes run as this user, not `iro`; the state
folder and the ports are temporary ones; the test is the HTTPS proxy (it sends the
X-Forwarded-Proto header deploy/nginx/iro.conf sets), and since the browser itself speaks
plain HTTP to it, its origin is the one trusted for forms.
"""

import secrets
import shlex
import shutil
import subprocess
import sys
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.security.throwaway import (
    ThrowawayPostgres,
    ThrowawayRedis,
    free_port,
    port_open,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_AT = "/srv/iro"  # where the units expect the checkout
STATE = "/var/lib/iro"  # the service user's folder in the guide
START_TIMEOUT = 90
STOP_TIMEOUT = 60
ADMIN = "sam.senior"
TEMPORARY = "amber-quarry-lantern-41"
CHOSEN = "heron-meadow-copper-92"
CLIENT = "203.0.113.9"  # the browser's address, as the proxy saw it


def exec_start(unit: str, *, port: int) -> list[str]:
    """The unit's ExecStart, for this checkout (and gunicorn on the test's port)."""
    lines = (UNITS / unit).read_text().splitlines()
    (command,) = [
        line.removeprefix("ExecStart=") for line in lines if line.startswith("ExecStart=")
    ]
    args = [arg.replace(INSTALLED_AT, str(ROOT), 1) for arg in shlex.split(command)]
    return [arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in args]


def environment_file() -> dict[str, str]:
    """deploy/iro.env.example as systemd's EnvironmentFile reads it: KEY=value lines."""
    values = {}
    for line in (ROOT / "deploy" / "iro.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


class Processes:
    def __init__(self, folder: Path):
        self.folder = folder
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "wb") as log:
            process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.running.append((name, process))
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for _name, process in reversed(self.running):  # beat, worker, web: the guide's order
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)


def run(command: list[str], env: dict, *, input_text: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, input=input_text
    )
    assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def installed(tmp_path_factory):
    """The guide's steps up to `systemctl start`: (base URL, environment, processes)."""
    state = tmp_path_factory.mktemp("var-lib-iro")
    cluster = ThrowawayPostgres()
    redis = ThrowawayRedis()
    processes = Processes(state)
    try:
        cluster.start()
        redis.start()
        # "Database and roles"
        cluster.psql("CREATE ROLE iro_owner LOGIN PASSWORD 'owner-password'")
        cluster.psql("CREATE ROLE iro_app LOGIN PASSWORD 'app-password'")
        cluster.psql("CREATE DATABASE iro OWNER iro_owner")
        port = free_port()
        base = f"http://localhost:{port}"
        database = cluster.url("iro")
        overrides = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost",
            "CSRF_TRUSTED_ORIGINS": base,  # the browser's own origin: see the module's note
            "DATABASE_URL": database.replace("postgres@", "iro_app:app-password@"),
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url.removesuffix("/0") + "/1",
            "EMAIL_HOST": "127.0.0.1",  # no email is sent in these steps; none may leave
            "EMAIL_PORT": str(free_port()),
            "EMAIL_USE_TLS": "false",
        }
        service_env = {
            key: overrides.get(key, value.replace(STATE, str(state)))
            for key, value in environment_file().items()
        }
        for folder in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "MPLCONFIGDIR"):
            Path(service_env[folder]).mkdir(parents=True, exist_ok=True)
        # systemd gives a unit only its EnvironmentFile, PATH, HOME and the locale.
        env = {
            **service_env,
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(state),
            "LANG": "C.UTF-8",
        }
        owner = {**env, "DATABASE_URL": database.replace("postgres@", "iro_owner:owner-password@")}
        manage = [sys.executable, "manage.py"]
        run([*manage, "migrate", "--noinput"], owner)
        run([*manage, "grant_app_role", "iro_app"], owner)
        run([*manage, "collectstatic", "--noinput"], env)
        password_file = state / "first-password"
        password_file.write_text(TEMPORARY + "\n")
        made = run(
            [
                *manage,
                "create_admin",
                "--username",
                ADMIN,
                "--email",
                "sam.senior@example.org",
                "--first-name",
                "Sam",
                "--last-name",
                "Senior",
                "--password-file",
                str(password_file),
            ],
            env,
        )
        assert ADMIN in made
        password_file.unlink()

        web = processes.start("web", exec_start("iro-web.service", port=port), env)
        worker = processes.start("worker", exec_start("iro-worker.service", port=port), env)
        beat = processes.start("beat", exec_start("iro-beat.service", port=port), env)
        wait_for(lambda: port_open(port), timeout=START_TIMEOUT, what="gunicorn did not start")
        wait_for(
            lambda: "ready." in processes.log("worker"),
            timeout=START_TIMEOUT,
            what="the worker did not start",
        )
        yield base, env, processes, {"web": web, "worker": worker, "beat": beat}, redis, cluster
    finally:
        processes.stop_all()  # the worker before Redis
        redis.close()
        cluster.close()


def test_the_production_guide_on_this_machine(installed, browser, tmp_path):
    base, env, processes, started, redis, cluster = installed
    context = browser.new_context(
        base_url=base,
        # The proxy's headers (deploy/nginx/iro.conf): SECURE_PROXY_SSL_HEADER trusts the
        # first, TRUSTED_PROXY_ADDRESSES the client's address it appends to the second.
        extra_http_headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT},
    )
    page = context.new_page()
    try:
        health = page.request.get("/health/")
        assert (health.status, health.text()) == (200, "ok\n")

        # The first account, as create_admin made it: new password, then the app (MFA is
        # required with DEBUG off).
        page.goto("/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.get_by_label("Username").fill(ADMIN)
        page.get_by_label("Password").fill(TEMPORARY)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        assert cookies["sessionid"]["secure"] and cookies["csrftoken"]["secure"]
        page.get_by_label("Current password").fill(TEMPORARY)
        page.get_by_label("New password", exact=True).fill(CHOSEN)
        page.get_by_label("New password again").fill(CHOSEN)
        page.get_by_role("button", name="Change password").click()
        expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
        page.get_by_text("I cannot scan the QR code").click()
        secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
        page.get_by_label("Code from your authenticator app").fill(f"{totp(b32decode(secret)):06d}")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

        # The figures: first asked for by the dashboard, computed by the worker.
        page.goto("/dashboard/")
        page.get_by_role("link", name="See the progress").click()
        expect(page.get_by_role("heading", name="Figures refreshed")).to_be_visible(timeout=120_000)
        page.get_by_role("link", name="View the figures on the dashboard").click()
        expect(page.locator("#figures-as-at")).to_contain_text("Figures as at")

        # The annual report's PDF, built by the worker and served by the web process.
        page.goto("/annual-report/")
        page.get_by_role("button", name="Start the report").click()
        page.get_by_role("button", name="Make a PDF").click()
        expect(page.get_by_text("Ready:")).to_be_visible(timeout=180_000)
        link = page.get_by_role("link", name="Download the PDF").get_attribute("href")
        download = context.request.get(link)  # as the browser would: its cookies and headers
        assert download.status == 200, download.text()[:500]
        assert download.headers["content-type"] == "application/pdf"
        assert "attachment" in download.headers["content-disposition"]
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(download.body())
        assert pdf.read_bytes().startswith(b"%PDF-")
        text = subprocess.run(  # noqa: S603
            [shutil.which("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Annual Report" in text

        # Redis stopped: a refresh asked for now waits in the database, and beat's "send
        # queued tasks" (every minute) hands it to the worker once Redis is back.
        redis.stop()
        page.goto("/dashboard/")
        page.get_by_role("button", name="Refresh figures").click()
        expect(page.get_by_role("heading", name="Refreshing figures")).to_be_visible()
        expect(page.get_by_text("Waiting for the computation to start")).to_be_visible()
        redis.start()
        expect(page.get_by_role("heading", name="Figures refreshed")).to_be_visible(timeout=180_000)
    finally:
        context.close()

    # Done by the worker process, not inline: its log names both tasks' success.
    worker_log = processes.log("worker")
    assert "reporting.compute_snapshot" in worker_log, worker_log[-3000:]
    assert "annual_report.build_report_version" in worker_log, worker_log[-3000:]
    assert worker_log.count("succeeded in") >= 3, worker_log[-3000:]
    assert "jobs.send_queued_tasks" in worker_log  # the refresh came back through beat
    # The PDF is in the shared private folder the web process served it from.
    assert list(Path(env["PRIVATE_MEDIA_ROOT"]).rglob("*.pdf")) or list(
        Path(env["MEDIA_ROOT"]).rglob("*.pdf")
    )
    # The access audit recorded the sign-in against the client's address, not the proxy's.
    recorded = cluster.psql(
        "SELECT DISTINCT kind || ' ' || host(address) FROM audit_accessevent ORDER BY 1", "iro"
    )
    assert f"signed_in {CLIENT}" in recorded.splitlines(), recorded
    assert "127.0.0.1" not in recorded
    # Beat runs its schedule from the database; all three are still up.
    assert "beat: Starting" in processes.log("beat")
    for name, process in started.items():
        assert process.poll() is None, f"{name} exited:\n{processes.log(name)[-3000:]}"
    # Nothing secret in what the processes wrote.
    for name in started:
        log = processes.log(name)
        assert env["SECRET_KEY"] not in log and CHOSEN not in log and TEMPORARY not in log
