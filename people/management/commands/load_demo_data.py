"""manage.py load_demo_data: fill the database with the invented demo authority."""

import argparse
import os
import time
from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from iro_service.demo import DEFAULT_SEED, DemoResult, load_demo_data

APP_URL = "http://127.0.0.1:8000"


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-03-31") from exc


class Command(BaseCommand):
    help = (
        "Load a small, invented authority (districts, staff, children, three years of "
        "conferences and plans) and print the demo sign-ins. Safe to run again: it then only "
        "resets the demo passwords (DEMO_PASSWORD, or fresh random ones)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed; the same seed gives the same data ({DEFAULT_SEED})",
        )
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="date the history runs up to, YYYY-MM-DD (default: today)",
        )

    def handle(self, *args, seed: int, today: date | None, **options) -> None:
        started = time.monotonic()
        result = load_demo_data(
            seed=seed,
            today=today or timezone.localdate(),
            password=os.environ.get("DEMO_PASSWORD") or None,
        )
        seconds = time.monotonic() - started
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data created in {seconds:.1f} s (seed {seed}).")
            )
            for name, count in result.counts.items():
                self.stdout.write(f"  {count:6d}  {name}")
        else:
            self.stdout.write("Demo data was already there: only the demo passwords were reset.")
        self._write_sign_ins(result)

    def _write_sign_ins(self, result: DemoResult) -> None:
        rows = [("Role", "Username", "Password")]
        rows += [(c.role, c.username, c.password) for c in result.credentials]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        for username in result.missing_usernames:
            self.stdout.write(self.style.WARNING(f"No active demo account {username!r} was found."))
        self.stdout.write(f"\nThe app is at {APP_URL} (sign in with an account above).")
