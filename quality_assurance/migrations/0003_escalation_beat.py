"""The daily move up of unanswered escalations, as a django-celery-beat periodic task.

Stored in the database (CELERY_BEAT_SCHEDULER is django_celery_beat's DatabaseScheduler), so it
can be seen, paused or retimed in the admin. 07:00 London time: before the working day, so the
next person finds the email when they start; escalations_move_up_overdue moves each escalation
and tells people once per level however often it runs.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "move up unanswered escalations"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "quality_assurance.escalations_move_up_overdue",
            "crontab": crontab,
            "enabled": True,
            "description": "Move each open escalation with no response by its deadline up one "
            "level and email the next person and the chair; once per escalation and level.",
        },
    )
    # Historical models send no signals: tell a running beat that its schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quality_assurance", "0002_qa_in_the_browser"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
