"""Load one or more CIN census XML files: all or nothing, errors listed one per line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from census.importer import CensusRefused, import_census


class Command(BaseCommand):
    help = (
        "Import children, section 47 enquiries, initial conferences, child protection plans "
        "and review conferences from DfE Children in Need census XML files. A file with any "
        "error is refused as a whole and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.xml")
        parser.add_argument(
            "--district",
            default="Not recorded",
            help='district for new children (default "Not recorded"; created if missing)',
        )

    def handle(self, *args, **options):
        missing = [name for name in options["files"] if not Path(name).is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        try:
            summary = import_census(options["files"], district_name=options["district"])
        except CensusRefused as refused:
            for issue in refused.issues:
                self.stderr.write(str(issue))
            if refused.more:
                self.stderr.write(f"... and {refused.more} more")
            raise CommandError(
                f"{len(refused.issues) + refused.more} error(s): nothing was imported"
            ) from refused
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        for line in summary.lines():
            self.stdout.write(line)
