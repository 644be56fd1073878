"""Records derived from the case records and stored, so that the measures count indexed rows
(style.md rule 2: deadlines are stored): each plan's held reviews with their national due
dates (plans/reviews.py), each child at a held initial conference with their enquiry's due
date (conferences/timeliness.py), each conference's district (conferences/districts.py),
each plan's (plans/districts.py) and whether a plan follows an earlier one (plans/earlier.py).

Each kind is one Django query over the records (the rule, written once) whose rows are
written with INSERT ... SELECT, for the given children or for all. Model signals rewrite a
child's rows when a record they come from is saved or deleted (plans/apps.py,
conferences/apps.py); the bulk loads, which send no signals, call `store_derived()` once at the
end, and `manage.py store_derived` rebuilds every row.
"""

from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Model, QuerySet

# Children per statement when rewriting some children's rows; above FULL, all are rewritten.
CHUNK = 1_000
FULL = 10_000


def rewrite(
    model: type[Model],
    rows_for: Callable[[list[int] | None], QuerySet],
    columns: dict[str, str],
    *,
    children: Iterable[int] | None,
) -> int:
    """Replace the stored rows of these children (all rows when None) with `rows_for(ids)`,
    whose values() are read into the model's columns (`columns`: column -> value's name).
    A few children's: by their indexes. All: with nested loops off, so the cost stays linear in
    the rows even when the planner's statistics still describe the tables before a bulk load."""
    from reporting.metrics.sql import joins_without_nested_loops

    ids = None if children is None else child_ids(children)
    if ids is not None and len(ids) <= FULL:
        return sum(
            _rewrite(model, rows_for, columns, ids[at : at + CHUNK])
            for at in range(0, len(ids), CHUNK)
        )
    with joins_without_nested_loops():
        return _rewrite(model, rows_for, columns, None)


def child_ids(children: Iterable[int]) -> list[int]:
    """The children's ids, each once, in order (None left out): what every kind of derived
    row is rewritten for."""
    return sorted({int(c) for c in children if c is not None})


def of_children(queryset: QuerySet, children: Iterable[int] | None) -> QuerySet | None:
    """The rows of `queryset` (a model with a `child`) of these children, all when None;
    None when there are no children to put right, so the caller writes nothing."""
    if children is None:
        return queryset
    ids = child_ids(children)
    return queryset.filter(child_id__in=ids) if ids else None


def _rewrite(model, rows_for, columns: dict[str, str], children: list[int] | None) -> int:
    stored = model.objects.all()
    if children is not None:
        if not children:
            return 0
        stored = stored.filter(child_id__in=children)
    stored._raw_delete(stored.db)  # derived rows: nothing points at them, no signal to send
    inner, params = rows_for(children).values(*columns.values()).query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    values = ", ".join(connection.ops.quote_name(value) for value in columns.values())
    sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM ({inner}) derived"  # noqa: S608
    with connection.cursor() as cursor:  # Django-compiled SQL, its parameters apart
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def saved_any(update_fields, fields: set[str]) -> bool:
    """Whether a save (post_save's `update_fields`; None: every field) wrote any of `fields`,
    so that a signal can skip saves that cannot change the derived rows."""
    return update_fields is None or bool(fields & set(update_fields))


def store_derived(*, children: Iterable[int] | None = None) -> int:
    """Rewrite every kind of derived row for these children (all when None)."""
    from conferences.districts import store_conference_districts
    from conferences.held import store_held_places
    from conferences.timeliness import store_initial_conference_dues
    from plans.districts import store_plan_districts
    from plans.earlier import store_earlier_plans
    from plans.reviews import store_plan_reviews

    children = None if children is None else list(children)
    return (
        store_conference_districts(children=children)
        + store_plan_districts(children=children)
        + store_earlier_plans(children=children)
        + store_plan_reviews(children=children)
        + store_initial_conference_dues(children=children)
        + store_held_places(children=children)
    )
