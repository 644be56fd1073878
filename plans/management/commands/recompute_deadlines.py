from django.core.management.base import BaseCommand

from plans.services import plans_recompute_review_deadlines


class Command(BaseCommand):
    help = (
        "Store every open plan's next review date again from the IRO_* timescale settings. "
        "Run it after changing a timescale setting (for example IRO_LATER_REVIEW_MONTHS)."
    )

    def handle(self, *args, **options):
        changed = plans_recompute_review_deadlines()
        self.stdout.write(f"{changed} open plan(s) had their next review date changed.")
