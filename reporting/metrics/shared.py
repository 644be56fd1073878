"""Figures computed once per computation and read by several measures.

Inside `shared_district_figures()` (compute_all, a snapshot's steps), a figure asked for twice
with the same key is computed once: the additive rates by district (for the district breakdown
and the authority's figure alike), the conferences held in a period, which the conference
counts, QA completion and the feedback return rate all divide by, and the plans open on each
of the period's stock dates (its start and end, each month end, the rate per 10,000).
Outside it, every call computes afresh, so a lone measure never reads a figure from another
computation. The steps of one computation may run on several threads (together.py): a figure
asked for on two at once is computed by the first, and the second waits for it.
"""

import copy
import threading
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar

_shared: ContextVar[dict | None] = ContextVar("iro_shared_district_figures", default=None)
# The cache's own entries, beside the figures: a lock per key, and the lock that hands them out.
_LOCKS, _GUARD = object(), object()


@contextmanager
def shared_district_figures():
    """Inside, figures asked for under the same key are computed once (see the module)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({_LOCKS: {}, _GUARD: threading.Lock()})
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
    with cache[_GUARD]:
        key_lock = cache[_LOCKS].setdefault(key, threading.Lock())
    with key_lock:
        if key not in cache:
            cache[key] = compute()
    return copy.deepcopy(cache[key])
