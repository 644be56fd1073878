"""manage.py bench_booking_desk: time business support's list to book and an IRO's landing page
on the synthetic authority that bench_indicators built (make bench).

Each page is fetched through Django's test client, signed in, as at the day after the last
conference the synthetic authority held, --runs times after a warm-up; it prints the median
and 95th percentile and the number of SQL queries. The query count is printed for the whole
authority and for one district, and for the first and a later page: it must not grow with the
data.
"""

from datetime import datetime, timedelta
from datetime import time as dt_time

import time_machine
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max
from django.test import Client
from django.utils import timezone

from conferences.models import Conference
from devdata.bench.timing import TARGET_MS, page_settings, time_page
from people.models import District, Role, User


class Command(BaseCommand):
    help = "Time the list to book and an IRO's landing page on the synthetic authority."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=40)

    def handle(self, *args, runs: int, **options):
        if runs < 2:
            raise CommandError("--runs must be at least 2")
        last = Conference.objects.filter(status=Conference.Status.HELD).aggregate(d=Max("date"))[
            "d"
        ]
        if last is None:
            raise CommandError("No synthetic authority here: run bench_indicators first.")
        booker = User.objects.filter(role=Role.BUSINESS_SUPPORT, is_active=True).first()
        if booker is None:  # the synthetic authority has staff for the measures only
            booker = User.objects.create(username="bench-booker", role=Role.BUSINESS_SUPPORT)
        iro = (
            User.objects.filter(role=Role.IRO, chaired_conferences__status=Conference.Status.BOOKED)
            .annotate(n=Count("chaired_conferences"))
            .order_by("-n")
            .first()
        )
        if iro is None:
            raise CommandError("The synthetic authority has no IRO with a booked conference.")
        district = District.objects.order_by("pk").first()
        today = last + timedelta(days=1)
        booked = Conference.objects.filter(status=Conference.Status.BOOKED).count()
        self.stdout.write(f"As at {today}: {booked} conferences booked")
        pages = [
            ("To book, whole authority, page 1", booker, "/conferences/to-book/"),
            ("To book, whole authority, page 3", booker, "/conferences/to-book/?page=3"),
            (f"To book, {district.name}", booker, f"/conferences/to-book/?district={district.pk}"),
            ("To book, reviews only", booker, "/conferences/to-book/?kind=review"),
            (f"IRO's next 4 weeks ({iro.display_name})", iro, "/conferences/my-work/"),
        ]
        failed = False
        moment = timezone.make_aware(datetime.combine(today, dt_time(9, 0)))
        with time_machine.travel(moment, tick=True), page_settings():
            for label, user, url in pages:
                client = Client()
                client.force_login(user)
                failed |= time_page(self.stdout, label, client, url, runs)
        if failed:
            raise CommandError(f"A page took longer than {TARGET_MS} ms at the 95th percentile.")
