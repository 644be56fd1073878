"""manage.py bench_load: a load test through a real server (make bench).

On the synthetic authority that bench_indicators built, it starts gunicorn on PostgreSQL (two
workers, on a free port on 127.0.0.1, as at the synthetic records' last day: devdata/bench/
serve.py), signs in one person of each role in each of --clients concurrent clients, and sends
--requests requests in all over the main pages of every role, each client taking the next page
from one shared queue. It prints, per page, how many were sent, the 50th, 95th and 99th
percentiles and the SQL queries the page ran (the server's X-Query-Count header, switched on
for this server only), then the whole run's throughput. Figures are stored first for the
years and district the pages show, as the nightly refresh would have stored them: pages never
compute measures.

It fails (exit 1) when a page answers anything but 200, or when a page that must answer
within 200 ms at the 95th percentile (the dashboard, the indicators API, the lists, a child's
record and the search) does not.
"""

import http.client
import os
import queue
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dt_time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max
from django.utils import timezone

from children.models import Child
from conferences.models import Conference
from devdata.bench.timing import TARGET_MS
from people.models import District, Role, User
from plans.models import ChildProtectionPlan
from reporting.models import IndicatorSnapshot
from reporting.selectors import reporting_year_of
from reporting.services import snapshot_compute, snapshot_request

BENCH_PREFIX = "bench-load-"


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    path: str
    form: dict | None = None  # a POST (with the CSRF token), whose redirect is followed
    target: bool = False  # must answer within TARGET_MS at the 95th percentile


