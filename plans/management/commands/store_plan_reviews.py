import time

from django.core.management.base import BaseCommand
from django.db import transaction

from plans.reviews import store_plan_reviews


class Command(BaseCommand):
    help = (
        "Rewrite every plan's stored reviews (their national due dates and lateness) from the "
        "conferences and plans. The services keep them current; run this after changing "
        "records outside them (SQL, a restore of some tables)."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        with transaction.atomic():
            written = store_plan_reviews()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Stored {written:,} reviews of plans in {seconds:.1f} s.")
        )
