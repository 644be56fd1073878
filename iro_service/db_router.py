"""Reporting reads on a PostgreSQL streaming replica, when there is one (DATABASE_REPLICA_URL).

The measures, the stored figures' computation and the annual and quarterly reports read the
whole of the records: on a busy authority that is the heaviest reading the service does. With
a replica configured, whatever runs inside `reporting_reads()` reads there: ORM reads through
this router, and the measures' own SQL through `reporting_connection()`. Writes always go to
the primary, so does every read outside `reporting_reads()` (a page that has just saved must
see what it saved), and so do the migrations. Without a replica everything is on `default`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reporting = ContextVar("iro_reporting_reads", default=False)


def reporting_alias() -> str:
    """The database the current reporting work reads: the replica inside reporting_reads()
    when one is configured, else the primary."""
    if _reporting.get() and REPLICA in connections.settings:
        return REPLICA
    return DEFAULT_DB_ALIAS


def reporting_connection():
    return connections[reporting_alias()]


@contextmanager
def reporting_reads() -> Iterator[str]:
    """Reads inside go to the replica, if there is one; yields the alias they use."""
    token = _reporting.set(True)
    try:
        yield reporting_alias()
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return reporting_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
