"""When the records the measures count last changed: the newest change in their history.

Every record the measures count keeps its history (django-simple-history), and each history
table's `history_date` is indexed, so the newest change of all of them is one query of index
lookups, whatever the size of the records. Stored figures older than that may be out of date
(services.stored_figures asks for them again); figures as new are current.

Reference data (benchmarks, populations, vacancies) keep no history: a change to them shows
at the nightly refresh, or at once with "Refresh figures".
"""

from datetime import UTC, datetime

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# The apps whose records the measures count (the annual report's own texts are not counted).
COUNTED_APPS = ("people", "children", "plans", "conferences", "quality_assurance")


def history_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS and model._meta.model_name.startswith("historical")
    )


def records_changed_at() -> datetime | None:
    """The moment of the newest change to any counted record, or None if there is none."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT MAX(history_date) AS changed FROM {quote(table)}"  # noqa: S608 - our tables
        for table in history_tables()
    ]
    sql = f"SELECT MAX(changed) FROM ({' UNION ALL '.join(parts)}) changes"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (value,) = cursor.fetchone()
    if value is not None and not isinstance(value, datetime):
        value = parse_datetime(value)  # SQLite gives the text it stores
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)  # stored in UTC
    return value
