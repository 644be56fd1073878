"""Faults survived: Redis down, PostgreSQL restarted (issue 12).

Redis: each test runs its own throwaway redis-server (tests/security/throwaway.py) and points
the Celery app at it, so stopping it disturbs nobody else. Work asked for while it is down is
kept in the database (jobs.QueuedTask) and reaches the broker once when it is back: the
broker's queue (a Redis list, "celery") is read with LLEN and the messages decoded.

PostgreSQL: a throwaway cluster and gunicorn serving the service from it, asked with urllib:
a page answers, PostgreSQL stops, the page answers 503 with the service's own page, PostgreSQL
starts again and the same page answers again without gunicorn being restarted.
"""

import base64
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, connections, transaction
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

import iro_service.urls
import jobs
from conferences.models import Conference
from conferences.services import booking, invitations
from conferences.tasks import tell_invitees_of_change
from iro_service.celery import app as celery_app
from jobs.models import QueuedTask
from jobs.tasks import send_queued_tasks
from people.models import Role
from reporting.models import IndicatorSnapshot
from reporting.selectors import reporting_year_of
from reporting.tasks import compute_snapshot

from ..conferences.invitation_world import NOW as INVITATION_NOW
from ..conferences.invitation_world import booked_world
from ..factories import InviteeFactory
from .throwaway import ThrowawayPostgres, ThrowawayRedis, free_port, port_open, wait_for

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "celery"  # Celery's default queue: a Redis list of the messages waiting


# --- Redis down ------------------------------------------------------------------------------


@pytest.fixture
def broker(monkeypatch):
    """A Redis of this test's own, running, with the Celery app sending to it (not eagerly).
    The outbox publishes through broker_write_url, which Celery reads before broker_url and
    its CELERY_BROKER_URL variable (set by scripts/test.sh to the suite's shared Redis)."""
    server = ThrowawayRedis()
    server.start()
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager, conf.broker_write_url = False, server.url
    try:
        yield server
    finally:
        conf.task_always_eager = eager
        conf["broker_write_url"] = None  # back to broker_url
        server.close()


def queued_messages(server: ThrowawayRedis) -> list[dict]:
    """The messages waiting in the broker's queue: task name, args and kwargs of each."""
    client = redis.Redis(host="127.0.0.1", port=server.port, db=0)
    try:
        raw = client.lrange(QUEUE, 0, -1)
    finally:
        client.close()
    messages = []
    for item in raw:
        envelope = json.loads(item)
        args, kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        messages.append({"task": envelope["headers"]["task"], "args": args, "kwargs": kwargs})
    return messages


def queue_length(server: ThrowawayRedis) -> int:
    client = redis.Redis(host="127.0.0.1", port=server.port, db=0)
    try:
        return client.llen(QUEUE)
    finally:
        client.close()


def ask_for_a_refresh(client, capture):
    """A manager asks for the dashboard's figures to be refreshed: the request's transaction
    commits (so the outbox's on-commit send runs) and the page answers."""
    year = reporting_year_of(timezone.localdate())
    with capture(execute=True):
        response = client.post(reverse("reporting:refresh"), {"year": year})
    return response, IndicatorSnapshot.objects.get(year=year, district=None)


