"""How every door writes a percentage: the dashboard's tables, cards and charts, its CSV
downloads, and the annual report's tables, text and charts all call `percent_text`, so one
measure reads the same in each ("46.9%").

One decimal place, unless a measure needs more: the district breakdown's rates are small and
the source report gives them with two ("1.35%", DISTRICT_PLACES). The text is rounded half up
from the value the measure stores (measures keep two places, reporting.metrics.periods), so
4.35 is "4.4%" everywhere; only the text is rounded, never the stored figure.
"""

from decimal import ROUND_HALF_UP, Decimal

PLACES = 1
DISTRICT_PLACES = 2
NOT_AVAILABLE = "Not available"


def percent_text(value: float | None, places: int = PLACES, *, missing: str = NOT_AVAILABLE) -> str:
    """46.875 -> "46.9%"; 62.5 -> "62.5%"; 4 -> "4.0%"; None -> `missing`."""
    if value is None:
        return missing
    # The shortest decimal that is the float (4.35, not 4.3499999...), then rounded half up.
    rounded = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    return f"{rounded:,}%"


class Percent(float):
    """A percentage in a dashboard Table: a number to its chart, and `percent_text` to the
    HTML table and the CSV (reporting.tables.format_value, reporting.csv)."""

    places: int

    def __new__(cls, value: float, places: int = PLACES):
        number = super().__new__(cls, value)
        number.places = places
        return number

    def __str__(self) -> str:
        return percent_text(self, self.places)


def percent(value: float | None, places: int = PLACES) -> Percent | None:
    return None if value is None else Percent(value, places)
