"""manage.py load_demo_data: fill the database with the invented demo authority."""

import argparse
import os
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devdata.demo.load import DEFAULT_SEED, DemoResult, checkout_password, load_demo_data

DEFAULT_ADDRESS = "127.0.0.1:8000"
PASSWORD_FILE = settings.BASE_DIR / ".demo-password"


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-03-31") from exc


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from exc
    if not 0 < scale <= 5:
        raise argparse.ArgumentTypeError("the scale must be more than 0 and at most 5")
    return scale


def app_url(address: str) -> str:
    """The address runserver is given (`HOST:PORT`, or a bare port), as a URL."""
    return f"http://{address if ':' in address else f'127.0.0.1:{address}'}"


class Command(BaseCommand):
    help = (
        "Load an invented, mid-sized authority (districts, staff, children, three years of "
        "conferences and plans) and print the demo sign-ins. Safe to run again: it then only "
        "resets the demo passwords. The password is DEMO_PASSWORD if set, else the one kept "
        "in .demo-password (made on first use). Runs only with DEBUG on, unless "
        "--allow-production is given."
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
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="size of the authority, 1 for the full demo (about 600 children on plans)",
        )
        parser.add_argument(
            "--address",
            default=DEFAULT_ADDRESS,
            help=f"HOST:PORT the app is served on, for the message at the end ({DEFAULT_ADDRESS})",
        )
        parser.add_argument(
            "--password-file",
            type=Path,
            default=PASSWORD_FILE,
            help="where this checkout's demo password is kept (.demo-password)",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load the demo even with DEBUG off (its sign-ins are printed in clear)",
        )

    def handle(self, *args, seed, today, scale, address, password_file, **options) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this may be a real service. The demo adds invented children and "
                "sign-ins whose password is printed. Run with DEBUG=true, or pass "
                "--allow-production if you mean it."
            )
        from_env = os.environ.get("DEMO_PASSWORD")
        password = from_env or checkout_password(password_file)
        started = time.monotonic()
        result = load_demo_data(
            seed=seed, today=today or timezone.localdate(), password=password, scale=scale
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
        source = "DEMO_PASSWORD" if from_env else f"{password_file} (delete it for a new one)"
        self.stdout.write(f"\nThe demo password comes from {source}.")
        self.stdout.write(f"The app is at {app_url(address)} (sign in with an account above).")

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
