"""The nightly refresh of the current year's figures, as a django-celery-beat periodic task.

Stored in the database (CELERY_BEAT_SCHEDULER is django_celery_beat's DatabaseScheduler), so a
manager can see, pause or retime it in the admin without a deployment. 02:30 London time:
after the working day's records are in, and clear of the 01:00-02:00 hour that the change to
summer time skips.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "nightly indicator refresh"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "reporting.refresh_current_year",
            "crontab": crontab,
            "enabled": True,
            "description": "Compute and store every measure for the current reporting year, "
            "for the authority and for each district.",
        },
    )
    # Historical models send no signals: tell a running beat that its schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_indicator_snapshot"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
