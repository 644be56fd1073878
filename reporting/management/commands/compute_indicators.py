"""Print every measure for a reporting year or a date range, as JSON or as a short summary."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from people.models import District
from reporting.metrics import Period, compute_all


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = (
        "Compute every measure of the annual report for a reporting year (1 April to 31 March, "
        "named by its end: --year 2012 is 2011/12) or a date range, for the authority or one "
        "district."
    )

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--year", type=int, help="reporting year, named by the year it ends")
        when.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (with --to)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (with --from)")
        parser.add_argument("--district", help="district name (default: the whole authority)")
        parser.add_argument("--json", action="store_true", help="print every measure as JSON")

    def handle(self, *args, **options):
        period = self._period(options)
        district = self._district(options["district"])
        result = compute_all(period=period, district=district)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=str))
            return
        self.stdout.write(
            f"Period {period.start} to {period.end}, {result['district'] or 'whole authority'}"
        )
        for key in (
            "plans_started",
            "plans_ended",
            "ni64",
            "ni65",
            "ni67",
            "initial_conference_timeliness",
        ):
            self.stdout.write(f"  {key}: {result[key]}")
        self.stdout.write(f"  plans_open_at_end: {result['plans_open_at_end']}")

    def _period(self, options) -> Period:
        if options["year"] is not None:
            if not 1990 <= options["year"] <= 2100:
                raise CommandError("--year must be a year between 1990 and 2100, such as 2012")
            return Period.year(options["year"])
        if not options["end"]:
            raise CommandError("--from needs --to")
        try:
            return Period(_date(options["start"]), _date(options["end"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _district(self, name: str | None) -> District | None:
        if name is None:
            return None
        try:
            return District.objects.get(name__iexact=name.strip())
        except District.DoesNotExist as exc:
            known = ", ".join(District.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No district called {name!r}. Known districts: {known}") from exc
