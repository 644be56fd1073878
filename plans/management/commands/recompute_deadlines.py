from django.core.management.base import BaseCommand
from django.utils import timezone

from conferences.services.deadlines import conferences_recompute_deadlines
from plans.services import plans_recompute_contact_deadlines, plans_recompute_review_deadlines


class Command(BaseCommand):
    help = (
        "Store every open plan's next review, core group and visit dates, and every "
        "conference's due dates, again from the IRO_* timescale settings. Run it after "
        "changing a timescale setting (for example IRO_LATER_REVIEW_MONTHS or "
        "IRO_CP_VISIT_WORKING_DAYS)."
    )

    def handle(self, *args, **options):
        changed = plans_recompute_review_deadlines()
        self.stdout.write(f"{changed} open plan(s) had their next review date changed.")
        changed = plans_recompute_contact_deadlines()
        self.stdout.write(f"{changed} plan(s) had their core group or visit dates changed.")
        changed = conferences_recompute_deadlines(now=timezone.now())
        self.stdout.write(f"{changed} conference(s) or transfer(s) in had due dates changed.")
