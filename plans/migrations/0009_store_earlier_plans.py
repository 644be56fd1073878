# The data step of 0008, apart, as 0007 is for 0006.

from django.db import migrations


def store_existing(apps, schema_editor):
    """Mark every plan that follows an earlier plan of its child (nothing to do on a new
    database, so a later change to the models cannot break this step there)."""
    if not apps.get_model("plans", "ChildProtectionPlan").objects.exists():
        return
    from plans.earlier import store_earlier_plans
    from reporting.metrics.sql import joins_without_nested_loops

    with joins_without_nested_loops():
        store_earlier_plans()


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0008_plan_follows_earlier"),
    ]

    operations = [
        migrations.RunPython(store_existing, migrations.RunPython.noop, elidable=True),
    ]
