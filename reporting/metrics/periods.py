"""Reporting periods and the shapes every measure returns (indicators.md)."""

import calendar
from dataclasses import dataclass
from datetime import date

from iro_service.dates import reporting_year_of


@dataclass(frozen=True)
class Period:
    """A date range, both ends inclusive. A reporting year runs 1 April to 31 March and is
    named by the year it ends in: Period.year(2012) is 1 April 2011 to 31 March 2012."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year - 1, 4, 1), date(year, 3, 31))

    @property
    def reporting_year(self) -> int:
        """The reporting year that contains the period's end."""
        return reporting_year_of(self.end)

    def month_ends(self) -> list[date]:
        """Each month end from the period's first month to its end (the end if mid-month)."""
        ends = []
        year, month = self.start.year, self.start.month
        while True:
            last = date(year, month, calendar.monthrange(year, month)[1])
            if last >= self.end:
                ends.append(self.end)
                return ends
            ends.append(last)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def ratio(numerator: int | None, denominator: int | None) -> dict:
    """A measure as its numerator and denominator, with the percentage to 2 places."""
    numerator, denominator = numerator or 0, denominator or 0
    percent = round(100 * numerator / denominator, 2) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "percent": percent}


def count_ratio(queryset, numerator, *, by: str | None = None):
    """Rows of `queryset` that meet `numerator` (a Q) out of all its rows, as a ratio; or, with
    `by` (a field path to a district), one ratio per district from a single grouped query."""
    from django.db.models import Count

    aggregates = {"denominator": Count("id"), "numerator": Count("id", filter=numerator)}
    if by is None:
        counts = queryset.aggregate(**aggregates)
        return ratio(counts["numerator"], counts["denominator"])
    rows = queryset.values(by).annotate(**aggregates).order_by()
    return {row[by]: ratio(row["numerator"], row["denominator"]) for row in rows}
