"""Print what is due as at a date: the same list the booking desk shows (conferences.selectors)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conferences.selectors import due_list
from people.models import District


class Command(BaseCommand):
    help = (
        "List, as at a date, each child on an open child protection plan with the date their "
        "next review is due by, and each child awaiting an initial conference with its target."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the date, YYYY-MM-DD (default: today)")
        parser.add_argument("--district", help="district name (default: the whole authority)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        on = self._date(options["on"]) if options["on"] else timezone.localdate()
        district = self._district(options["district"])
        result = due_list(on=on, district_id=district.pk if district else None)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        where = district.name if district else "the whole authority"
        self.stdout.write(f"Due as at {on:%d %B %Y}, {where}")
        self.stdout.write(f"Reviews ({len(result['reviews'])}):")
        for row in result["reviews"]:
            self.stdout.write(f"  {row['child']}  due by {row['due_by']}")
        self.stdout.write(f"Initial conferences ({len(result['initial_conferences'])}):")
        for row in result["initial_conferences"]:
            self.stdout.write(f"  {row['child']}  target {row['target']}")

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(
                f"--on {value!r} is not a date: use YYYY-MM-DD, like 2027-03-31"
            ) from exc

    @staticmethod
    def _district(name: str | None) -> District | None:
        if not name:
            return None
        try:
            return District.objects.get(name__iexact=name.strip())
        except District.DoesNotExist as exc:
            known = ", ".join(District.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No district called {name!r}. Districts: {known}") from exc
