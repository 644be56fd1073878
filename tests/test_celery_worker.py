"""The broker, a real worker process and the result backend, end to end."""

import pytest
from celery.result import EagerResult

from iro_service.celery import app as celery_app
from iro_service.celery import ping

pytestmark = pytest.mark.services


@pytest.fixture
def through_broker():
    """Send tasks through the broker: the test settings otherwise run them eagerly."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


def test_ping_is_answered_by_the_worker_process(celery_worker_process, through_broker):
    result = ping.apply_async(args=["round trip"])

    assert not isinstance(result, EagerResult)  # sent to the broker, not run in this process
    reply = result.get(timeout=30)

    assert reply == {"echo": "round trip", "worker": celery_worker_process.hostname}
    assert result.successful()
    assert celery_worker_process.process.poll() is None
