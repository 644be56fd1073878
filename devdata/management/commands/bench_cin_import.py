"""Time importing a generated census file: children per second and peak memory (make bench).

Generates an invented census of --children children (100,000 by default) with a seeded
generator, writing it as it goes, then imports it into the database DATABASE_URL names, in one
transaction that is rolled back afterwards unless --keep is given (on PostgreSQL the deferred
foreign key checks are run first, so the time includes what a commit costs). Target: at least 2,000
children a second on PostgreSQL, under 500 MB.
"""

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from census.importer import BATCH_SIZE, import_census
from devdata.census_files import write_census


class _RollBack(Exception):
    pass


def _peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Import a generated CIN census file and print children per second and peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--year", type=int, default=2024)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--file", help="write the generated census here (kept)")
        parser.add_argument("--keep", action="store_true", help="commit the imported records")
        parser.add_argument(
            "--tracemalloc",
            action="store_true",
            help="also report Python's own peak allocation (slows the import down)",
        )

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(options["file"] or Path(folder) / "census.xml")
            started = time.perf_counter()
            write_census(
                path, children=options["children"], year=options["year"], seed=options["seed"]
            )
            generated = time.perf_counter() - started
            size = path.stat().st_size / 1024 / 1024
            self.stdout.write(
                f"Generated {options['children']:,} children ({size:.1f} MB) in {generated:.1f} s"
            )
            self._import(path, options)

    def _import(self, path: Path, options) -> None:
        if options["tracemalloc"]:
            tracemalloc.start()
        rss_before = _peak_rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic():
                summary = import_census([path], batch_size=options["batch_size"])
                if connection.vendor == "postgresql":
                    # The foreign key checks a commit would run (they are deferred), so that
                    # the figure includes them even when the import is rolled back.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu
                if not options["keep"]:
                    raise _RollBack
        except _RollBack:
            pass
        children = summary.children.created + summary.children.updated + summary.children.unchanged
        rate = children / elapsed if elapsed else 0.0
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Imported {children:,} children in {elapsed:.1f} s on {connection.vendor}: "
            f"{rate:,.0f} children/s (target 2,000 on PostgreSQL); this process's CPU "
            f"{cpu:.1f} s, the rest is the database"
        )
        self.stdout.write(
            f"Peak memory (resident): {_peak_rss_mb():.0f} MB "
            f"(before the import {rss_before:.0f} MB; target under 500 MB)"
        )
        if options["tracemalloc"]:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.stdout.write(f"Peak Python allocation (tracemalloc): {peak / 1024 / 1024:.1f} MB")
