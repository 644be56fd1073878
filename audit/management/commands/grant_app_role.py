"""Give the role the service runs as what it needs on PostgreSQL, and no more.

The tables belong to the role that ran the migrations (the owner). The web, the worker and beat
connect as another role: it may read and write the records, but it owns nothing, so it cannot
drop or disable the audit record's append-only triggers, and on the audit table it may only
read and add (no UPDATE, DELETE or TRUNCATE). Run this as the owner after each `migrate`:

    DATABASE_URL=postgres://iro_owner:...@host/iro manage.py migrate
    DATABASE_URL=postgres://iro_owner:...@host/iro manage.py grant_app_role iro_app

Tables added by later migrations are granted too (ALTER DEFAULT PRIVILEGES), but running it
after every upgrade costs nothing and keeps the audit table's limits whatever came before.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from audit.models import AccessEvent

RECORDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def statements(role: str, audit_table: str) -> list[sql.Composed]:
    who = sql.Identifier(role)
    audit = sql.Identifier(audit_table)
    tables = sql.SQL(", ").join(sql.SQL(p) for p in RECORDS)
    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(connection.settings_dict["NAME"]), who
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(tables, who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {} ON TABLES TO {}").format(
            tables, who
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(who),
        # the audit record: read and add only
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(audit, who),
    ]


class Command(BaseCommand):
    help = (
        "Grant the role the service connects as the use of the records, and on the audit "
        "table only reading and adding. Run as the tables' owner, after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The PostgreSQL role the web, worker and beat use.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "This is for PostgreSQL: the embedded SQLite database of `make run` has no roles."
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            cursor.execute("SELECT current_user")
            me = cursor.fetchone()[0]
        if found is None:
            raise CommandError(
                f"There is no role named {role!r}. Create it first, as a database administrator: "
                f"CREATE ROLE {role} LOGIN PASSWORD '...';"
            )
        if found[0]:
            raise CommandError(
                f"{role!r} is a superuser, which no grant can limit: the service must connect "
                "as an ordinary role."
            )
        if role == me:
            raise CommandError(
                f"{role!r} is the role running this command, which owns the tables. The service "
                "must connect as another role: create one and name it here."
            )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements(role, AccessEvent._meta.db_table):
                    cursor.execute(statement.as_string(connection.connection))
        except DatabaseError as error:
            raise CommandError(
                f"The grants were refused ({error.__class__.__name__}: {str(error).strip()}). "
                "Run this as the role that owns the tables (the one that ran migrate). "
                "Nothing was changed."
            ) from error
        self.stdout.write(
            f"{role} may now read and write the records, and only read and add to the audit "
            f"record; it owns no table, so it cannot drop the audit record's triggers."
        )