def test_a_refresh_asked_for_while_redis_is_down_is_kept_and_sent_once_when_it_is_back(
    broker, clients, django_capture_on_commit_callbacks
):
    broker.stop()

    response, snapshot = ask_for_a_refresh(
        clients[Role.SENIOR_IRO], django_capture_on_commit_callbacks
    )

    # The page answers as usual, and the work is kept, not sent.
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:snapshot", args=[snapshot.pk])
    progress = clients[Role.SENIOR_IRO].get(response["Location"])
    assert progress.status_code == 200
    row = QueuedTask.objects.get()
    assert (row.task_name, row.args, row.kwargs) == (
        "reporting.compute_snapshot",
        [snapshot.pk],
        {},
    )
    assert row.sent_at is None and row.attempts == 1
    assert row.last_error == "OperationalError"  # the kind of error, nothing of its text
    assert snapshot.status == IndicatorSnapshot.Status.QUEUED

    broker.start()
    assert queue_length(broker) == 0  # nothing was sent while it was down

    call_command("send_queued_tasks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert queued_messages(broker) == [
        {"task": "reporting.compute_snapshot", "args": [snapshot.pk], "kwargs": {}}
    ]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""

    # Run again (the beat task, or a second operator): nothing is sent twice.
    call_command("send_queued_tasks", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert queue_length(broker) == 1


def test_with_redis_up_the_work_is_sent_at_once_and_only_once(
    broker, clients, django_capture_on_commit_callbacks
):
    _response, snapshot = ask_for_a_refresh(
        clients[Role.SENIOR_IRO], django_capture_on_commit_callbacks
    )

    assert queued_messages(broker) == [
        {"task": "reporting.compute_snapshot", "args": [snapshot.pk], "kwargs": {}}
    ]
    assert QueuedTask.objects.get().sent_at is not None
    assert jobs.outbox.send_pending() == 0
    assert queue_length(broker) == 1


def test_invitees_told_of_a_cancellation_while_redis_is_down_are_emailed_once_later(
    broker, world, django_capture_on_commit_callbacks
):
    """Emails: the cancellation is saved and its emails wait in the outbox; once sent, the
    task run twice (a message delivered twice) still emails each person once."""
    with time_machine.travel(INVITATION_NOW, tick=False):
        booked = booked_world(world)
        conference = booked.conference
        InviteeFactory(conference=conference, name="PC Dawn Hale", email="dawn.hale@police.example")
        invitations.invitations_send(
            conference=conference, by=booked.business_support, now=INVITATION_NOW
        )
        mail.outbox.clear()
        broker.stop()

        with django_capture_on_commit_callbacks(execute=True):
            booking.conference_cancel(
                conference=conference,
                reason="no_longer_needed",
                note="",
                by=booked.business_support,
                now=INVITATION_NOW,
            )

        conference.refresh_from_db()
        assert conference.status == Conference.Status.CANCELLED
        assert mail.outbox == []  # not yet: the task waits for Redis
        row = QueuedTask.objects.get(sent_at__isnull=True)
        assert row.task_name == "conferences.tell_invitees_of_change"
        assert row.args == [
            conference.pk,
            None,
            booked.business_support.pk,
            INVITATION_NOW.isoformat(),
        ]

        broker.start()
        call_command("send_queued_tasks", stdout=open(os.devnull, "w"))  # noqa: SIM115
        [message] = queued_messages(broker)
        assert message["task"] == "conferences.tell_invitees_of_change"

        # What the worker does with it, twice over.
        for _ in range(2):
            tell_invitees_of_change(*message["args"], **message["kwargs"])
    assert [email.to for email in mail.outbox] == [["dawn.hale@police.example"]]


def test_the_command_says_what_it_could_not_send_and_keeps_it(
    broker, db, django_capture_on_commit_callbacks
):
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(compute_snapshot, 41)

    with pytest.raises(CommandError, match="1 task\\(s\\) could not be sent"):
        call_command("send_queued_tasks", stdout=open(os.devnull, "w"))  # noqa: SIM115

    row = QueuedTask.objects.get()
    assert row.sent_at is None and row.attempts == 2


def test_the_next_enqueue_that_reaches_redis_sends_what_waited_first(
    broker, db, django_capture_on_commit_callbacks
):
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(compute_snapshot, 41)
    broker.start()

    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(compute_snapshot, 42)

    assert sorted(message["args"][0] for message in queued_messages(broker)) == [41, 42]
    assert not QueuedTask.objects.filter(sent_at__isnull=True).exists()


def test_the_beat_task_every_minute_sends_what_waited(
    broker, db, django_capture_on_commit_callbacks
):
    schedule = PeriodicTask.objects.get(name="send queued tasks")
    assert schedule.enabled and schedule.task == "jobs.send_queued_tasks"
    assert (schedule.interval.every, schedule.interval.period) == (1, "minutes")
    assert "jobs.send_queued_tasks" in celery_app.tasks
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(compute_snapshot, 41)
    assert send_queued_tasks() == 0  # still down: kept
    broker.start()

    assert send_queued_tasks() == 1
    assert send_queued_tasks() == 0
    assert queued_messages(broker) == [
        {"task": "reporting.compute_snapshot", "args": [41], "kwargs": {}}
    ]


def test_work_of_a_transaction_rolled_back_is_never_sent(broker, db):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(compute_snapshot, 41)
        raise RuntimeError("the request failed after asking")

    assert not QueuedTask.objects.exists()
    assert jobs.outbox.send_pending() == 0
    assert queue_length(broker) == 0


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_task_once(broker):
    """The beat task and an operator's command at the same moment: SKIP LOCKED gives each
    sender rows the other has not taken, and each row is marked sent as it is published."""
    QueuedTask.objects.bulk_create(
        QueuedTask(task_name="reporting.compute_snapshot", args=[n]) for n in range(60)
    )
    start = threading.Barrier(2)
    counts, errors = [], []

    def sender():
        try:
            start.wait(timeout=30)
            counts.append(jobs.outbox.send_pending())
        except Exception as error:  # reported below, with the test's own assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender, name=f"sender-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts) == 60
    assert sorted(message["args"][0] for message in queued_messages(broker)) == list(range(60))
    assert not QueuedTask.objects.filter(sent_at__isnull=True).exists()


def test_with_tasks_run_inline_nothing_is_stored_and_the_task_runs_on_commit(
    db, django_capture_on_commit_callbacks
):
    """`make run` and the rest of the suite (CELERY_TASK_ALWAYS_EAGER): as before the outbox."""
    assert celery_app.conf.task_always_eager
    snapshot = IndicatorSnapshot.objects.create(year=2027, district=None, steps_total=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.enqueue(compute_snapshot, snapshot.pk) is None
        snapshot.refresh_from_db()
        assert snapshot.status == IndicatorSnapshot.Status.QUEUED  # not before the commit

    snapshot.refresh_from_db()
    assert snapshot.status == IndicatorSnapshot.Status.DONE
    assert not QueuedTask.objects.exists()


# --- PostgreSQL restarted --------------------------------------------------------------------

SERVER_START_TIMEOUT = 60
UNAVAILABLE = "The service is not available at the moment"
REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def _database_gone(request):
    raise OperationalError(REFUSED)


# This module is the urlconf of the tests marked so: the service's pages, and one whose
# database has gone away.
urlpatterns = [path("test-database-gone/", _database_gone), *iro_service.urls.urlpatterns]


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == [UNAVAILABLE]
    assert "Connection refused" not in page and "Traceback" not in page


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
def test_a_page_whose_database_is_gone_gets_the_service_unavailable_page(
    settings, clients, debug, caplog
):
    settings.DEBUG = debug
    _assert_unavailable_page(clients[Role.IRO].get("/test-database-gone/"))
    assert "Connection refused" not in caplog.text  # the kind of error only, in the log


@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
def test_the_session_unreadable_before_any_view_gets_the_same_page(
    settings, world, monkeypatch, debug
):
    """The first query of a signed-in request is its session's, in a middleware before the
    view; that failure too gets the 503 page, not "Sorry, there is a problem"."""
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(world.users[Role.IRO])

    def gone(self):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(SessionStore, "load", gone)
    _assert_unavailable_page(client.get(reverse("children:search")))


def _get(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served_from_throwaway_postgres():
    """gunicorn serving the service (DEBUG off) from a throwaway PostgreSQL cluster with the
    schema migrated and one signed-in Senior IRO: (server url, session cookie, the cluster)."""
    cluster = ThrowawayPostgres()
    cluster.start()
    server = None
    try:
        cluster.psql("CREATE DATABASE iro")
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url("iro"),
            # A kept connection, so the restart leaves it broken: CONN_HEALTH_CHECKS replaces it.
            "DATABASE_CONN_MAX_AGE": "600",
            "DJANGO_SETTINGS_MODULE": "tests.security.fault_settings",
            "SECRET_KEY": "fault-test-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "IRO_MFA_REQUIRED": "false",
            "CELERY_BROKER_URL": "memory://",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
        env.pop("DEBUG", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(  # noqa: S603
            [*manage, "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,  # noqa: S603
            capture_output=True,
            timeout=300,
        )
        cookie = (
            subprocess.run(  # noqa: S603
                [*manage, "shell", "-c", SIGNED_IN_SESSION],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        log = open(cluster.dir / "gunicorn.log", "wb")  # noqa: SIM115
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "iro_service.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(
            lambda: port_open(port), timeout=SERVER_START_TIMEOUT, what="gunicorn did not start"
        )
        yield f"http://127.0.0.1:{port}", cookie, cluster
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        cluster.close()


# Prints a session cookie of a signed-in Senior IRO, made the way the test client's
# force_login makes one (the session is stored in the database).
SIGNED_IN_SESSION = """
from django.test import Client
from people.models import Role, User
user = User.objects.create_user(username="senior", password="unused-in-this-test-12", role=Role.SENIOR_IRO)
client = Client()
client.force_login(user)
print(f"sessionid={client.cookies['sessionid'].value}")
"""


def test_requests_while_postgresql_restarts_get_the_service_page_then_it_recovers(
    served_from_throwaway_postgres,
):
    base, cookie, cluster = served_from_throwaway_postgres
    page = base + reverse("children:search")

    status, body = _get(page, cookie)
    assert status == 200, body[:500]
    assert "Sign out" in body  # signed in: the session was read from the database

    cluster.stop()
    status, body = _get(page, cookie)
    assert status == 503
    assert f'<h1 class="govuk-heading-l">{UNAVAILABLE}</h1>' in body
    assert "Traceback" not in body and "OperationalError" not in body

    cluster.start()
    status, body = _get(page, cookie)
    assert status == 200, body[:500]  # recovered, and gunicorn was never restarted
    assert "Sign out" in body

    # Restarted between two requests: the kept connection is dead, and the health check
    # replaces it, so even the first request after answers.
    cluster.stop()
    cluster.start()
    status, body = _get(page, cookie)
    assert status == 200, body[:500]
