# The data step of 0014, apart: PostgreSQL cannot create the new foreign keys' indexes in
# the same transaction as rows written under their deferred constraint triggers.

from django.db import migrations, models


def store_existing(apps, schema_editor):
    """Give every conference its household's district, and rewrite the initial conference
    dues with theirs (nothing to do on a new database)."""
    Conference = apps.get_model("conferences", "Conference")
    if not Conference.objects.exists():
        return
    Household = apps.get_model("children", "Household")
    households = Household.objects.filter(pk=models.OuterRef("household_id")).values("district_id")
    Conference.objects.update(district=models.Subquery(households))
    from conferences.timeliness import store_initial_conference_dues

    store_initial_conference_dues()


class Migration(migrations.Migration):

    dependencies = [
        ('conferences', '0014_conference_district'),
    ]

    operations = [
        migrations.RunPython(store_existing, migrations.RunPython.noop, elidable=True),
    ]
