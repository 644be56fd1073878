"""Figures computed once per computation and read by several measures.

Inside `shared_district_figures()` (compute_all, a snapshot's steps), a figure asked for twice
with the same key is computed once: the additive rates by district (for the district breakdown
and the authority's figure alike), the conferences held in a period, which the conference
counts, QA completion and the feedback return rate all divide by, and the plans open on each
of the period's stock dates (its start and end, each month end, the rate per 10,000).
Outside it, every call computes afresh, so a lone measure never reads a figure from another
computation.
"""

import copy
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar

_shared: ContextVar[dict | None] = ContextVar("iro_shared_district_figures", default=None)


@contextmanager
def shared_district_figures():
    """Inside, figures asked for under the same key are computed once (see the module)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def sharing() -> bool:
    return _shared.get() is not None


def once(key: Hashable, compute: Callable[[], object]):
    """compute(), or inside shared_district_figures() the value it gave for this key before.
    Each caller gets its own copy, so that none can change what another reads."""
    cache = _shared.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return copy.deepcopy(cache[key])
