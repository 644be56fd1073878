"""manage.py bench_holding: time the chair's pages for holding a conference, and count the
queries of holding one for a household of six, on the synthetic authority that
bench_indicators built (make bench).

A household of six children on plans, with a review booked for the bench day, is added in a
transaction that is rolled back at the end, so the authority is left as it was. Each page is
fetched through Django's test client, signed in as the chair, --runs times after a warm-up;
the median and 95th percentile are printed with the number of SQL queries. The command fails
if a page takes longer than 200 ms at the 95th percentile.
"""

import time
from datetime import datetime, timedelta
from datetime import time as dt_time

import time_machine
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferences.models import Conference
from conferences.services import holding
from devdata.bench.holding import decisions_for, household_to_hold
from devdata.bench.timing import TARGET_MS, page_settings, time_page
from people.models import District, Role, User


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the chair's holding pages and count the queries of holding a household of six."

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
        chair = User.objects.filter(role=Role.IRO, is_active=True).order_by("pk").first()
        if chair is None:
            raise CommandError("The synthetic authority has no IRO.")
        today = last + timedelta(days=1)
        moment = timezone.make_aware(datetime.combine(today, dt_time(12, 0)))
        self.failed = False
        with time_machine.travel(moment, tick=True), page_settings():
            try:
                with transaction.atomic():
                    self._run(chair, District.objects.order_by("pk").first(), today, runs)
                    raise Rollback
            except Rollback:
                pass
        if self.failed:
            raise CommandError(f"A page took longer than {TARGET_MS} ms at the 95th percentile.")

    def _run(self, chair, district, today, runs):
        to_hold = household_to_hold(chair=chair, district=district, children=6, on=today, tag="six")
        conference = to_hold.conference
        self.stdout.write(
            f"As at {today}: a review of 6 children chaired by {chair.display_name}, "
            f"{Conference.objects.count()} conferences in the authority"
        )
        client = Client()
        client.force_login(chair)
        base = f"/conferences/{conference.pk}"
        first = to_hold.children[0]
        pages = [
            ("Record the conference (task list)", f"{base}/hold/"),
            ("Attendance register", f"{base}/hold/register/"),
            ("One child's page", f"{base}/hold/child/{first.pk}/"),
        ]
        for label, url in pages:
            self._time(label, client, url, runs)
        # Each child answered as the chair would, then check your answers.
        for decision, kid in zip(decisions_for(to_hold), to_hold.children, strict=True):
            client.post(f"{base}/hold/child/{kid.pk}/", _posted(decision))
        self._time("Check your answers (6 children)", client, f"{base}/hold/check/", runs)
        self._time("The chair's work list", client, "/conferences/my-work/", runs)
        conference.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            holding.conference_hold(
                conference=conference,
                version=conference.version,
                decisions=decisions_for(to_hold),
                by=chair,
            )
            took = (time.perf_counter() - started) * 1000
        self.stdout.write(
            f"{'Record as held, household of 6':<48} once   {took:6.1f} ms   {len(queries):3d} queries"
        )
        self._time("The conference's page, held", client, f"{base}/", runs)

    def _time(self, label, client, url, runs) -> None:
        self.failed |= time_page(self.stdout, label, client, url, runs)


def _posted(decision: holding.ChildDecision) -> dict:
    """The child's page as the chair fills it in, from a decision."""
    data = {
        "participation": decision.participation,
        "outcome": decision.outcome,
        "category": decision.category,
        "cease_reason": decision.cease_reason,
    }
    for target_id, progress in decision.target_reviews.items():
        data[f"target_{target_id}"] = progress
    for number, target in enumerate(decision.targets, start=1):
        data |= {
            f"new_{number}_description": target.description,
            f"new_{number}_due_by_day": str(target.due_by.day),
            f"new_{number}_due_by_month": str(target.due_by.month),
            f"new_{number}_due_by_year": str(target.due_by.year),
            f"new_{number}_who": target.who,
        }
    return data
