"""A table as a CSV download: the same rows and figures as the HTML table beside its chart."""

import csv
from datetime import date

from django.http import HttpResponse

from .formatting import Percent, percent_text
from .tables import Table

# A cell starting with one of these is a formula to a spreadsheet: a name typed as
# "=HYPERLINK(...)" must arrive as text (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Percent):  # as the page shows it: "46.9%", which spreadsheets read
        return percent_text(value, value.places)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    """The table as an attachment: a heading row, then one row per row of the table. UTF-8
    with a byte order mark, so that Excel shows names with accents correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([table.row_heading, *table.columns])
    for row in table.rows:
        writer.writerow([_cell(row.label), *(_cell(value) for value in row.values)])
    return response
