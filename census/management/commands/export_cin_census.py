"""Write the CIN census XML for a collection year to standard output (or --output FILE)."""

from django.core.management.base import BaseCommand, CommandError

from census.export import census_xml_chunks, default_lea


class Command(BaseCommand):
    help = (
        "Write the DfE Children in Need census XML for the year ending 31 March YEAR "
        "(--year 2024 is 1 April 2023 to 31 March 2024), e.g. "
        "`manage.py export_cin_census --year 2024 > cin.xml`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="census year, named by its end")
        parser.add_argument("--lea", help="the authority's three-digit DfE LA number")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        year = options["year"]
        if not 1990 <= year <= 2100:
            raise CommandError("--year must be a year between 1990 and 2100, such as 2024")
        lea = options["lea"] or default_lea()
        if not (lea.isdigit() and len(lea) == 3):
            raise CommandError("--lea must be the three-digit DfE LA number, such as 888")
        if options["output"]:
            with open(options["output"], "wb") as out:
                self._write(out, year, lea)
            return
        stream = self.stdout._out
        binary = getattr(stream, "buffer", None)
        if binary is not None:  # a real standard output: write the bytes as they are
            stream.flush()
            self._write(binary, year, lea)
            binary.flush()
        else:  # a text stream (call_command(stdout=StringIO()))
            for chunk in census_xml_chunks(year, lea=lea):
                stream.write(chunk.decode("utf-8"))

    @staticmethod
    def _write(out, year: int, lea: str) -> None:
        for chunk in census_xml_chunks(year, lea=lea):
            out.write(chunk)
