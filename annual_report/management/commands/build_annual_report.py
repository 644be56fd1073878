"""Build the annual report's PDF from the command line: the same PDF the browser's "Make a
PDF" makes, for scheduled runs, for checking and for the benchmark (`make bench`).

    manage.py build_annual_report --year 2012 --output report.pdf

Creates a draft report with the default narrative if the year has none. Prints the page count
and the seconds taken, in all and by step (figures, document, PDF); loading WeasyPrint and the
template engine is start-up, as for a Celery worker, and is timed apart. Nothing is stored in
the database but that new draft. For an approved report it makes the approved version again, from the
figures and text that were approved.
"""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annual_report import pdf, services


class Command(BaseCommand):
    help = (
        "Build the annual report PDF for a reporting year (named by the year it ends: --year "
        "2012 is 1 April 2011 to 31 March 2012) and write it to --output. Prints the page count "
        "and the time taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="reporting year, e.g. 2012")
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, **options):
        year, output = options["year"], Path(options["output"])
        if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
            raise CommandError(
                f"--year must be between {services.FIRST_YEAR} and {services.LAST_YEAR}, "
                "such as 2012 for 2011/12"
            )
        if output.suffix.lower() != ".pdf":
            raise CommandError(f"--output must name a .pdf file, not {str(output)!r}")
        if output.is_dir() or not output.parent.is_dir():
            raise CommandError(f"Cannot write {str(output)!r}: its folder does not exist")
        warming = time.monotonic()
        pdf.warm_up()
        started = time.monotonic()
        try:
            report, created = services.report_get_or_create(year=year, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if created:
            self.stdout.write(
                f"Created a draft report for {report.year_label} with the default text."
            )
        timings: dict[str, float] = {}
        rendered, as_of = services.report_pdf_now(report=report, timings=timings)
        try:
            output.write_bytes(rendered.content)
        except OSError as error:
            raise CommandError(f"Cannot write {str(output)!r}: {error.strerror}") from error
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Annual report {report.year_label} ({report.get_status_display().lower()}): "
            f"{rendered.page_count} pages, figures as at {as_of:%Y-%m-%d %H:%M}, "
            f"written to {output}"
        )
        steps = ", ".join(f"{name} {value:.2f} s" for name, value in timings.items())
        self.stdout.write(
            f"Built in {seconds:.2f} seconds ({steps}; loading WeasyPrint and the template "
            f"engine beforehand took {started - warming:.2f} s)"
        )
