"""The outbox: tasks are stored with the work that asked for them, then handed to Celery.

`enqueue` writes a QueuedTask row inside the caller's transaction, so the task exists exactly
when the work it follows does (a rolled-back request queues nothing). Once the transaction
commits it tries to hand the task to the broker, with no retries and a short connection
timeout (settings "Faults (issue 12)"): if Redis is down the row simply stays unsent, the page
answers as usual, and `send_pending` sends it later: from the beat task every minute, the
`send_queued_tasks` command, or the next enqueue that reaches the broker.

Sent once: a sender locks the unsent rows it takes (SELECT ... FOR UPDATE SKIP LOCKED, so two
senders never take the same row) and marks each sent in the same transaction, as soon as the
broker has accepted it. Should that transaction then fail to commit, the row is sent again
later: the tasks themselves are safe to run twice (a snapshot or a PDF is claimed with a
guarded update; emails record whom they told before sending).

With CELERY_TASK_ALWAYS_EAGER (`make run`, the test suite) there is no broker: the task runs
inline once the transaction commits, as `delay_on_commit` did, and nothing is stored.
"""

import logging
from functools import partial

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import QueuedTask

logger = logging.getLogger(__name__)

# How many older unsent rows an enqueue that reached the broker sends along with its own.
SEND_AT_ENQUEUE = 20
BATCH = 100


def _broker():
    """A connection to the broker that tries once: Redis refusing gives up at once, Redis not
    answering after CELERY_BROKER_CONNECTION_TIMEOUT seconds."""
    return current_app.connection_for_write(transport_options={"max_retries": 0})


def _app(task):
    return current_app if isinstance(task, str) else task.app


def enqueue(task, *args, **kwargs) -> QueuedTask | None:
    """Queue `task` (a Celery task, or a registered task's name) with JSON arguments, to be
    sent once the current transaction commits. Answers the stored row (None when tasks run
    eagerly, and so are not stored)."""
    app = _app(task)
    if app.conf.task_always_eager:
        run = app.tasks[task] if isinstance(task, str) else task
        transaction.on_commit(partial(run.apply_async, args=args, kwargs=kwargs))
        return None
    name = task if isinstance(task, str) else task.name
    row = QueuedTask.objects.create(task_name=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(_send_after_commit, row.pk))
    return row


def _send_after_commit(pk: int) -> None:
    """Send the row just committed and, if the broker took it, older rows still waiting. Never
    raises: the request that queued it has done its work, and the row waits for the next try."""
    try:
        if send_one(pk):
            send_pending(limit=SEND_AT_ENQUEUE)
    except Exception as error:  # the database, most likely; the row is kept either way
        logger.warning("Queued task %s left for later: %s", pk, type(error).__name__)


def send_one(pk: int) -> bool:
    """Send one unsent row, unless another sender holds it. Answers whether it was sent now."""
    with _broker() as connection, transaction.atomic():
        row = (
            QueuedTask.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        return row is not None and _send(row, connection)


def send_pending(*, limit: int | None = None) -> int:
    """Send unsent rows, oldest first, until none is left, `limit` are sent or the broker
    refuses one. Answers how many were sent."""
    sent = 0
    with _broker() as connection:
        while limit is None or sent < limit:
            size = BATCH if limit is None else min(BATCH, limit - sent)
            with transaction.atomic():
                rows = list(
                    QueuedTask.objects.select_for_update(skip_locked=True)
                    .filter(sent_at__isnull=True)
                    .order_by("pk")[:size]
                )
                if not rows:
                    return sent
                for row in rows:
                    if not _send(row, connection):
                        return sent  # the broker is down: the rest wait for the next run
                    sent += 1
    return sent


def waiting_count() -> int:
    return QueuedTask.objects.filter(sent_at__isnull=True).count()


def _send(row: QueuedTask, connection) -> bool:
    """Publish one locked row and record the outcome on it, in the caller's transaction."""
    row.attempts += 1
    try:
        current_app.send_task(
            row.task_name,
            args=row.args,
            kwargs=row.kwargs,
            connection=connection,
            retry=False,  # fail at once: a page must not wait for the broker
            ignore_result=True,  # outcomes are kept in the database (snapshots, versions)
        )
    except Exception as error:  # whatever the broker's client raises: keep the row
        row.last_error = type(error).__name__[:200]
        row.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "Queued task %s (%s) not sent, kept to send later: %s",
            row.pk,
            row.task_name,
            row.last_error,
        )
        return False
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["attempts", "sent_at", "last_error"])
    return True
