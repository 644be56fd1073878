"""Making a PDF in a thread of this process, for when Celery runs tasks eagerly (`make run`,
with no broker and no worker).

An eager task runs where it is queued: inside the request that asked for the PDF, which then
hangs for the seconds the PDF takes, and whose answer can only ever be "ready". Started here
instead, once the request's transaction has committed, the PDF is made beside the request: the
request answers at once with the status page, and that page shows each step as the thread
records it. The work is the Celery task's (services.version_build), claimed with the same
guarded update, so it runs once whichever door starts it.

A thread dies with its process (a restart of runserver): its version then stays "being made"
until services.ABANDONED_AFTER marks it failed, as a version whose worker was lost would be.
With a worker (CELERY_TASK_ALWAYS_EAGER false) nothing here is used.
"""

import logging
import threading

from django.db import connections

logger = logging.getLogger(__name__)


def start(version_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_build, args=(version_id,), name=f"annual-report-pdf-{version_id}", daemon=True
    )
    thread.start()
    return thread


def _build(version_id: int) -> None:
    from .services import version_build  # services imports this module

    try:
        version_build(version_id=version_id)
    except Exception:  # version_build records its own failures; this is anything else
        logger.exception("Annual report version %s: the background build failed", version_id)
    finally:
        connections.close_all()  # this thread's connections, not the requests'
