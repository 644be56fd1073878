"""A table as a CSV download: the same rows and figures as the HTML table beside its chart.
Written by the project's one CSV writer (iro_service/spreadsheets.py), which makes any text
that starts like a formula harmless."""

from django.http import HttpResponse

from iro_service import spreadsheets

from .formatting import Percent, percent_text
from .tables import Table


def _cell(value):
    if isinstance(value, Percent):  # as the page shows it: "46.9%", which spreadsheets read
        return percent_text(value, value.places)
    return value


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    """The table as an attachment: a heading row, then one row per row of the table. UTF-8
    with a byte order mark, so that Excel shows names with accents correctly."""
    rows = [
        [table.row_heading, *table.columns],
        *([row.label, *(_cell(value) for value in row.values)] for row in table.rows),
    ]
    return spreadsheets.csv_response(rows, filename=filename)
