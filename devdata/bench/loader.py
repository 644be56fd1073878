"""Fast bulk loading for the synthetic authority: rows as tuples with ids chosen here, written
by PostgreSQL COPY (or bulk_create on other databases) in batches.

Ids are assigned in Python, from one above the table's largest id, so a row can point at
another before either is written; the foreign keys Django creates on PostgreSQL are
DEFERRABLE INITIALLY DEFERRED, so the whole load must run in one transaction and the order of
the batches does not matter. Sequences are moved past the new ids at the end.

Fields a row leaves out take the model's default, so a new field with a default needs no change
here. `created_at` and `updated_at` (auto_now) take the load's fixed timestamp. Historical
records (django-simple-history) are not written: no measure reads them.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from iro_service.derived import store_derived
from iro_service.planner_statistics import analyze_after_commit

BATCH_ROWS = 20_000


class Table:
    """The rows of one model waiting to be written, and the next id to give out."""

    def __init__(self, model: type[models.Model], *, now: datetime):
        self.model = model
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.position = {name: index for index, name in enumerate(self.attnames)}
        self.template = [_default(field, now) for field in fields]
        self.pk_position = self.position[model._meta.pk.attname]
        self.json_positions = [
            i for i, field in enumerate(fields) if isinstance(field, models.JSONField)
        ]
        largest = model._base_manager.aggregate(largest=Max("pk"))["largest"]
        self.next_id = (largest or 0) + 1
        self.rows: list[list] = []
        self.written = 0

    def new_id(self) -> int:
        """An id for a row that will be added later (add(id=...)), so others can point at it."""
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, **values) -> int:
        """Queue one row (field attnames: `household_id`, not `household`); return its id."""
        row = self.template.copy()
        if "id" not in values:
            values["id"] = self.new_id()
        for name, value in values.items():
            row[self.position[name]] = value  # KeyError on a misspelt field: wanted
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()
        return values["id"]

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            self._copy(self.rows)
        else:
            self.model._base_manager.bulk_create(
                [self.model(**dict(zip(self.attnames, row, strict=True))) for row in self.rows],
                batch_size=500,
            )
        self.written += len(self.rows)
        self.rows = []

    def _copy(self, rows: Iterable[list]) -> None:
        from psycopg.types.json import Jsonb

        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self._columns())
        sql = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                for i in self.json_positions:
                    row[i] = Jsonb(row[i])
                copy.write_row(row)

    def _columns(self) -> list[str]:
        return [field.column for field in self.model._meta.concrete_fields]


def _default(field: models.Field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


class Loader:
    """One Table per model; `finish()` writes what is left and resets the sequences."""

    def __init__(self, *, now: datetime):
        self.now = now
        self.tables: dict[type[models.Model], Table] = {}

    def __getitem__(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, now=self.now)
        return self.tables[model]

    def finish(self) -> dict[type[models.Model], int]:
        for table in self.tables.values():
            table.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        store_derived()  # rows written by COPY send no signals
        # Planner statistics once the load is committed (none if it is rolled back, as in a
        # test): without them, or with a count of 0 rows from before, plans are hopeless.
        analyze_after_commit(self.tables)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        return {model: table.written for model, table in self.tables.items()}
