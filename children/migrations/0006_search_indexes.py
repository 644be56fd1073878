"""Indexes for finding a child (children.selectors.child_search) on PostgreSQL.

The search matches each word against the names (`icontains`: UPPER(name) LIKE '%WORD%'), the
child ID and UPN (`iexact`: UPPER(x) = UPPER(word)) and the NHS number (exact). A LIKE with a
leading wildcard can only use a trigram index (pg_trgm, GIN), and an OR of conditions uses
indexes only when every branch has one; so each branch gets an index on the very expression
Django writes. Without them each search reads every child (1.3 million at England's scale).

SQLite (make run) has neither pg_trgm nor GIN indexes: there, this migration does nothing.
pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it.
"""

from django.db import migrations

INDEXES = {
    "child_first_name_trgm": "USING gin ((UPPER(first_name::text)) gin_trgm_ops)",
    "child_last_name_trgm": "USING gin ((UPPER(last_name::text)) gin_trgm_ops)",
    "child_local_id_upper": "((UPPER(local_id::text)))",
    "child_upn_upper": "((UPPER(upn::text)))",
    "child_nhs_number": "(nhs_number)",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, how in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON children_child {how}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("children", "0005_names_without_bidi_controls")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
