"""iro_service.pagination.counted_page: the page and the count from one query, shown as
Django's Paginator.get_page shows them."""

import datetime as dt

import pytest
from django.core.paginator import Paginator

from children.models import Child
from iro_service.pagination import counted_page
from people.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def children():
    district = District.objects.create(name="Eastholm")
    Child.objects.bulk_create(
        Child(
            local_id=f"P{n:04d}",
            first_name=f"Ash{n:03d}",
            last_name="Penrose" if n % 3 else "Quill",
            date_of_birth=dt.date(2015, 1, 1),
            district=district,
        )
        for n in range(23)
    )
    return Child.objects.filter(last_name="Penrose").order_by("-first_name")


@pytest.mark.parametrize("asked", ["1", "2", "3", "4", "99", "0", "-2", "two", "1.5", None, ""])
def test_each_page_is_the_one_paginator_shows(children, asked):
    expected = Paginator(children.values_list("pk", flat=True), 5).get_page(asked)
    page = counted_page(children, asked, 5)
    assert page.number == expected.number
    assert list(page.object_list) == list(expected.object_list)
    assert page.paginator.count == expected.paginator.count == 15
    assert page.paginator.num_pages == 3
    assert (page.start_index(), page.end_index()) == (expected.start_index(), expected.end_index())
    assert page.has_next() == expected.has_next()


def test_one_query_for_a_page_and_three_past_the_end(children, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = counted_page(children, "2", 5)
    assert page.paginator.count == 15 and len(page.object_list) == 5
    with django_assert_num_queries(3):  # nothing there, the count, the last page
        assert counted_page(children, "7", 5).number == 3


def test_an_empty_list_is_one_empty_page(children, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = counted_page(children.filter(last_name="Nobody"), "1", 5)
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])
    assert not page.has_other_pages()
    assert counted_page(children.filter(last_name="Nobody"), "4", 5).number == 1
