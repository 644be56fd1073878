# The data step of 0014, apart: PostgreSQL cannot create the new foreign keys' indexes in
# the same transaction as rows written under their deferred constraint triggers.

from django.db import migrations


def store_existing(apps, schema_editor):
    """Give every conference its household's district, and rewrite the initial conference
    dues with theirs (nothing to do on a new database, so a later change to the models
    cannot break this step there)."""
    if not apps.get_model("conferences", "Conference").objects.exists():
        return
    from conferences.districts import store_conference_districts
    from conferences.timeliness import store_initial_conference_dues

    store_conference_districts()
    store_initial_conference_dues()


class Migration(migrations.Migration):

    dependencies = [
        ('conferences', '0014_conference_district'),
    ]

    operations = [
        migrations.RunPython(store_existing, migrations.RunPython.noop, elidable=True),
    ]
