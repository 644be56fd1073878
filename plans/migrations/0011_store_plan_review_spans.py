# The data step of 0010, apart, as 0007 is for 0006: every stored review is rewritten from the
# records, with its plan's span.

from django.db import migrations


def store_existing(apps, schema_editor):
    """Rewrite every stored review (nothing to do on a new database, so a later change to the
    models cannot break this step there)."""
    if not apps.get_model("plans", "PlanReview").objects.exists():
        return
    from plans.reviews import store_plan_reviews

    store_plan_reviews()


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0010_plan_review_plan_span"),
    ]

    operations = [
        migrations.RunPython(store_existing, migrations.RunPython.noop, elidable=True),
    ]
