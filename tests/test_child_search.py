"""Find a child: the true count, GOV.UK pagination, plan status and IRO, and access kept.

The terms are sent by POST and the results are at ?search=<key> (children.views.search)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Child
from children.selectors import child_search
from conferences.models import Conference
from people.models import Role
from plans import services

from .factories import ChildFactory, ConferenceChildFactory, ConferenceFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("children:search")
MANY = 1234


def _many_ashdowns(world, count: int = MANY) -> None:
    """`count` more Ashdowns in the north district, named so they sort before Robin and Sky."""
    Child.objects.bulk_create(
        Child(
            local_id=f"B{n:06d}",
            first_name=f"Alex{n:04d}",
            last_name="Ashdown",
            date_of_birth=dt.date(2016, 1, 1),
            district=world.north,
        )
        for n in range(count)
    )


def _search(client, terms: dict):
    """Search as the form does; the results page, with `.results_url` (its address)."""
    response = client.post(SEARCH, terms, follow=True)
    response.results_url = response.redirect_chain[-1][0]
    return response


def _page(client, first, number: str):
    return client.get(first.results_url, {"search": _key(first), "page": number})


def _key(response) -> str:
    return response.results_url.split("search=", 1)[1]


def _names(response) -> list[str]:
    return [child.full_name for child in response.context["page"].object_list]


def test_count_is_true_and_results_come_a_page_at_a_time(clients, world):
    _many_ashdowns(world)
    client = clients[Role.IRO]
    first = _search(client, {"q": "Ashdown"})
    assert "1,236 children found" in first.text  # not a cap: every match is counted
    assert "Showing 1 to 25 of 1,236" in first.text
    assert _names(first) == [f"Alex{n:04d} Ashdown" for n in range(25)]
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in first.text
    assert f'href="?search={_key(first)}&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    assert 'aria-label="Page 50"' in first.text  # the last page, after an ellipsis
    assert "govuk-pagination__item--ellipsis" in first.text
    assert "<title>Search results (page 1 of 50)" in first.text

    second = _page(client, first, "2")
    assert _names(second) == [f"Alex{n:04d} Ashdown" for n in range(25, 50)]
    assert "Showing 26 to 50 of 1,236" in second.text
    assert f'href="?search={_key(first)}&amp;page=1" rel="prev"' in second.text
    assert re.search(r'aria-label="Page 2" aria-current="page"', second.text)

    last = _page(client, first, "50")
    assert _names(last)[-2:] == ["Robin Ashdown", "Sky Ashdown"]
    assert len(_names(last)) == 1236 - 49 * 25
    assert 'rel="next"' not in last.text


def test_the_search_terms_are_kept_for_the_page_links_but_not_put_in_them(clients, world):
    _many_ashdowns(world, count=30)
    dob = dt.date(2016, 1, 1)
    client = clients[Role.IRO]
    response = _search(
        client, {"q": "Ashdown", "born_on_day": "1", "born_on_month": "1", "born_on_year": "2016"}
    )
    assert response.context["page"].paginator.count == 30
    assert all(child.date_of_birth == dob for child in response.context["page"].object_list)
    assert f'href="?search={_key(response)}&amp;page=2"' in response.text
    assert "Ashdown" not in response.results_url and "2016" not in response.results_url
    second = _page(client, response, "2")
    assert [child.date_of_birth for child in second.context["page"].object_list] == [dob] * 5
    # the form on the results page still shows what was searched for
    assert 'value="Ashdown"' in second.text and 'value="2016"' in second.text


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("0", 2), ("-1", 2), ("two", 1)])
def test_a_page_out_of_range_shows_the_nearest_page(clients, world, asked, shown):
    """An old or edited link still lands on results: past the end, the last page; not a
    number, the first."""
    _many_ashdowns(world, count=30)
    client = clients[Role.IRO]
    response = _page(client, _search(client, {"q": "Ashdown"}), asked)
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert "32 children found" in response.text


def test_one_page_of_results_has_no_pagination(clients, world):
    response = _search(clients[Role.IRO], {"q": "Ashdown"})
    assert "2 children found" in response.text
    assert "govuk-pagination" not in response.text and "Showing" not in response.text
    assert "<title>Search results –" in response.text


def test_no_match_says_so(clients, world):
    response = _search(clients[Role.IRO], {"q": "Nobody"})
    assert response.status_code == 200
    assert "No children found" in response.text and "Check the spelling" in response.text


def test_district_managers_find_only_their_own_districts_children(clients, world):
    _many_ashdowns(world, count=30)
    north = _search(clients[Role.DISTRICT_MANAGER], {"q": "Ashdown"})
    assert "32 children found" in north.text
    south = _search(clients["other_district_manager"], {"q": "Ashdown"})
    assert "No children found" in south.text
    assert "Ellis Brackwater" in _search(clients["other_district_manager"], {"q": "Ellis"}).text


def _plan_status_world(world):
    """Robin: on a plan, chaired by Jordan Pike. Sky: a plan that ended. A third Ashdown: an
    initial conference booked with Casey Lund. A fourth: nothing."""
    iro = world.users[Role.IRO]
    chair = UserFactory(username="jpike", first_name="Jordan", last_name="Pike")
    booked_chair = UserFactory(username="clund", first_name="Casey", last_name="Lund")
    held = ConferenceFactory(household=world.child.household, chair=chair)
    ConferenceChildFactory(
        conference=held, child=world.child, outcome="plan_started", category="NEG"
    )
    ConferenceChildFactory(
        conference=held, child=world.sibling, outcome="plan_started", category="NEG"
    )
    services.plan_start(child=world.child, start_date=dt.date(2026, 5, 3), category="NEG", by=iro)
    ended = services.plan_start(
        child=world.sibling, start_date=dt.date(2024, 1, 10), category="EMO", by=iro
    )
    services.plan_end(plan=ended, end_date=dt.date(2025, 6, 4), reason="moved_away", by=iro)
    coming = ChildFactory(first_name="Dale", last_name="Ashdown", district=world.north)
    booked = ConferenceFactory(
        household=coming.household,
        chair=booked_chair,
        status=Conference.Status.BOOKED,
        scheduled_for=timezone.now() + dt.timedelta(days=10),
    )
    ConferenceChildFactory(conference=booked, child=coming)
    ChildFactory(first_name="Eden", last_name="Ashdown", district=world.north)


def _row(page: str, name: str) -> str:
    start = page.index(f">{name}</a>")
    return page[start : page.index("</tr>", start)]


def test_results_show_plan_status_and_allocated_iro(clients, world):
    _plan_status_world(world)
    page = _search(clients[Role.BUSINESS_SUPPORT], {"q": "Ashdown"}).text
    assert "On a plan since 3 May 2026" in _row(page, "Robin Ashdown")
    assert "Jordan Pike" in _row(page, "Robin Ashdown")
    assert "Plan ended 4 June 2025" in _row(page, "Sky Ashdown")
    # the IRO who chaired an ended plan's conferences is no longer allocated to the child
    assert "Not allocated" in _row(page, "Sky Ashdown")
    assert "No plan" in _row(page, "Dale Ashdown") and "Casey Lund" in _row(page, "Dale Ashdown")
    assert "No plan" in _row(page, "Eden Ashdown") and "Not allocated" in _row(page, "Eden Ashdown")


def test_search_queries_do_not_grow_with_the_page(clients, world, django_assert_num_queries):
    _plan_status_world(world)
    _many_ashdowns(world, count=40)
    for number, child in enumerate(Child.objects.filter(first_name__startswith="Alex")[:20]):
        chair = UserFactory(username=f"chair{number}")
        conference = ConferenceFactory(household=world.child.household, chair=chair)
        ConferenceChildFactory(conference=conference, child=child)
        services.plan_start(
            child=child, start_date=dt.date(2024, 2, 1), category="PHY", by=world.users[Role.IRO]
        )
    client = clients[Role.IRO]
    url = _search(client, {"q": "Ashdown"}).results_url
    # session, user, the count, the page of children with plans and IROs, the IROs' names
    with django_assert_num_queries(5):
        response = client.get(url)
    iros = {child.allocated_iro for child in response.context["page"].object_list}
    assert len(iros) == 21  # twenty chairs and "not allocated"


@pytest.mark.postgresql
def test_on_postgresql_every_branch_of_a_search_can_use_an_index(world):
    """The search's conditions are the expressions the indexes of children migration 0006 are
    built on: with plain and ordered scans priced out, PostgreSQL reaches the children through
    those indexes only (were one expression to differ, it would have to read every child)."""
    from django.db import connection

    ChildFactory.create_batch(30)
    searched = child_search(user=world.users[Role.SENIOR_IRO], text="Ashdown Rob 9434765919")
    sql, params = searched.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in (
        "child_first_name_trgm",
        "child_last_name_trgm",
        "child_local_id_upper",
        "child_upn_upper",
        "child_nhs_number",
    ):
        assert f"Bitmap Index Scan on {index}" in plan, plan
    assert "Seq Scan on children_child" not in plan
