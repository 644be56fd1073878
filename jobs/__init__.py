"""Background work that survives the broker being down: a transactional outbox.

`jobs.enqueue(task, *args, **kwargs)` stores the task in the database, in the caller's
transaction, and hands it to Celery once that transaction commits. If Redis cannot be reached
the row stays unsent and the page answers as usual; the beat task and the management command
`send_queued_tasks` (and the next enqueue) send it when Redis is back. See jobs/outbox.py.
"""


def enqueue(task, *args, **kwargs):
    """Queue a Celery task (or a task name) with JSON arguments; see jobs.outbox.enqueue."""
    from .outbox import enqueue as _enqueue  # models are not ready when this package loads

    return _enqueue(task, *args, **kwargs)
