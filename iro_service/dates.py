"""Calendar arithmetic for statutory timescales: calendar months and working days.

Pure functions, no clock and no database. "Working days" exclude Saturdays, Sundays and the
England and Wales bank holidays published by the `holidays` package (subdivision ENG).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped at month end: 2011-11-30 + 3 months = 2012-02-29."""
    return start + relativedelta(months=months)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start`; the first working day after it is day 1."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
