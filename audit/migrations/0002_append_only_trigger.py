"""On PostgreSQL the database itself refuses to change or remove audit events: a statement
trigger raises on every UPDATE, DELETE and TRUNCATE of the table, whatever code or console
sends it. (SQLite, for `make run` and quick test runs, has only Django's refusal.)

One exception, for the test suite only: Django empties every table with TRUNCATE between
transactional tests, so a TRUNCATE passes where the database is a test database (its name
starts "test_", as Django names them) and the session has set `audit.allow_truncate` to on
(tests/conftest.py does, on each test connection). A live database is never named so."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_accessevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_database() LIKE 'test\_%'
       AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_refuse_change();
CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_refuse_change();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: the % are plpgsql's

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_access_event")]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False)
    ]
