"""manage.py bench_indicators: time every measure on a synthetic authority (make bench).

Builds the synthetic authority of devdata/bench/synthetic.py unless the database already
holds it (--rebuild to build it again), then times `compute_all` for one reporting year over
several runs after a warm-up, counts its SQL queries, and times each measure on its own so the
slow ones show. With --explain (or when the slowest measure takes longer than --explain-above
seconds) it prints PostgreSQL's EXPLAIN ANALYZE of the slowest single query of the measures
slower than that. --no-jit times with PostgreSQL's JIT compilation off, for comparison.
"""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from children.models import Child, Household, LookedAfterEpisode
from conferences.models import Conference, ConferenceChild, S47Enquiry, StrategyMeeting
from devdata.bench.records import SYNTHETIC_CODE_PREFIX
from devdata.bench.synthetic import Spec, build, existing_build
from people.models import District, User
from plans.models import CategoryChange, ChildProtectionPlan
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from reporting.metrics import (
    MEASURES,
    Period,
    benchmarks,
    compute_all,
    district_breakdown,
    reviews,
    staff,
)

COUNTED = {
    "plans": ChildProtectionPlan,
    "child-conference records": ConferenceChild,
    "conferences": Conference,
    "children": Child,
    "households": Household,
    "strategy meetings": StrategyMeeting,
    "section 47 enquiries": S47Enquiry,
    "category changes": CategoryChange,
    "looked-after episodes": LookedAfterEpisode,
    "QA forms": QAForm,
    "feedback questionnaires": FeedbackQuestionnaire,
    "escalations": Escalation,
    "staff": User,
}
PLAN_LINES = 60  # of an EXPLAIN ANALYZE


