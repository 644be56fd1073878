"""`/health/`, which a load balancer or a container's healthcheck asks: "ok" only when the
database and the broker are reached, and nothing about the service either way."""

import socket
import time

import pytest
from django.db import OperationalError
from django.test import Client

from iro_service import health
from tests.security.throwaway import ThrowawayRedis, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """Tasks sent through a broker at a URL the test chooses (eager otherwise)."""

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url

    return use


def test_signed_out_with_the_database_reached_it_says_ok_and_nothing_else():
    response = Client().get("/health/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]  # a probe never sees a stored answer


def test_the_database_not_reached_is_503_naming_it_without_its_error(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3 refused")

    monkeypatch.setattr(health.connection, "cursor", unreachable)
    response = Client().get("/health/")

    assert response.status_code == 503
    assert response.content == b"not reached: database\n"


def test_a_broker_that_refuses_is_503_and_a_running_redis_is_ok(broker):
    broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.content == b"not reached: broker\n"

    redis = ThrowawayRedis()
    redis.start()
    try:
        broker(redis.url)
        response = Client().get("/health/")
        assert (response.status_code, response.content) == (200, b"ok\n")
    finally:
        redis.close()


def test_only_reading_is_allowed():
    assert Client().post("/health/").status_code == 405


def test_it_is_answered_over_plain_http_when_everything_else_redirects(settings):
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get("/health/").status_code == 200
    assert Client().get("/children/").status_code == 301  # to https://


def test_a_broker_that_accepts_but_never_answers_is_503_within_the_timeout(broker, settings):
    """A paused or stuck Redis: the connection is accepted, no answer ever comes."""
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = 1
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts connections; nobody ever reads or writes
        broker(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        started = time.monotonic()
        response = Client().get("/health/")
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert response.content == b"not reached: broker\n"
    assert waited < 10  # bounded by the timeout, not by gunicorn killing the worker
