"""Insert many rows fast: PostgreSQL's COPY, with ids reserved from the table's sequence.

An import creates hundreds of thousands of rows. Django's bulk_create builds a model instance
and a compiled value per field for each, which costs more than the database's own work; on
PostgreSQL the rows are instead streamed with COPY (psycopg's `cursor.copy`), their ids taken
beforehand with nextval so the caller gets them back in order. Field defaults, auto_now(_add)
and each field's own conversion to the database value (get_db_prep_save) still apply (for
COPY only JSON values need converting), so the rows are the ones bulk_create would write.
SQLite (development and tests) takes the same rows with executemany, ids from MAX(id) + 1
inside the import's transaction; other databases use bulk_create.
"""

from django.db import connection, models
from django.utils import timezone

_sequences: dict[str, str] = {}


def _sequence(model) -> str:
    table = model._meta.db_table
    if table not in _sequences:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            _sequences[table] = cursor.fetchone()[0]
    return _sequences[table]


def _template(fields, now) -> list:
    """Each field's value when a row does not give one: its default, or now for auto_now."""
    values = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append(now)
        else:
            values.append(field.get_default())
    return values


def _is_auto(model) -> bool:
    return isinstance(
        model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField
    )


def _fields(model, rows: list[dict], *, auto: bool) -> list:
    """The columns to write: those the rows give, and those whose default is not NULL. A
    nullable column no row fills is left out, to be NULL (less to send and to parse)."""
    provided = set().union(*(row.keys() for row in rows))
    fields = []
    for field in model._meta.concrete_fields:
        if auto and field.primary_key:
            continue
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if field.attname in provided or stamped or not field.null or field.has_default():
            fields.append(field)
    return fields


def _values(fields, rows: list[dict], ids: list | None, *, convert) -> list[list]:
    """Each row as a list of column values (its id first, if given), defaults filled in.
    `convert`: the fields whose values the database driver cannot take as they are, converted
    by the field itself."""
    offset = 1 if ids is not None else 0
    template = [None] * offset + _template(fields, timezone.now())
    position = {field.attname: index + offset for index, field in enumerate(fields)}
    adapt = [(index + offset, field) for index, field in enumerate(fields) if convert(field)]
    result = []
    for number, row in enumerate(rows):
        values = template.copy()
        if offset:
            values[0] = ids[number]
        for name, value in row.items():
            values[position[name]] = value
        for index, field in adapt:
            values[index] = field.get_db_prep_save(values[index], connection)
        result.append(values)
    return result


def _next_ids(model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)", [_sequence(model), count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: one writer at a time, and this runs inside the import's transaction.
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"SELECT MAX({column}) FROM {table}")  # noqa: S608
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + count))


def insert(model, rows: list[dict]) -> list:
    """Insert `rows` (attribute name -> value) and return their primary keys, in order."""
    if not rows:
        return []
    if connection.vendor not in {"postgresql", "sqlite"}:
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects)
        return [obj.pk for obj in objects]
    auto = _is_auto(model)
    pk = model._meta.pk
    fields = _fields(model, rows, auto=auto)
    ids = _next_ids(model, len(rows)) if auto else [row[pk.attname] for row in rows]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in ([pk] if auto else []) + fields)
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        # Plain values (str, int, bool, dates, aware datetimes) go to COPY as they are.
        json = lambda field: field.get_internal_type() == "JSONField"  # noqa: E731
        values = _values(fields, rows, ids if auto else None, convert=json)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
        return ids
    values = _values(fields, rows, ids if auto else None, convert=lambda field: True)
    placeholders = ", ".join(["%s"] * (len(fields) + auto))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            values,
        )
    return ids
