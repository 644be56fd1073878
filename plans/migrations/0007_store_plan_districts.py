# The data step of 0006, apart: PostgreSQL cannot create the new foreign key's index in the
# same transaction as rows written under its deferred constraint trigger.

from django.db import migrations


def store_existing(apps, schema_editor):
    """Give every plan its child's district (nothing to do on a new database, so a later
    change to the models cannot break this step there)."""
    if not apps.get_model("plans", "ChildProtectionPlan").objects.exists():
        return
    from plans.districts import store_plan_districts

    store_plan_districts()


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0006_plan_district"),
    ]

    operations = [
        migrations.RunPython(store_existing, migrations.RunPython.noop, elidable=True),
    ]
