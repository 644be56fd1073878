"""The project's one CSV and Excel writer: every download of rows (Annex A, the dashboard's
tables, the monthly lists) goes through it, so none can carry a formula.

Anyone who can type a name or a child ID can type "=HYPERLINK(...)"; a spreadsheet opening
the file would run it (OWASP: CSV injection). So:

- in CSV, text that starts like a formula (= + - @, a tab or a carriage return, or their
  full-width forms) gets a leading apostrophe, which spreadsheets show as text. Text that is
  only a number ("-3", "-4.5%") is left alone: it cannot carry a formula.
- in Excel, every piece of text is written as a text cell (data type "s"), never as a formula,
  whatever it starts with, and exactly as typed; one that looks like a formula is also marked
  "quote prefix", so it stays text if someone edits the cell.

Numbers stay numbers and dates stay dates: only text is touched.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")
ISO_DATE = "%Y-%m-%d"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """Text as it may go into a CSV cell: a formula's start made harmless with an apostrophe."""
    return "'" + text if looks_like_formula(text) else text


def csv_cell(value, *, date_format: str = ISO_DATE):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(date_format)
    if isinstance(value, str):
        return neutralise(value)
    return value


class CsvWriter:
    """csv.writer, but every cell goes through csv_cell first."""

    def __init__(self, file, *, date_format: str = ISO_DATE):
        self._writer = csv.writer(file)
        self.date_format = date_format

    def writerow(self, cells: Iterable) -> None:
        self._writer.writerow([csv_cell(value, date_format=self.date_format) for value in cells])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for cells in rows:
            self.writerow(cells)


def csv_lines(rows: Iterable[Iterable], *, date_format: str = ISO_DATE) -> Iterator[str]:
    """The rows as CSV, a line at a time (for a streaming download)."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, date_format=date_format)
    for cells in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        yield buffer.getvalue()


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    rows: Iterable[Iterable], *, filename: str, date_format: str = ISO_DATE, bom: bool = True
) -> HttpResponse:
    """The rows as a CSV attachment. With a byte order mark, Excel shows accented names."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    if bom:
        response.write("\ufeff")
    CsvWriter(response, date_format=date_format).writerows(rows)
    return _attachment(response, filename)


def csv_streaming_response(
    rows: Iterable[Iterable], *, filename: str, date_format: str = ISO_DATE
) -> StreamingHttpResponse:
    """The rows as a CSV attachment sent a line at a time, for long lists."""
    response = StreamingHttpResponse(
        csv_lines(rows, date_format=date_format), content_type=CSV_CONTENT_TYPE
    )
    return _attachment(response, filename)


def excel_cell(sheet, value, *, date_format: str = "DD/MM/YYYY"):
    """A write-only cell: text always a text cell, a date with its format, the rest as is."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would make "=..." a formula
        if looks_like_formula(value):
            cell.quotePrefix = True
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = date_format + (" HH:MM" if isinstance(value, datetime) else "")
        return cell
    return value


def xlsx_bytes(
    sheet_title: str, rows: Iterable[Sequence], *, date_format: str = "DD/MM/YYYY"
) -> bytes:
    """The rows as an Excel workbook of one sheet. openpyxl's write-only mode streams the rows
    to its temporary file as they come."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for cells in rows:
        sheet.append([excel_cell(sheet, value, date_format=date_format) for value in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
