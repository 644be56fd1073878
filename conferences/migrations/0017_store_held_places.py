# The data step of 0016, apart, as 0015 is of 0014.

from django.db import migrations


def store_existing(apps, schema_editor):
    """Store every child's places at held conferences (nothing to do on a new database, so a
    later change to the models cannot break this step there)."""
    if not apps.get_model("conferences", "ConferenceChild").objects.exists():
        return
    from conferences.held import store_held_places

    store_held_places()


class Migration(migrations.Migration):

    dependencies = [
        ("conferences", "0016_held_places"),
    ]

    operations = [
        migrations.RunPython(store_existing, migrations.RunPython.noop, elidable=True),
    ]
