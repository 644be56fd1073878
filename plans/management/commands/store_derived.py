import time

from django.core.management.base import BaseCommand
from django.db import transaction

from iro_service.derived import store_derived


class Command(BaseCommand):
    help = (
        "Rewrite every derived row from the records: each plan's held reviews (their national "
        "due dates and lateness) and each child's initial conference due date. Saves keep "
        "them current; run this after changing records outside the service (SQL, a restore "
        "of some tables)."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        with transaction.atomic():
            written = store_derived()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Stored {written:,} derived rows in {seconds:.1f} s.")
        )
