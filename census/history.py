"""History rows for records written in bulk (style.md rule 10: changes keep their history).

`bulk_create` and `bulk_update` skip django-simple-history's signals. Rather than build a
Python history object per row, the history rows are copied inside the database from the rows
just written: INSERT INTO <historical table> SELECT ... FROM <table> WHERE id IN (...).
"""

from django.db import connection
from django.utils import timezone

HISTORY_ONLY = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}
CHUNK = 5_000


def record_history(model, ids, *, history_type: str, reason: str, user_id=None) -> None:
    """One history row per id, as the rows stand now. history_type: "+" created, "~" changed."""
    ids = list(ids)
    if not ids:
        return
    historical = model.history.model
    columns, sources = [], []
    for field in historical._meta.concrete_fields:
        if field.name in HISTORY_ONLY:
            continue
        columns.append(connection.ops.quote_name(field.column))
        sources.append(connection.ops.quote_name(model._meta.get_field(field.name).column))
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    columns += [connection.ops.quote_name(name) for name in extra]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    # Table and column names come from the models, quoted; the values are parameters.
    insert_sql = (
        f"INSERT INTO {connection.ops.quote_name(historical._meta.db_table)} "  # noqa: S608
        f"({', '.join(columns)}) SELECT {', '.join(sources)}, %s, %s, %s, %s FROM {table} "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, however many rows
            cursor.execute(
                insert_sql + f"WHERE {pk} = ANY(%s)",
                [when, reason[:100], history_type, user_id, ids],
            )
            return
        for offset in range(0, len(ids), CHUNK):
            chunk = ids[offset : offset + CHUNK]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                insert_sql + f"WHERE {pk} IN ({placeholders})",
                [when, reason[:100], history_type, user_id, *chunk],
            )
