"""The nightly refresh now stores every year with data (past years' figures change when an old
record is corrected or imported), and a second periodic task, every five minutes, refreshes the
current and previous years where records changed since their figures were stored. Both in
django-celery-beat's database schedule, so a manager can see, pause or retime them in the admin.
"""

from django.db import migrations
from django.utils import timezone

NIGHTLY = "nightly indicator refresh"
ON_CHANGE = "refresh figures when records change"


def _tell_beat(apps):
    # Historical models send no signals: tell a running beat that its schedule changed.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forward(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask.objects.filter(name=NIGHTLY).update(
        task="reporting.refresh_every_year",
        description="Compute and store every measure for every reporting year with data, for "
        "the authority and for each district.",
    )
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=ON_CHANGE,
        defaults={
            "task": "reporting.refresh_changed",
            "interval": every_five,
            "enabled": True,
            "description": "Where records changed since the current or previous year's figures "
            "were stored, compute and store them again (once, however many changed).",
        },
    )
    _tell_beat(apps)


def backward(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ON_CHANGE).delete()
    PeriodicTask.objects.filter(name=NIGHTLY).update(task="reporting.refresh_current_year")
    _tell_beat(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_snapshot_reason_and_charts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forward, backward)]
