"""A page of a long list and the list's length from one query.

Django's Paginator counts (one pass over every matching row), then reads the page (a second
pass, and the sort). For a list whose rows are found by a costly condition (a name search
matching 29,000 children at England's scale) `counted_page` reads the page's primary keys
with `COUNT(*) OVER ()` beside them: one pass gives both. The caller loads the page's rows
by those keys, with whatever they show.
"""

import math

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property


class _Counted(Paginator):
    """A paginator told its count: it never counts, and never slices its (empty) list."""

    def __init__(self, *, count: int, per_page: int):
        super().__init__([], per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _wanted(number) -> int:
    """As Paginator.get_page: not a whole number, the first page; below 1, the last page
    (0 here: no rows, so it is looked for as a page past the end)."""
    try:
        return max(0, int(number))
    except (TypeError, ValueError):
        return 1


def counted_page(queryset: QuerySet, number, per_page: int) -> Page:
    """Page `number` of `queryset`'s primary keys, in its order, as Paginator.get_page shows
    it (not a number: the first page; past the end or below 1: the last), with the whole
    list's count. One query; three when the page asked for is past the end (the count, then the last page)."""
    keys = queryset.annotate(_rows=Window(Count("pk"))).values_list("pk", "_rows")
    number = _wanted(number)
    rows = list(keys[(number - 1) * per_page : number * per_page]) if number else []
    if not rows and number != 1:
        number = max(1, math.ceil(queryset.count() / per_page))
        rows = list(keys[(number - 1) * per_page : number * per_page])
    paginator = _Counted(count=rows[0][1] if rows else 0, per_page=per_page)
    return Page([pk for pk, _ in rows], min(number, paginator.num_pages), paginator)
