"""The 1,391 plans open at some point in 2011/12, with their dates, categories and bands:
the monthly flows of flows.py turned into dates (random days, fixed counts)."""

import random
from collections import Counter
from datetime import date, timedelta

from plans.rules import duration_band

from .calendar import month_end, month_start, months_after, months_before, working_days
from .flows import MONTHS, end_slots, monthly_starts_and_ends
from .specs import PlanSpec
from .targets import (
    BAND_MONTHS,
    CATEGORIES,
    LONG_OPEN_AGES,
    LONG_OPEN_CATEGORIES,
    STOCK,
    YEAR_END,
    YEAR_START,
)

M0 = YEAR_START - timedelta(days=1)  # 31 March 2011
# Share of each start month's plans still open at 31 March 2012 (April 2011 first).
OPEN_AT_YEAR_END = (0.28, 0.3, 0.33, 0.36, 0.4, 0.45, 0.6, 0.66, 0.72, 0.84, 0.9, 0.95)
SHORTEST_PLAN = timedelta(days=14)
EDGE = timedelta(days=3)  # month-end clamping moves a band's edge by at most three days
LONG_OPEN_LATEST_START = date(2010, 3, 31)  # start + 24 months <= 31 March 2012


class Skeleton:
    """Builds the plans; `capacity[m][c]` counts starts not yet given to a plan."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.starts, self.ends = monthly_starts_and_ends()
        self.capacity = {m: Counter(self.starts[m]) for m in MONTHS}
        self.plans: list[PlanSpec] = []

    def build(self) -> list[PlanSpec]:
        slots = end_slots(self.ends)
        placed = self._place_new_plans(slots)
        for month in MONTHS:
            for category, kind in slots[month]:
                if kind.startswith("o"):
                    self._old_ended(month, category, kind[1])
        for job, start_month in placed:
            self._new_ended(*job, start_month)
        self._new_open()
        self._old_open()
        return self.plans

    def _place_new_plans(self, slots: dict) -> list:
        """Start months for the new plans ending in the year. Where a category has too few
        starts early enough, one of its endings that month becomes an old plan's and another
        category's old ending becomes a new plan's (the month's totals do not change)."""
        while True:
            jobs = [(m, c, k[1]) for m in MONTHS for c, k in slots[m] if k.startswith("n")]
            try:
                placed, capacity = _start_months(jobs, self.capacity)
            except _NoStartMonth as failure:
                _swap_with_old(slots, *failure.job)
                continue
            self.capacity = capacity
            return placed

    def _add(self, kind: str, category: str, start: date, end: date | None, **extra) -> None:
        band = duration_band(start=start, end=end) if end else None
        plan = PlanSpec(len(self.plans), kind, category, start, end, band, **extra)
        self.plans.append(plan)

    # Plans ending in the year -------------------------------------------------------------
    def _new_ended(self, month: int, category: str, band: str, start_month: int) -> None:
        ends = list(working_days(month_start(month), month_end(month)))
        self.rng.shuffle(ends)
        first, last = month_start(start_month), month_end(start_month)
        for end in ends:
            starts = [s for s in _starts_in_band(end, band) if first <= s <= last]
            if starts:
                self._add("new", category, self.rng.choice(starts), end)
                return
        raise ValueError(f"no dates for a {category} plan ending {band} in month {month}")

    def _old_ended(self, month: int, category: str, band: str) -> None:
        ends = list(working_days(month_start(month), month_end(month)))
        self.rng.shuffle(ends)
        for end in ends:
            starts = [s for s in _starts_in_band(end, band) if s <= M0]
            if starts:
                cohort = "ni64" if band in "EF" else ""
                self._add("old", category, self.rng.choice(starts), end, cohort=cohort)
                return
        raise ValueError(f"no start for an old {category} plan ending {band} in month {month}")

    # Plans open at 31 March 2012 ------------------------------------------------------------
    def _new_open(self) -> None:
        for month in MONTHS:
            days = working_days(month_start(month), month_end(month))
            for category in CATEGORIES:
                for _ in range(self.capacity[month][category]):
                    self._add("new", category, self.rng.choice(days), None)
                self.capacity[month][category] = 0

    def _old_open(self) -> None:
        ended = Counter(p.category for p in self.plans if p.kind == "old")
        left = {c: STOCK[c][0] - ended[c] for c in CATEGORIES}
        long_days = working_days(date(2009, 1, 5), LONG_OPEN_LATEST_START)
        ages = list(LONG_OPEN_AGES)
        for category, count in LONG_OPEN_CATEGORIES.items():
            for _ in range(count):
                start = self.rng.choice(long_days)
                target = (ages.pop(), YEAR_END)
                self._add("old", category, start, None, cohort="long_open", age_target=target)
                left[category] -= 1
        recent = working_days(LONG_OPEN_LATEST_START + timedelta(days=1), M0)
        for category in CATEGORIES:
            assert left[category] >= 0, (category, left)
            for _ in range(left[category]):
                # Plans still open a year later lean towards the later starts.
                start = max(self.rng.choice(recent), self.rng.choice(recent))
                self._add("old", category, start, None)


class _NoStartMonth(Exception):
    def __init__(self, job: tuple):
        super().__init__(f"no start month for a new plan ending {job}")
        self.job = job


def _start_months(jobs: list, capacity: dict) -> tuple[list, dict]:
    """Give each new plan that ends in the year a start month within its band's window,
    earliest deadline first, within a quota per start month that leaves a realistic share of
    each month's plans still open at 31 March 2012; past its deadline a plan may take a start
    from that reserve."""
    capacity = {m: Counter(c) for m, c in capacity.items()}
    quota = {m: _ending_quota(m, capacity[m]) for m in MONTHS}
    pending, placed = [], []
    for month in MONTHS:
        pending += [job for job in jobs if _window(job)[0] == month]
        pending.sort(key=lambda job: _window(job)[1])
        for job in list(pending):
            if quota[month][job[1]] > 0:
                taken = month
                quota[month][job[1]] -= 1
            elif _window(job)[1] == month:
                taken = _from_reserve(job, capacity, quota)
            else:
                continue
            capacity[taken][job[1]] -= 1
            placed.append((job, taken))
            pending.remove(job)
    assert not pending, pending
    return placed, capacity


def _ending_quota(month: int, starts: Counter) -> Counter:
    share = 1 - OPEN_AT_YEAR_END[month - 1]
    return Counter({c: round(n * share) for c, n in starts.items()})


def _from_reserve(job: tuple, capacity: dict, quota: dict) -> int:
    first, last = _window(job)
    for month in range(last, first - 1, -1):
        if capacity[month][job[1]] - quota[month][job[1]] > 0:
            return month
    raise _NoStartMonth(job)


def _swap_with_old(slots: dict, month: int, category: str, band: str) -> None:
    row = slots[month]
    new_index = row.index((category, "n" + band))
    old_index = next(
        i for i, (c, k) in enumerate(row) if c != category and k in ("oC", "oD", "oB", "oA")
    )
    other, old_kind = row[old_index]
    row[new_index] = (other, "n" + band)
    row[old_index] = (category, old_kind)


def _window(job: tuple) -> tuple[int, int]:
    """Start months (first, last) a new plan ending in `month` in `band` can start in."""
    month, _, band = job
    first, last = {"A": (month - 2, month), "B": (month - 5, month - 3)}.get(
        band, (month - 11, month - 6)
    )
    return max(first, 1), last


def _starts_in_band(end: date, band: str, earliest: date | None = None) -> list[date]:
    """Working days a plan ending on `end` can start on to fall in duration band `band`.
    Only days near the band's edges need the exact (month-end clamped) check."""
    low, high = BAND_MONTHS[band]
    first = months_before(end, high) - EDGE
    last = min(months_before(end, low) + EDGE, end - SHORTEST_PLAN)
    if earliest:
        first = max(first, earliest)
    safe_first, safe_last = first + 2 * EDGE, last - 2 * EDGE
    return [
        day
        for day in working_days(first, last)
        if safe_first <= day <= safe_last
        or (duration_band(start=day, end=end) == band and months_after(day, high) > end)
    ]
