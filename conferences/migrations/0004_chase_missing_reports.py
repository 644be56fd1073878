"""The daily chase of missing reports, as a django-celery-beat periodic task.

Stored in the database (CELERY_BEAT_SCHEDULER is django_celery_beat's DatabaseScheduler), so it
can be seen, paused or retimed in the admin. 07:30 London time: before the working day, so an
author finds the chaser when they start; reports_chase sends each chaser once per due date
however often it runs.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "chase missing conference reports"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "conferences.chase_missing_reports",
            "crontab": crontab,
            "enabled": True,
            "description": "Email the author, and their manager, of each report not in by its "
            "conference's reports-due date; once per report and due date.",
        },
    )
    # Historical models send no signals: tell a running beat that its schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0003_booking"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
