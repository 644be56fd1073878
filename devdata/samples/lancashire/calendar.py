"""Calendar helpers for the Lancashire sample: reporting months, working days to pick from,
times. The arithmetic itself (months, working days, ages) is iro_service.dates'."""

import random
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from iro_service.dates import add_months, is_working_day

from .targets import YEAR_START

LONDON = ZoneInfo("Europe/London")
DAY = timedelta(days=1)


def month_start(month: int) -> date:
    """First day of reporting month `month` (1 = April 2011 ... 12 = March 2012; 0 = March 2011)."""
    return YEAR_START + relativedelta(months=month - 1)


def month_end(month: int) -> date:
    return month_start(month + 1) - DAY


def month_of(day: date) -> int:
    """Reporting month of a date (may be <= 0 before the year, > 12 after it)."""
    return (day.year - YEAR_START.year) * 12 + day.month - YEAR_START.month + 1


@lru_cache(maxsize=4096)
def _working_days(first: date, last: date) -> tuple[date, ...]:
    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += DAY
    return tuple(days)


def working_days(first: date, last: date) -> tuple[date, ...]:
    """Working days from `first` to `last`, both included."""
    return _working_days(first, last) if first <= last else ()


def pick_working_day(rng: random.Random, first: date, last: date) -> date | None:
    days = working_days(first, last)
    return rng.choice(days) if days else None


def months_before(day: date, months: int) -> date:
    return day - relativedelta(months=months)


def months_after(day: date, months: int) -> date:
    return add_months(day, months)


def born_for_age(rng: random.Random, age: int, on: date) -> date:
    """A date of birth that makes a child exactly `age` whole years old on `on`."""
    latest = on - relativedelta(years=age)
    earliest = on - relativedelta(years=age + 1) + DAY
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)
