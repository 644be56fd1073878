"""The hourly warning that the social worker's report will not reach the family in time, as
a django-celery-beat periodic task (like 0004's chase of missing reports). share_warnings_send
warns once per conference and deadline however often it runs."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "warn of reports not shared in time"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="5",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "conferences.warn_of_late_sharing",
            "crontab": crontab,
            "enabled": True,
            "description": "Email business support and the chair when the social worker's "
            "report is not with the family and its sharing deadline (24 hours before an "
            "initial conference, 48 before a review) is near or past; once per deadline.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0011_document_portal"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
