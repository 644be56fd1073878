"""Fresh PostgreSQL planner statistics after a bulk load, taken only once the load is committed.

Why: after a bulk load the statistics still describe the tables as they were. Worst of all is
a table analyzed while it held only dead rows (a load rolled back, or rows since replaced):
PostgreSQL then believes its pages hold no rows at all and plans every query over it as if it
were empty. An ANALYZE inside a transaction that later rolls back leaves the opposite lie
behind (row counts of rows that never existed), so the ANALYZE waits for the commit.
On SQLite there is nothing to do: its planner does not use ANALYZE statistics unless asked.
"""

from collections.abc import Iterable

from django.db import connection, models, transaction


def analyze_after_commit(tables: Iterable[type[models.Model] | str] | None = None) -> None:
    """ANALYZE the given models' tables (all tables if None) once the current transaction
    commits; at once if there is none. A rolled back transaction analyzes nothing."""
    if connection.vendor != "postgresql":
        return
    names = None if tables is None else sorted({_table_name(table) for table in tables})
    transaction.on_commit(lambda: _analyze(names))


def _table_name(table: type[models.Model] | str) -> str:
    return table if isinstance(table, str) else table._meta.db_table


def _analyze(names: list[str] | None) -> None:
    with connection.cursor() as cursor:
        if names is None:
            cursor.execute("ANALYZE")
        elif names:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(n) for n in names))
