"""How the report writes numbers and dates, in one place so text and tables agree.

Counts have thousands separators ("2,067", as the source report writes them). Percentages
are written as the dashboard and its CSVs write them (reporting.formatting): one decimal place
("4.4%", "10.8%"), except the district breakdown's, which have two ("1.35%"), as the source
report gives them. The rate per 10,000 has two ("22.36").
"""

from datetime import date

from reporting.formatting import NOT_AVAILABLE, PLACES, percent_text


def count(value) -> str:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def percent(value, places: int = PLACES) -> str:
    return percent_text(value, places, missing=NOT_AVAILABLE)


def decimal(value, places: int = 2) -> str:
    if value is None:
        return NOT_AVAILABLE
    return f"{value:,.{places}f}"


def long_date(value: date | str | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def month(value: date | str) -> str:
    """ "2011-08-31" or "2011-08" -> "August 2011"."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:7] + "-01")
    return f"{value:%B %Y}"


def short_month(value: date | str) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:7] + "-01")
    return f"{value:%b %Y}"