class Command(BaseCommand):
    help = (
        "Build a synthetic authority ten times Lancashire's size with ten years of history "
        "(unless it is there already) and time every measure for one reporting year."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2025, help="reporting year (2025)")
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10x Lancashire")
        parser.add_argument("--seed", type=int, default=2025, help="random seed (2025)")
        parser.add_argument("--years", type=int, default=10, help="years of history (10)")
        parser.add_argument("--runs", type=int, default=5, help="timed runs after a warm-up (5)")
        parser.add_argument("--rebuild", action="store_true", help="empty the database, build")
        parser.add_argument("--explain", action="store_true", help="always EXPLAIN the slowest")
        parser.add_argument("--explain-above", type=float, default=0.5, metavar="SECONDS")
        parser.add_argument(
            "--no-jit",
            action="store_true",
            help="turn PostgreSQL's JIT compilation off for the timed queries (SET jit = off)",
        )

    def handle(self, *args, **options):
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1")
        try:
            spec = Spec(
                year=options["year"],
                scale=options["scale"],
                seed=options["seed"],
                years=options["years"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        built_in = self._ensure_data(spec, rebuild=options["rebuild"])
        self._describe_data(spec, built_in)
        if options["no_jit"] and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            self.stdout.write("timing with PostgreSQL's JIT compilation off (SET jit = off)")
        period = Period.year(spec.year)
        self._time_compute_all(period, options["runs"])
        timings = self._time_measures(period, options["runs"])
        slowest = next(iter(timings.values())).best
        if options["explain"] or slowest > options["explain_above"]:
            self._explain(timings, above=options["explain_above"])

    # -- the data ---------------------------------------------------------------------------
    def _ensure_data(self, spec: Spec, *, rebuild: bool) -> float | None:
        """Build unless this very authority is there; returns the build time, or None."""
        existing = existing_build()
        if existing == spec.label and not rebuild:
            return None
        others = District.objects.exclude(code__startswith=SYNTHETIC_CODE_PREFIX)
        if others.exists() or (existing is None and Child.objects.exists()):
            raise CommandError(
                "The database already holds records that are not a synthetic authority. "
                "Benchmark on an empty database: `make bench` starts a throwaway one."
            )
        if existing is not None:
            if not rebuild:
                raise CommandError(
                    f"The database holds another synthetic authority ({existing}). "
                    "Use --rebuild to replace it."
                )
            self.stdout.write(f"emptying the database (it held the synthetic {existing})")
            call_command("flush", interactive=False, verbosity=0)
        self.stdout.write(f"building the synthetic authority ({spec.label}) ...")
        started = time.perf_counter()
        build(spec)
        if connection.vendor == "postgresql":
            # As autovacuum would in production: visibility maps (build() has analyzed).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
        return time.perf_counter() - started

    def _describe_data(self, spec: Spec, built_in: float | None) -> None:
        counts = {label: model.objects.count() for label, model in COUNTED.items()}
        headline = ", ".join(f"{counts[label]:,} {label}" for label in list(COUNTED)[:4])
        how = f"built in {built_in:.0f} s" if built_in is not None else "already built"
        self.stdout.write(f"synthetic authority ({spec.label}): {headline} ({how})")
        for label, count in counts.items():
            self.stdout.write(f"  {count:>9,}  {label}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                size = cursor.fetchone()[0]
                cursor.execute("SHOW jit")
                jit = cursor.fetchone()[0]
            self.stdout.write(f"  PostgreSQL {version}, database size {size}, jit {jit}")

    # -- timings ----------------------------------------------------------------------------
    def _time_compute_all(self, period: Period, runs: int) -> None:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(f"machine: {os.cpu_count()} CPUs, load average {load} before timing")
        shared = settings.REPORTING_CONNECTIONS
        # The warm-up run counts the queries, on one connection so that all are counted.
        with (
            override_settings(REPORTING_CONNECTIONS=1),
            CaptureQueriesContext(connection) as queries,
        ):
            compute_all(period=period)
        times = _timed(lambda: compute_all(period=period), runs)
        self.stdout.write(
            f"compute_all(year={period.reporting_year}): median {statistics.median(times):.2f} s, "
            f"best {min(times):.2f} s over {runs} runs (after 1 warm-up); "
            f"{len(queries)} SQL queries; on {shared} connection(s) (REPORTING_CONNECTIONS)"
        )
        if shared > 1:
            with override_settings(REPORTING_CONNECTIONS=1):
                alone = _timed(lambda: compute_all(period=period), runs)
            self.stdout.write(
                f"  the same on one connection: median {statistics.median(alone):.2f} s, "
                f"best {min(alone):.2f} s"
            )

    def _measures(self, period: Period) -> dict[str, Callable[[], object]]:
        """Every part of compute_all(period) for the whole authority, callable on its own."""
        on = period.end
        parts = {name: _bind(measure, period) for name, measure in MEASURES.items()}
        parts["caseloads"] = lambda: staff.caseloads(on=on)
        parts["reviews_due"] = lambda: reviews.reviews_due(on=on)
        parts["staffing"] = lambda: staff.staffing(on=on)
        parts["benchmarks"] = lambda: benchmarks(up_to_year=period.reporting_year)
        parts["district_breakdown"] = lambda: district_breakdown(period=period)
        return parts

    def _time_measures(self, period: Period, runs: int) -> dict[str, "Timing"]:
        """Best and median time and the queries of each part, slowest first; printed."""
        timings = {}
        for name, part in self._measures(period).items():
            with CaptureQueriesContext(connection) as queries:
                part()
            times = _timed(part, runs)
            timings[name] = Timing(min(times), statistics.median(times), queries.captured_queries)
        timings = dict(sorted(timings.items(), key=lambda item: -item[1].best))
        top = ", ".join(f"{name} {t.best:.2f} s" for name, t in list(timings.items())[:5])
        self.stdout.write(f"slowest measures: {top}")
        self.stdout.write(f"  {'measure':<32}{'best s':>8}{'median s':>10}{'queries':>9}")
        for name, t in timings.items():
            self.stdout.write(f"  {name:<32}{t.best:>8.3f}{t.median:>10.3f}{len(t.queries):>9}")
        total = sum(t.best for t in timings.values())
        self.stdout.write(f"  {'(sum of the parts)':<32}{total:>8.3f}")
        return timings

    # -- EXPLAIN ----------------------------------------------------------------------------
    def _explain(self, timings: dict[str, "Timing"], *, above: float) -> None:
        """EXPLAIN ANALYZE the slowest single query of the measures slower than `above`."""
        if connection.vendor != "postgresql":
            self.stdout.write("EXPLAIN ANALYZE is printed on PostgreSQL only")
            return
        slow = [(name, t) for name, t in timings.items() if t.best > above] or [
            next(iter(timings.items()))
        ]
        name, query = max(
            ((name, q) for name, t in slow for q in t.queries), key=lambda nq: float(nq[1]["time"])
        )
        count = len(timings[name].queries)
        self.stdout.write(
            f"\nEXPLAIN ANALYZE of the slowest query of the slow measures: one of {name}'s "
            f"{count} ({float(query['time']):.3f} s in the warm-up run):\n{query['sql']}\n"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            lines = [row[0] for row in cursor.fetchall()]
        shown = (
            lines if len(lines) <= PLAN_LINES else [*lines[: PLAN_LINES - 3], "  ...", *lines[-2:]]
        )
        self.stdout.write("\n".join(shown))


@dataclass
class Timing:
    best: float
    median: float
    queries: list[dict]


def _bind(measure, period: Period) -> Callable[[], object]:
    return lambda: measure(period=period, district=None)


def _timed(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times
