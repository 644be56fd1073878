"""The service's own database role cannot undo the audit record (issue 12, "enforced in the
database"): after `manage.py grant_app_role`, a role that owns no table reads and writes the
records, may only read and add to the audit table, and cannot drop or disable its triggers.
`make test`'s PostgreSQL has such a role, `iro_app` (scripts/services.sh)."""

import io

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from audit.models import AccessEvent
from people.models import Role

APP_ROLE = "iro_app"

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _connect_as(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        dbname=settings["NAME"],
        user=role,
        password=role,
        autocommit=True,
    )


def _refused(app, statement: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        app.execute(statement)
    return str(refused.value)


def test_the_service_role_keeps_the_records_but_cannot_undo_the_audit(clients, world):
    clients[Role.IRO].get(reverse("children:detail", args=[world.child.pk]))
    out = io.StringIO()
    call_command("grant_app_role", APP_ROLE, stdout=out)
    assert "cannot drop the audit record's triggers" in out.getvalue()
    events = AccessEvent.objects.count()
    assert events >= 1

    with _connect_as(APP_ROLE) as app:
        # the records: read and write, as the service does
        (first_name,) = app.execute(
            "SELECT first_name FROM children_child WHERE id = %s", [world.child.pk]
        ).fetchone()
        assert first_name == "Robin"
        app.execute(
            "UPDATE children_child SET first_name = 'Robyn' WHERE id = %s", [world.child.pk]
        )
        app.execute(
            "INSERT INTO audit_accessevent (kind, what, detail, username, request_id) "
            "VALUES ('viewed', 'children:detail', '{}', '', '')"
        )
        # the audit: no changing, removing or emptying, and no way round the triggers
        assert "permission denied" in _refused(app, "UPDATE audit_accessevent SET what = 'x'")
        assert "permission denied" in _refused(app, "DELETE FROM audit_accessevent")
        assert "permission denied" in _refused(app, "TRUNCATE audit_accessevent")
        for statement in (
            "DROP TRIGGER audit_accessevent_append_only ON audit_accessevent",
            "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL",
            "DROP TABLE audit_accessevent",
            "DROP FUNCTION audit_accessevent_refuse_change()",
        ):
            assert "must be owner" in _refused(app, statement)

    world.child.refresh_from_db()
    assert world.child.first_name == "Robyn"
    assert AccessEvent.objects.count() == events + 1


def test_bad_roles_are_refused_with_a_reason_and_nothing_granted():
    with pytest.raises(CommandError, match="There is no role named 'nobody_here'"):
        call_command("grant_app_role", "nobody_here")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="owns the tables"):
        call_command("grant_app_role", owner)
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", "postgres")
