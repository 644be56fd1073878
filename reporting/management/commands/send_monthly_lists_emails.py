"""Send this month's monthly lists emails now (the beat task's service, without waiting for
the first working day). Those who had theirs are not emailed again."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting.monthly_emails import monthly_lists_emails_send


class Command(BaseCommand):
    help = (
        "Email each active district manager, IRO and Senior IRO how long their monthly lists "
        "were at the last month end, once per month end."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        result = monthly_lists_emails_send(today=timezone.localdate(now), now=now)
        self.stdout.write(
            f"Monthly lists at {result.month_end:%-d %B %Y}: {result.sent} sent, "
            f"{result.already_sent} already sent, {result.no_email_address} with no email "
            f"address, {result.failed} failed (tried again on the next run)."
        )
