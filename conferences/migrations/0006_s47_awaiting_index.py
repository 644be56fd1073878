from django.conf import settings
from django.db import migrations, models

# PostgreSQL assumes an enquiry's outcome and whether it has an initial conference are
# independent, and so expects tens of thousands of enquiries awaiting a conference where
# there are hundreds (every "conference" outcome has one). With that estimate it scans every
# child to find their households. Statistics on the two columns together give it the truth.
STATISTICS = "conferences_s47_outcome_and_conference"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) "
            "ON outcome, initial_conference_id FROM conferences_s47enquiry"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0004_family_members"),
        ("conferences", "0005_date_proposals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="s47enquiry",
            index=models.Index(
                condition=models.Q(
                    ("initial_conference__isnull", True), ("outcome__in", ["ongoing", "conference"])
                ),
                fields=["started_on"],
                name="s47_awaiting_conference",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
