"""Hand the tasks waiting in the outbox to the broker (jobs/outbox.py)."""

from django.core.management.base import BaseCommand, CommandError

from jobs import outbox


class Command(BaseCommand):
    help = (
        "Send the background tasks queued while the broker (Redis) could not be reached. "
        "Safe to run at any time, and beside the beat task: each task is sent once."
    )

    def handle(self, *args, **options):
        sent = outbox.send_pending()
        waiting = outbox.waiting_count()
        self.stdout.write(f"Sent {sent} queued task(s); {waiting} still waiting.")
        if waiting:
            raise CommandError(
                f"{waiting} task(s) could not be sent: is the broker (CELERY_BROKER_URL) up? "
                "They are kept and sent on the next run."
            )