@dataclass
class Measured:
    timings: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class Browser:
    """One person's browser: cookies kept by hand (the server's clock is in the past, so a
    cookie jar would throw its cookies away as expired), one connection, reopened as needed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()  # the worker closed it: once more on a new connection
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0].strip()
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response

    def sign_in(self, username: str, password: str) -> None:
        self.send("GET", "/sign-in/")
        answer = self.send("POST", "/sign-in/", {"username": username, "password": password})
        if answer.status != 302:
            raise CommandError(f"{username} could not sign in: {answer.status}")

    def fetch(self, page: Page) -> list[tuple[str, int, int, float]]:
        """(label, status, queries, milliseconds) of each request a page takes: one for a
        link; for a form, the POST and then the page it leads to."""
        started = time.perf_counter()
        answer = self.send("POST" if page.form is not None else "GET", page.path, page.form)
        took = [(page.label, answer, (time.perf_counter() - started) * 1000)]
        if page.form is not None and answer.status == 302:
            started = time.perf_counter()
            then = self.send("GET", answer.getheader("Location"))
            took.append((f"{page.label}: results", then, (time.perf_counter() - started) * 1000))
        expected = 302 if page.form is not None else 200
        return [
            (
                label,
                200 if (label == page.label and response.status == expected) else response.status,
                int(response.getheader("X-Query-Count", "0")),
                ms,
            )
            for label, response, ms in took
        ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Command(BaseCommand):
    help = "Load-test the main pages of every role through gunicorn on the synthetic authority."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=4, help="concurrent clients (4)")
        parser.add_argument("--requests", type=int, default=500, help="requests in all (500)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")

    def handle(self, *args, clients: int, requests: int, workers: int, **options):
        if clients < 1 or requests < clients:
            raise CommandError("Give at least one client, and at least one request per client.")
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The load test runs on PostgreSQL: set DATABASE_URL.")
        last = Conference.objects.filter(status=Conference.Status.HELD).aggregate(d=Max("date"))[
            "d"
        ]
        if last is None:
            raise CommandError("No synthetic authority here: run bench_indicators first.")
        people, district = self._people()
        pages = self._pages(people, district, last)
        self._store_figures(last, district)
        call_command("collectstatic", interactive=False, verbosity=0)

        port = _free_port()
        moment = timezone.make_aware(datetime.combine(last, dt_time(12, 0)))
        server = self._start_server(port, moment, workers)
        try:
            self.stdout.write(
                f"gunicorn, {workers} workers, on PostgreSQL, as at {last:%-d %B %Y}: "
                f"{clients} clients, {requests} requests over {len(pages)} pages (a search is two: the form sent, then its results)"
            )
            results, seconds = self._run(port, people, pages, clients, requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
        self._report(pages, results, seconds, requests)

    # -- preparing ------------------------------------------------------------------------

    def _people(self) -> tuple[dict[str, tuple[str, str]], District]:
        """One account per role with a new random password: (username, password) by role.
        The IRO is the synthetic authority's busiest chair. Passwords are set with one UPDATE
        (no history row: the stored figures stay current)."""
        district = District.objects.annotate(n=Count("households")).order_by("-n").first()
        people = {}
        for role in Role:
            password = secrets.token_urlsafe(18)
            if role == Role.IRO:
                user = (
                    User.objects.filter(role=Role.IRO, is_active=True)
                    .annotate(n=Count("chaired_conferences"))
                    .order_by("-n")
                    .first()
                )
            else:
                user, _ = User.objects.get_or_create(
                    username=f"{BENCH_PREFIX}{role.value}",
                    defaults={
                        "role": role,
                        "district": district if role == Role.DISTRICT_MANAGER else None,
                        "first_name": "Bench",
                        "last_name": role.label,
                    },
                )
            User.objects.filter(pk=user.pk).update(
                password=make_password(password), must_change_password=False, is_active=True
            )
            people[role.value] = (user.username, password)
        return people, district

    def _pages(self, people, district: District, last) -> list[Page]:
        year = reporting_year_of(last)
        iro = User.objects.get(username=people[Role.IRO][0])
        conference = (
            Conference.objects.filter(chair=iro).order_by("-date").values_list("pk", flat=True)
        )[:1].get()
        child = (
            ChildProtectionPlan.objects.filter(end_date__isnull=True)
            .order_by("pk")
            .values_list("child_id", flat=True)[:1]
            .get()
        )
        surname = (
            Child.objects.values("last_name").annotate(n=Count("id")).order_by("-n")[:1].get()
        )["last_name"]
        senior, manager = Role.SENIOR_IRO.value, Role.DISTRICT_MANAGER.value
        return [
            Page("Dashboard, whole authority, this year", senior, "/dashboard/", target=True),
            Page(
                f"Dashboard, {year - 2}/{str(year - 1)[-2:]}",
                senior,
                f"/dashboard/?year={year - 1}",
                target=True,
            ),
            Page(
                f"API indicators, {year - 1}",
                senior,
                f"/api/indicators/?year={year - 1}",
                target=True,
            ),
            Page(
                "Monthly lists, whole authority", senior, "/dashboard/monthly-lists/", target=True
            ),
            Page("Child's record", senior, f"/children/{child}/", target=True),
            Page(f"Find a child: {surname}", senior, "/children/", {"q": surname}, target=True),
            Page(f"Dashboard, {district.name} (manager)", manager, "/dashboard/", target=True),
            Page("Monthly lists, own district", manager, "/dashboard/monthly-lists/", target=True),
            Page(
                "To book (business support)", Role.BUSINESS_SUPPORT.value, "/conferences/to-book/"
            ),
            Page(
                "Paperwork (business support)",
                Role.BUSINESS_SUPPORT.value,
                "/conferences/paperwork/",
            ),
            Page("QA forms owed (IRO)", Role.IRO.value, "/quality/qa-forms/"),
            Page("IRO's next 4 weeks", Role.IRO.value, "/conferences/my-work/"),
            Page("A conference (its chair)", Role.IRO.value, f"/conferences/{conference}/"),
            Page(
                "Dashboard (directorate)",
                Role.DIRECTORATE_MANAGER.value,
                "/dashboard/",
                target=True,
            ),
            Page("Audit record (auditor)", Role.AUDITOR.value, "/audit/"),
        ]

    def _store_figures(self, last, district: District) -> None:
        """The figures the pages read, stored as the nightly refresh stores them."""
        year = reporting_year_of(last)
        started = time.perf_counter()
        for wanted_year, scope in ((year, None), (year - 1, None), (year, district)):
            snapshot, _ = snapshot_request(
                year=wanted_year,
                district=scope,
                by=None,
                reason=IndicatorSnapshot.Reason.NIGHTLY,
            )
            snapshot_compute(snapshot_id=snapshot.pk)
        self.stdout.write(
            f"figures stored for {year}, {year - 1} and {district.name} {year} "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def _start_server(self, port: int, moment: datetime, workers: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "IRO_BENCH_QUERY_HEADER": "true",
            "IRO_MFA_REQUIRED": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CELERY_TASK_ALWAYS_EAGER": "false",  # a page queues work, it never does it
            "IRO_API_THROTTLE_USER": "100000/min",
        }
        env.pop("DEBUG", None)
        command = [
            sys.executable,
            "-m",
            "devdata.bench.serve",
            moment.isoformat(),
            "iro_service.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603 - our own command
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn stopped at once (status {server.returncode})")
            try:
                if Browser(port).send("GET", "/sign-in/").status == 200:
                    return server
            except OSError:
                time.sleep(0.2)
        server.terminate()
        raise CommandError("gunicorn did not answer within 60 s")

    # -- running --------------------------------------------------------------------------

    def _run(self, port, people, pages, clients, requests):
        results: dict[str, Measured] = {}
        lock = threading.Lock()
        work: queue.Queue[Page] = queue.Queue()
        for n in range(requests):
            work.put(pages[n % len(pages)])
        browsers = []
        for _ in range(clients):
            signed_in = {}
            for role, (username, password) in people.items():
                signed_in[role] = Browser(port)
                signed_in[role].sign_in(username, password)
            browsers.append(signed_in)
        for page in pages:  # a warm-up of each page, not counted
            browsers[0][page.role].fetch(page)

        def client(signed_in):
            while True:
                try:
                    page = work.get_nowait()
                except queue.Empty:
                    return
                for label, status, queries, took in signed_in[page.role].fetch(page):
                    with lock:
                        measured = results.setdefault(label, Measured())
                        measured.timings.append(took)
                        measured.queries.append(queries)
                        if status != 200:
                            measured.failures.append(str(status))

        threads = [threading.Thread(target=client, args=(b,)) for b in browsers]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results, time.perf_counter() - started

    def _report(self, pages, results, seconds: float, requests: int) -> None:
        self.stdout.write(
            f"{'page':<46} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'queries':>8}"
        )
        failed = []
        targets = {page.label for page in pages if page.target}
        targets |= {f"{label}: results" for label in targets}
        for label, measured in results.items():
            timings = measured.timings
            p95 = _percentile(timings, 0.95)
            over = label in targets and p95 > TARGET_MS
            self.stdout.write(
                f"{label[:46]:<46} {len(timings):>4} {statistics.median(timings):>8.1f} "
                f"{p95:>8.1f} {_percentile(timings, 0.99):>8.1f} "
                f"{statistics.median(measured.queries):>8.0f}" + ("  over target" if over else "")
            )
            if measured.failures:
                failed.append(f"{label} answered {', '.join(sorted(set(measured.failures)))}")
            if over:
                failed.append(f"{label}: p95 {p95:.0f} ms, over {TARGET_MS} ms")
        self.stdout.write(
            f"{requests} requests in {seconds:.1f} s: {requests / seconds:.1f} requests a second"
        )
        if failed:
            raise CommandError("; ".join(failed))
