"""SQL building blocks the measures share, the same on PostgreSQL and SQLite.

Calendar months must clamp at month end (2011-11-30 + 3 months = 2012-02-29), as
`dateutil.relativedelta` does and as indicators.md requires. PostgreSQL's interval arithmetic
does exactly that. SQLite has no such function, so we register one, as Django itself does for
its own date functions on SQLite.
"""

import functools
from contextlib import contextmanager
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import DatabaseError
from django.db.backends.signals import connection_created
from django.db.models import DateField, Field, ForeignObject, Func, IntegerField, Lookup, Q, Value

from iro_service.db_router import reporting_connection


class AddMonths(Func):
    """`expression` + `months` calendar months, clamped at month end."""

    output_field = DateField()
    arity = 2

    def __init__(self, expression, months, **extra):
        if isinstance(months, int):
            months = Value(months, output_field=IntegerField())
        super().__init__(expression, months, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        sql = f"CAST((CAST({date_sql} AS date) + make_interval(months => CAST({months_sql} AS integer))) AS date)"
        return sql, (*date_params, *months_params)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="iro_add_months", **extra)


class AgeInYears(Func):
    """Whole years from a date of birth to a date (a birthday counts on the day)."""

    output_field = IntegerField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra):
        born_sql, born_params = compiler.compile(self.source_expressions[0])
        on_sql, on_params = compiler.compile(self.source_expressions[1])
        sql = f"CAST(EXTRACT(YEAR FROM AGE(CAST({on_sql} AS date), CAST({born_sql} AS date))) AS integer)"
        return sql, (*on_params, *born_params)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="iro_age_in_years", **extra)


class InArray(Lookup):
    """`field__in_array=subquery`: the rows whose field is among the subquery's values, read
    through the field's index. On PostgreSQL, `= ANY(ARRAY(subquery))`: the subquery runs once
    and its values drive an index scan, where `IN (subquery)` with nested loops off would hash
    the whole table (a million conferences to find the year's few thousand). Elsewhere, IN."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


Field.register_lookup(InArray)
ForeignObject.register_lookup(InArray)  # a foreign key's own column: `conference_id__in_array`


class AnyOf(Lookup):
    """`field__any_of=[values]`: the rows whose field is among a list of values (ids).

    On PostgreSQL, `= ANY(%s)` with the list as one array parameter. `__in` sends one
    parameter per value, and for a measure's few thousand ids the driver's splitting of the
    query at each placeholder and the planning of the list took longer than the lookup
    itself (late reviews at scale 8.4: 0.15 s of 0.3 s). Elsewhere, IN."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
        placeholders = ", ".join(["%s"] * len(self.rhs)) or "NULL"
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)


def _parse(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _sqlite_add_months(value, months):
    start = _parse(value)
    if start is None or months is None:
        return None
    return (start + relativedelta(months=int(months))).isoformat()


def age_in_years(born, on) -> int | None:
    """AgeInYears in Python (SQLite's function, and measures that read the dates)."""
    born, on = _parse(born), _parse(on)
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


_sqlite_age_in_years = age_in_years


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "iro_add_months", 2, _sqlite_add_months, deterministic=True
        )
        connection.connection.create_function(
            "iro_age_in_years", 2, _sqlite_age_in_years, deterministic=True
        )


connection_created.connect(register_sqlite_functions, dispatch_uid="iro_sqlite_functions")


@contextmanager
def joins_without_nested_loops():
    """Run the measures' queries on PostgreSQL with nested-loop joins off.

    Why: a nested loop is the one join whose cost multiplies when the planner's row estimates
    are wrong, and they are wrong in the worst way when statistics were taken while a table's
    pages held only dead rows (a load rolled back, as every test's is): every scan is then
    believed to return one row, each join becomes a loop over a full scan of the other table,
    and a measure that takes 10 ms takes many minutes (seen: 12 minutes in late reviews).
    The measures aggregate whole tables, so hash and merge joins are what they want anyway;
    with them the cost stays proportional to the rows, whatever the statistics say.
    The setting is put back afterwards; if the transaction failed, its rollback puts it back.
    """
    connection = reporting_connection()  # the replica's, inside reporting_reads()
    if connection.vendor != "postgresql" or getattr(connection, "_iro_no_nested_loops", False):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), set_config('enable_nestloop', 'off', false)"
        )
        previous = cursor.fetchone()[0]
    connection._iro_no_nested_loops = True
    try:
        yield
    finally:
        connection._iro_no_nested_loops = False
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('enable_nestloop', %s, false)", [previous])
        except DatabaseError:
            pass  # the transaction is aborted: its rollback undoes the setting


def bounded(measure):
    """A measure (or a function of measures) run inside joins_without_nested_loops()."""

    @functools.wraps(measure)
    def run(*args, **kwargs):
        with joins_without_nested_loops():
            return measure(*args, **kwargs)

    return run


def on_path(q: Q, path: str) -> Q:
    """A Q written for one model, moved onto a relation's path to it (`child__plans`)."""
    moved = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            moved.children.append(on_path(child, path))
        else:
            key, value = child
            moved.children.append((f"{path}__{key}", value))
    return moved


def date_param(day: date):
    """A date as a parameter of SQL that wraps a Django-compiled query (sql_rows)."""
    return reporting_connection().ops.adapt_datefield_value(day)


def sql_rows(sql: str, params) -> list[tuple]:
    """Rows of SQL that wraps a Django-compiled query (its parameters kept apart), read where
    the ORM reads (the replica inside reporting_reads())."""
    with reporting_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def values_by_id(queryset, ids, *fields: str, chunk: int = 5_000) -> dict:
    """id -> {field: value} for the rows of `queryset` with these ids, read by primary key in
    chunks: for looking up the few rows a measure found, without a join. (With nested loops
    off, a join to a large table hashes all of it, however few rows are wanted from it.)"""
    wanted = sorted({pk for pk in ids if pk is not None})
    found: dict = {}
    for at in range(0, len(wanted), chunk):
        rows = queryset.filter(pk__any_of=wanted[at : at + chunk]).order_by().values("pk", *fields)
        found.update({row.pop("pk"): row for row in rows})
    return found
