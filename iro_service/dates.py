"""Calendar arithmetic for statutory timescales: calendar months, working days, ages and
reporting years.

Pure functions, no clock and no database. "Working days" exclude Saturdays, Sundays and the
England and Wales bank holidays published by the `holidays` package (subdivision ENG).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

# The sums below are memoised: they are pure, and the generators ask for the same few (a day
# plus 1 or 15 working days, or 3 or 6 months) hundreds of thousands of times; the bench
# authority's build took half as long again without this. 32,768 entries cover every day of
# its history with each timescale.
CACHED_SUMS = 32_768


@lru_cache(maxsize=CACHED_SUMS)
def add_months(start: date, months: int) -> date:
    """Calendar months, clamped at month end: 2011-11-30 + 3 months = 2012-02-29."""
    return start + relativedelta(months=months)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=CACHED_SUMS)
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


@lru_cache(maxsize=CACHED_SUMS)
def subtract_working_days(end: date, days: int) -> date:
    """The day `days` working days before `end`: add_working_days backwards, so that
    add_working_days(subtract_working_days(d, n), n) == d for a working day d."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, counted = end, 0
    while counted < days:
        current -= timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def age_on(born: date | None, day: date) -> int | None:
    """Age in whole years on `day`; None for a child not yet born (or with no date of birth).
    Someone born on 29 February turns a year older on 1 March in a common year."""
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def reporting_year_of(day: date) -> int:
    """The reporting year (1 April to 31 March) that contains `day`, named by the year it ends
    in, as the annual report and the DfE name it: 2012 is 1 April 2011 to 31 March 2012."""
    return day.year + 1 if day.month >= 4 else day.year
