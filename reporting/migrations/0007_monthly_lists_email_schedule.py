"""The monthly lists emails (§6.3.4), as a django-celery-beat periodic task.

07:00 London time on each of the first seven days of the month: the task sends from the first
working day on, and once per person and month end however often it runs, so the later days
only make up a run missed while the broker or the mail server was down. In the database
schedule (CELERY_BEAT_SCHEDULER), so it can be seen, paused or retimed in the admin.
"""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "monthly lists emails"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="1-7",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "reporting.send_monthly_lists_emails",
            "crontab": crontab,
            "enabled": True,
            "description": "From the first working day of the month, email each district "
            "manager, IRO and Senior IRO how long their monthly lists were at the last month "
            "end, with a link to them (counts only, no child named); once per person and month.",
        },
    )
    # Historical models send no signals: tell a running beat that its schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_monthly_lists_email"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
