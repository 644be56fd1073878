"""Monthly flows that reproduce the §6.2 stock table: plans started and ended each month by
category, and what kind of plan each month's endings are (started before or in the year,
duration band). Pure arithmetic on the targets; no randomness."""

from collections import Counter

from .targets import (
    CATEGORIES,
    CHANGES,
    ENDS_BY_TYPE,
    NI64_CATEGORIES,
    OPEN_AT_END,
    OPEN_AT_START,
    START_SHARES,
    STARTS,
    STOCK,
)

MONTHS = range(1, 13)
NEW_TYPES = ("nC", "nB", "nA")  # most constrained first
OLD_TYPES = ("oD", "oC", "oB", "oA")


def apportion(total: int, weights: dict, caps: dict | None = None) -> dict:
    """Split `total` in proportion to `weights` (largest remainder), never above `caps`."""
    caps = caps or {key: total for key in weights}
    result = dict.fromkeys(weights, 0)
    left = total
    while left > 0:
        open_keys = [k for k in weights if result[k] < caps[k]]
        if not open_keys:
            raise ValueError(f"cannot place {total} within caps {caps}")
        weight = sum(max(weights[k], 1e-9) for k in open_keys)
        shares = {k: left * max(weights[k], 1e-9) / weight for k in open_keys}
        placed = 0
        for key in open_keys:
            step = min(int(shares[key]), caps[key] - result[key])
            result[key] += step
            placed += step
        if placed == 0:
            key = max(open_keys, key=lambda k: (shares[k] - int(shares[k]), weights[k]))
            result[key] += 1
            placed = 1
        left -= placed
    return result


def stock_delta(month: int, category: str) -> int:
    return STOCK[category][month] - STOCK[category][month - 1]


def net_changes(month: int, category: str) -> int:
    into = sum(1 for m, _, to in CHANGES if m == month and to == category)
    out = sum(1 for m, frm, _ in CHANGES if m == month and frm == category)
    return into - out


def monthly_starts_and_ends() -> tuple[dict, dict]:
    """starts[m][c] and ends[m][c] with start - end + changes = the published stock change."""
    starts, ends = {}, {}
    for month in MONTHS:
        need = {c: stock_delta(month, c) - net_changes(month, c) for c in CATEGORIES}
        split = apportion(STARTS[month - 1], START_SHARES)
        starts[month] = _repair(split, need)
        ends[month] = {c: starts[month][c] - need[c] for c in CATEGORIES}
    return starts, ends


def _repair(split: dict, need: dict) -> dict:
    """Raise a category's starts until its ends are not negative, taking from the others."""
    split = dict(split)
    for category in CATEGORIES:
        while split[category] - need[category] < 1:
            donor = max(CATEGORIES, key=lambda c: split[c] - need[c])
            split[donor] -= 1
            split[category] += 1
    return split


def ni64_categories_by_month(ends: dict) -> dict:
    """Category of each month's plans that ended after two years or more (NI 64 cohort)."""
    wanted = Counter(NI64_CATEGORIES)
    result = {}
    for month in MONTHS:
        count = ENDS_BY_TYPE["oE"][month - 1] + ENDS_BY_TYPE["oF"][month - 1]
        room = Counter(ends[month])
        picked = []
        for _ in range(count):
            category = max(
                wanted,
                key=lambda c: (wanted[c] > 0 and room[c] > 0, wanted[c] / NI64_CATEGORIES[c]),
            )
            wanted[category] -= 1
            room[category] -= 1
            picked.append(category)
        result[month] = picked
    assert not +wanted, wanted
    return result


def end_slots(ends: dict) -> dict:
    """For each month, the (category, type) of every plan ending: the table of ENDS_BY_TYPE
    crossed with the month's ends by category. The old plans left open at 31 March 2012
    keep the category mix of 31 March 2011; the new plans take the rest of each category's
    endings, spread over the months by iterative proportional fitting."""
    ni64 = ni64_categories_by_month(ends)
    room = {m: Counter(ends[m]) - Counter(ni64[m]) for m in MONTHS}
    new_rows = {m: sum(ENDS_BY_TYPE[t][m - 1] for t in NEW_TYPES) for m in MONTHS}
    new_columns = _new_ends_by_category(ends, ni64)
    fitted = _fit(room, new_rows, new_columns)
    slots = {}
    for month in MONTHS:
        caps = {c: room[month][c] for c in CATEGORIES}
        new = apportion(new_rows[month], fitted[month], caps=caps)
        old = {c: caps[c] - new[c] for c in CATEGORIES}
        kinds = ["oF"] * ENDS_BY_TYPE["oF"][month - 1]
        kinds += ["oE"] * (len(ni64[month]) - len(kinds))
        slots[month] = list(zip(ni64[month], kinds, strict=True))
        slots[month] += _typed(month, new, NEW_TYPES) + _typed(month, old, OLD_TYPES)
    return slots


def _new_ends_by_category(ends: dict, ni64: dict) -> dict:
    old_open = apportion(OPEN_AT_START - _old_ends_total(), {c: STOCK[c][0] for c in CATEGORIES})
    total = {c: sum(ends[m][c] for m in MONTHS) for c in CATEGORIES}
    return {c: total[c] - (STOCK[c][0] - old_open[c]) for c in CATEGORIES}


def _fit(room: dict, rows: dict, columns: dict, rounds: int = 200) -> dict:
    """Iterative proportional fitting of a months x categories table within `room`."""
    table = {m: {c: float(room[m][c]) for c in CATEGORIES} for m in MONTHS}
    for _ in range(rounds):
        for m in MONTHS:
            total = sum(table[m].values()) or 1.0
            table[m] = {c: min(room[m][c], v * rows[m] / total) for c, v in table[m].items()}
        for c in CATEGORIES:
            total = sum(table[m][c] for m in MONTHS) or 1.0
            for m in MONTHS:
                table[m][c] = min(room[m][c], table[m][c] * columns[c] / total)
    return table


def _old_ends_total() -> int:
    return sum(sum(v) for k, v in ENDS_BY_TYPE.items() if k.startswith("o"))


def _typed(month: int, per_category: dict, types: tuple) -> list:
    left = dict(per_category)
    slots = []
    for index, kind in enumerate(types):
        count = ENDS_BY_TYPE[kind][month - 1]
        if index == len(types) - 1:
            split = dict(left)
            assert sum(split.values()) == count, (month, kind, split, count)
        else:
            split = apportion(count, left, caps=left)
        for category, n in split.items():
            left[category] -= n
            slots += [(category, kind)] * n
    return slots


def check_totals(starts: dict, ends: dict) -> None:
    assert sum(sum(s.values()) for s in starts.values()) == 720
    assert sum(sum(e.values()) for e in ends.values()) == 844
    assert OPEN_AT_START + 720 - 844 == OPEN_AT_END
    for month in MONTHS:
        typed = sum(ENDS_BY_TYPE[t][month - 1] for t in ENDS_BY_TYPE)
        assert typed == sum(ends[month].values()), (month, typed, ends[month])
