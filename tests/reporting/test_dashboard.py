"""The dashboard, its CSVs and charts, the refresh, the monthly lists and the API: each role
against each, including those who must be refused (style.md rule 6)."""

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from iro_service.celery import app as celery_app
from people.models import Role
from reporting import services
from reporting.models import IndicatorSnapshot
from reporting.tables import TABLES, format_value

from ..factories import (
    LONDON,
    IROProfileFactory,
    LookedAfterEpisodeFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen_clock")]
NOW = dt.datetime(2026, 5, 10, 15, 0, tzinfo=LONDON)  # reporting year 2027, to date
VIEWERS = {Role.SENIOR_IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR}
REFRESHERS = {Role.SENIOR_IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER}
LISTS = ["plans-over-12-months", "repeat-plans", "looked-after"]
CHARTS = ["indicators", "caseloads", "monthly_stock", "durations", "feedback"]


@pytest.fixture
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def cases(world):
    """North: Robin on a plan for over a year and looked after; Sky on a repeat plan.
    South: Ellis on a plan for over a year."""
    PlanFactory(child=world.child, start_date=dt.date(2025, 3, 1))
    PlanFactory(
        child=world.sibling,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 1),
        end_reason="other",
    )
    PlanFactory(child=world.sibling, start_date=dt.date(2026, 2, 1), initial_category="EMO")
    PlanFactory(child=world.south_child, start_date=dt.date(2025, 1, 5))
    LookedAfterEpisodeFactory(child=world.child, started_on=dt.date(2026, 3, 1))
    return world


def _pages(world) -> list[str]:
    return [
        reverse("reporting:dashboard"),
        *(reverse("reporting:table_csv", args=[name]) for name in TABLES),
        reverse("reporting:monthly_lists"),
        *(reverse("reporting:monthly_list_csv", args=[name]) for name in LISTS),
    ]


class _TableReader(HTMLParser):
    """The text of each cell of the table with a given id, row by row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("th", "td"):
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_table(page: str, table_id: str) -> list[list[str]]:
    reader = _TableReader(table_id)
    reader.feed(page)
    return reader.rows


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_shown(value: str) -> str:
    """A CSV value as the HTML table shows it."""
    for parse in (int, float, dt.date.fromisoformat):
        try:
            return format_value(parse(value)) if value else format_value(None)
        except ValueError:
            continue
    return value


def chart(page: str, name: str) -> ET.Element:
    svg = re.search(rf'<svg id="chart-{name}".*?</svg>', page, flags=re.DOTALL).group(0)
    return ET.fromstring(svg)  # noqa: S314 - our own server's SVG, in a test


# --- Access ----------------------------------------------------------------------------------


def test_every_page_needs_sign_in(client, world):
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert client.post(reverse("reporting:refresh"), {"year": 2027}).status_code == 302
    assert client.get(reverse("api:indicators")).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_the_dashboard_is_for_the_senior_iro_managers_and_auditors(clients, cases, role):
    for url in _pages(cases):
        # IROs open the monthly lists too (tests/reporting/test_monthly_lists_email.py).
        lists = role == Role.IRO and "monthly-lists" in url
        expected = 200 if role in VIEWERS or lists else 403
        if role == Role.DISTRICT_MANAGER and "districts.csv" in url:
            continue  # no district table for one district: below
        assert clients[role].get(url).status_code == expected, url


@pytest.mark.parametrize("role", list(Role))
def test_only_the_senior_iro_and_managers_may_refresh(
    clients, cases, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients[role].post(reverse("reporting:refresh"), {"year": 2027})
    if role in REFRESHERS:
        snapshot = IndicatorSnapshot.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("reporting:snapshot", args=[snapshot.pk])
        assert snapshot.requested_by == cases.users[role]
        assert snapshot.status == IndicatorSnapshot.Status.DONE
    else:
        assert response.status_code == 403
        assert not IndicatorSnapshot.objects.exists()


def test_refresh_needs_a_post(clients, cases):
    assert clients[Role.SENIOR_IRO].get(reverse("reporting:refresh")).status_code == 405


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.SENIOR_IRO, True),
        (Role.DISTRICT_MANAGER, True),
        (Role.DIRECTORATE_MANAGER, True),
        (Role.AUDITOR, True),
        (Role.IRO, False),
        (Role.BUSINESS_SUPPORT, False),
    ],
)
def test_navigation_offers_the_dashboard_to_those_who_use_it(clients, role, shown):
    text = clients[role].get(reverse("children:search")).text
    nav = text[text.index('id="navigation"') : text.index("</nav>")]
    assert ("Dashboard" in nav) == shown


def test_a_district_manager_sees_their_own_districts_figures(clients, cases):
    page = clients[Role.DISTRICT_MANAGER].get(reverse("reporting:dashboard")).text
    assert "Northbridge (your district)" in page and 'id="id_district"' not in page
    stock = csv_rows(clients[Role.DISTRICT_MANAGER].get(_csv("monthly_stock")))
    assert stock[-1][-1] == "2"  # Robin and Sky, not Ellis in the south
    whole = csv_rows(clients[Role.SENIOR_IRO].get(_csv("monthly_stock")))
    assert whole[-1][-1] == "3"
    assert "districts" not in page.split('id="contents-heading"')[1].split("</nav>")[0].lower()


def _csv(name: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("reporting:table_csv", args=[name]) + (f"?{query}" if query else "")


def test_a_district_manager_cannot_see_another_district(clients, cases):
    manager, south = clients[Role.DISTRICT_MANAGER], cases.south.pk
    for url in _pages(cases):
        assert manager.get(url, {"district": south}).status_code == 404, url
    refused = manager.post(reverse("reporting:refresh"), {"year": 2027, "district": south})
    assert refused.status_code == 404
    assert manager.get(reverse("api:indicators"), {"district": south}).status_code == 404
    for district in (cases.south, None):  # another district's snapshot, or the authority's
        snapshot = IndicatorSnapshot.objects.create(year=2027, district=district)
        assert manager.get(reverse("reporting:snapshot", args=[snapshot.pk])).status_code == 404
        api = manager.get(reverse("api:snapshot-detail", args=[snapshot.pk]))
        assert api.status_code == 404
    assert manager.get(reverse("api:snapshot-list")).json() == []


@pytest.mark.parametrize("district", ["999999", "north"])
def test_an_unknown_district_is_not_found(clients, cases, district):
    response = clients[Role.SENIOR_IRO].get(reverse("reporting:dashboard"), {"district": district})
    assert response.status_code == 404


def test_a_year_not_in_the_list_is_explained(clients, cases):
    senior = clients[Role.SENIOR_IRO]
    page = senior.get(reverse("reporting:dashboard"), {"year": "1066"}).text
    assert "There is a problem" in page and "Select a valid choice" in page
    assert 'id="chart-' not in page
    assert senior.get(_csv("caseloads", year=1066)).status_code == 400
    assert senior.get(reverse("reporting:table_csv", args=["nothing"])).status_code == 404


# --- Figures, tables, CSVs and charts --------------------------------------------------------


def test_each_csv_has_the_same_figures_as_its_table(clients, cases):
    senior = clients[Role.SENIOR_IRO]
    page = senior.get(reverse("reporting:dashboard")).text
    for name in TABLES:
        response = senior.get(_csv(name))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{name}-2026-27-whole-authority.csv"'
        )
        rows = csv_rows(response)
        table = html_table(page, f"table-{name}")
        assert table[0] == rows[0], name  # the headings
        assert table[1:] == [[as_shown(value) for value in row] for row in rows[1:]], name
        assert len(rows) > 1, name


def test_each_chart_is_an_svg_with_a_title_for_screen_readers(clients, cases):
    page = clients[Role.DIRECTORATE_MANAGER].get(reverse("reporting:dashboard")).text
    svg = "{http://www.w3.org/2000/svg}"
    for name in CHARTS:
        root = chart(page, name)
        assert root.get("role") == "img"
        title = root.find(f"{svg}title")
        assert root[0] is title and root.get("aria-labelledby") == title.get("id")
        assert title.text == re.search(
            rf'id="table-{name}">\s*<caption[^>]*>([^<]+)</caption>', page
        ).group(1)
        assert root.find(f"{svg}desc").text


def test_chart_text_is_escaped(clients, cases):
    IROProfileFactory(user=UserFactory(first_name="<b>Ann", last_name="O&Hara"))
    page = clients[Role.SENIOR_IRO].get(reverse("reporting:dashboard")).text
    root = chart(page, "caseloads")  # parses: nothing unescaped broke the XML
    texts = " ".join("".join(node.itertext()) for node in root.iter())
    assert "<b>Ann O&Hara" in texts
    assert "<b>Ann" not in page.replace("&lt;b&gt;Ann", "")


@pytest.fixture
def _with_a_worker():
    """As in production: tasks go to a worker (here none runs them), not into the request."""
    celery_app.conf.task_always_eager = False


def test_the_dashboard_reads_the_latest_stored_figures_and_says_when(
    clients, cases, django_capture_on_commit_callbacks, _with_a_worker
):
    with django_capture_on_commit_callbacks(execute=False):
        snapshot, _ = services.snapshot_request(year=2027, district=None, by=None)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    senior = clients[Role.SENIOR_IRO]
    page = senior.get(reverse("reporting:dashboard")).text
    assert "Figures as at <strong>10 May 2026 at 3:00pm</strong>" in page
    assert "by the nightly refresh" in page
    assert "Records have changed" not in page
    assert csv_rows(senior.get(_csv("monthly_stock")))[-1][-1] == "3"
    assert IndicatorSnapshot.objects.count() == 1  # nothing changed: nothing asked for


def test_after_records_change_the_stored_figures_show_and_newer_ones_are_asked_for_once(
    clients, cases, django_capture_on_commit_callbacks, _with_a_worker
):
    with django_capture_on_commit_callbacks(execute=False):
        snapshot, _ = services.snapshot_request(year=2027, district=None, by=None)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        PlanFactory(start_date=dt.date(2026, 5, 9))  # after the figures: not in them
    senior = clients[Role.SENIOR_IRO]
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        page = senior.get(reverse("reporting:dashboard")).text
        again = senior.get(reverse("reporting:dashboard")).text
    assert "Figures as at <strong>10 May 2026 at 3:00pm</strong>" in page
    assert "Records have changed since then: newer figures are being worked out." in page
    assert "The figures are being refreshed (0 of" in again
    assert csv_rows(senior.get(_csv("monthly_stock")))[-1][-1] == "3"  # still the stored ones
    newer = IndicatorSnapshot.objects.get(status=IndicatorSnapshot.Status.QUEUED)
    assert (newer.reason, newer.requested_by) == ("records_changed", None)
    assert IndicatorSnapshot.objects.count() == 2  # two visits, one request
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        services.snapshot_compute(snapshot_id=newer.pk)  # the worker's part
    with time_machine.travel(NOW + dt.timedelta(minutes=31), tick=False):
        page = senior.get(reverse("reporting:dashboard")).text
    assert "Figures as at <strong>10 May 2026 at 3:30pm</strong>" in page
    assert "stored after records changed" in page
    assert csv_rows(senior.get(_csv("monthly_stock")))[-1][-1] == "4"


def test_a_year_with_no_stored_figures_queues_them_shows_progress_and_computes_nothing(
    clients, cases, monkeypatch, django_assert_max_num_queries, _with_a_worker
):
    def never(*args, **kwargs):
        raise AssertionError("a page computed a measure")

    monkeypatch.setattr("reporting.services.snapshot_compute", never)
    monkeypatch.setattr("reporting.charts.chart_svg", never)
    for name in ("ni67", "monthly_stock", "district_breakdown"):
        monkeypatch.setattr(f"reporting.metrics.{name}", never, raising=False)
    with django_assert_max_num_queries(20):
        page = clients[Role.AUDITOR].get(reverse("reporting:dashboard"), {"year": 2025}).text
    assert "The figures for 2024/25 for the whole authority are being worked out" in page
    assert "0 of" in page and "See the progress" in page
    queued = IndicatorSnapshot.objects.get()
    assert (queued.year, queued.status, queued.reason) == (2025, "queued", "first_look")
    # the API says the same: 202, with where to follow the computation
    api = clients[Role.AUDITOR].get(reverse("api:indicators"), {"year": 2025})
    assert api.status_code == 202
    assert api.json()["status_url"].endswith(f"/api/snapshots/{queued.pk}/")
    assert IndicatorSnapshot.objects.count() == 1
    # a table's CSV has nothing to give yet: back to the dashboard, which shows progress
    csv = clients[Role.AUDITOR].get(_csv("monthly_stock", year=2025))
    assert csv.status_code == 302 and csv.url.startswith(reverse("reporting:dashboard"))


def test_without_a_worker_the_first_look_computes_and_stores_them(clients, cases):
    page = clients[Role.AUDITOR].get(reverse("reporting:dashboard")).text
    assert "Figures as at <strong>10 May 2026 at 3:00pm</strong>" in page
    assert "stored when they were first looked at" in page
    assert "Refresh figures" not in page  # auditors only read
    stored = IndicatorSnapshot.objects.get()
    assert (stored.status, stored.reason) == ("done", "first_look")
    assert set(stored.charts) == set(CHARTS)


def test_another_years_figures(clients, cases):
    page = clients[Role.SENIOR_IRO].get(reverse("reporting:dashboard"), {"year": 2026}).text
    assert "Whole authority, 1 April 2025 to 31 March 2026" in page
    assert "shown for the current year only" in page


def test_the_dashboard_query_count_is_pinned(
    clients, cases, django_assert_max_num_queries, monkeypatch
):
    senior = clients[Role.SENIOR_IRO]
    senior.get(reverse("reporting:dashboard"))  # the first look stores the figures
    drawn = []
    monkeypatch.setattr("reporting.views.chart_svg", lambda table: drawn.append(table) or "")
    # Stored: session, user, the years to offer (2), the snapshot, when records last changed,
    # any refresh running, the districts to offer. Never a measure, whatever the records.
    with django_assert_max_num_queries(8):
        assert senior.get(reverse("reporting:dashboard")).status_code == 200
    assert drawn == []  # the charts were drawn once, when the figures were stored


# --- Refresh and progress --------------------------------------------------------------------


def test_a_refresh_shows_its_progress_page_then_the_finished_time(
    clients, cases, django_capture_on_commit_callbacks
):
    senior = clients[Role.SENIOR_IRO]
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit
        response = senior.post(
            reverse("reporting:refresh"), {"year": 2027, "district": cases.north.pk}
        )
    response = senior.get(response.url)
    page = response.text
    assert "Figures refreshed" in page
    assert "Figures as at 10 May 2026 at 3:00pm" in page
    assert f"/dashboard/?year=2027&amp;district={cases.north.pk}" in page


def test_the_progress_page_of_a_running_refresh(clients, cases):
    snapshot = IndicatorSnapshot.objects.create(
        year=2027, status=IndicatorSnapshot.Status.RUNNING, steps_done=5, steps_total=29
    )
    page = clients[Role.AUDITOR].get(reverse("reporting:snapshot", args=[snapshot.pk])).text
    assert '<progress class="app-progress" id="snapshot-progress-bar" max="29" value="5">' in page
    assert "5 of 29 measures computed" in page and 'aria-live="polite"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    dashboard = clients[Role.SENIOR_IRO].get(reverse("reporting:dashboard")).text
    assert "being worked out for the first time: 5 of 29 measures done" in dashboard


def test_asking_again_while_a_refresh_runs_goes_to_that_refresh(clients, cases):
    running = IndicatorSnapshot.objects.create(year=2027, status=IndicatorSnapshot.Status.RUNNING)
    response = clients[Role.DIRECTORATE_MANAGER].post(
        reverse("reporting:refresh"), {"year": 2027}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:snapshot", args=[running.pk])
    assert "These figures were already being refreshed." in response.text


def test_a_failed_refresh_says_so_and_what_went_wrong(clients, cases):
    failed = IndicatorSnapshot.objects.create(
        year=2027, status=IndicatorSnapshot.Status.FAILED, error="RuntimeError: broke"
    )
    page = clients[Role.SENIOR_IRO].get(reverse("reporting:snapshot", args=[failed.pk])).text
    assert "Failed" in page and "RuntimeError: broke" in page and "none were stored" in page
    assert "<noscript>" not in page


# --- Monthly lists (§6.3.4) ------------------------------------------------------------------


def test_the_monthly_lists_of_a_district_manager_hold_their_district_only(clients, cases):
    manager = clients[Role.DISTRICT_MANAGER]
    page = manager.get(reverse("reporting:monthly_lists")).text  # at 30 April 2026
    over = html_table(page, "table-plans-over-12-months")
    assert [row[0] for row in over[1:]] == ["Robin Ashdown"]  # not Ellis, in the south
    assert over[1][3:] == ["1 Mar 2025", "13", "Neglect"]
    repeat = html_table(page, "table-repeat-plans")
    assert repeat[1:] == [
        ["Sky Ashdown", cases.sibling.local_id, "Northbridge", "1 Feb 2026", "1 Dec 2024"]
    ]
    looked_after = html_table(page, "table-looked-after")
    assert (
        looked_after[1][0] == "Robin Ashdown" and "Accommodated under section 20" in looked_after[1]
    )
    for name in LISTS:
        rows = csv_rows(manager.get(reverse("reporting:monthly_list_csv", args=[name])))
        table = html_table(page, f"table-{name}")
        assert table[1:] == [[as_shown(value) for value in row] for row in rows[1:]], name


def test_the_senior_iro_sees_every_districts_list_and_can_choose_one(clients, cases):
    senior = clients[Role.SENIOR_IRO]
    page = senior.get(reverse("reporting:monthly_lists"), {"on": "2026-04-30"}).text
    names = [row[0] for row in html_table(page, "table-plans-over-12-months")[1:]]
    assert names == ["Ellis Brackwater", "Robin Ashdown"]  # longest first
    south = senior.get(reverse("reporting:monthly_lists"), {"district": cases.south.pk}).text
    assert [r[0] for r in html_table(south, "table-plans-over-12-months")[1:]] == [
        "Ellis Brackwater"
    ]


def test_a_long_list_shows_its_first_rows_then_pages_and_the_csv_holds_every_row(clients, cases):
    PlanFactory.create_batch(
        60, child__household__district=cases.north, start_date=dt.date(2024, 6, 1)
    )
    senior = clients[Role.SENIOR_IRO]
    lists = reverse("reporting:monthly_lists")
    page = senior.get(lists, {"on": "2026-04-30"}).text
    assert "Plans over 12 months (62)" in page  # the 60, Robin's and Ellis's
    assert len(html_table(page, "table-plans-over-12-months")) == 1 + 25
    assert "Showing 1 to 25 of 62." in page
    assert "Repeat plans (1)" in page and "Showing 1 to 1" not in page  # short: all shown
    one = {"on": "2026-04-30", "list": "plans-over-12-months"}
    first = senior.get(lists, one).text
    assert len(html_table(first, "table-plans-over-12-months")) == 1 + 50
    assert "Showing 1 to 50 of 62." in first and 'class="govuk-pagination"' in first
    assert "table-repeat-plans" not in first  # one list on its own
    second = senior.get(lists, {**one, "page": 2}).text
    rows = html_table(second, "table-plans-over-12-months")[1:]
    assert len(rows) == 12 and "Showing 51 to 62 of 62." in second
    everything = csv_rows(
        senior.get(
            reverse("reporting:monthly_list_csv", args=["plans-over-12-months"]),
            {"on": "2026-04-30"},
        )
    )
    assert len(everything) == 1 + 62
    assert senior.get(lists, {"list": "nothing-like-it"}).status_code == 404


def test_a_csv_cell_that_looks_like_a_formula_arrives_as_text(clients, cases):
    cases.child.first_name = "=HYPERLINK(1)"
    cases.child.save()
    response = clients[Role.SENIOR_IRO].get(
        reverse("reporting:monthly_list_csv", args=["looked-after"])
    )
    assert csv_rows(response)[1][0] == "'=HYPERLINK(1) Ashdown"


# --- API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_the_indicators_api_by_role(clients, cases, role):
    response = clients[role].get(reverse("api:indicators"), {"year": 2026})
    if role not in VIEWERS:
        assert response.status_code == 403
        assert response.json()["detail"] == "Your role does not use the dashboard."
        return
    data = response.json()
    assert data["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    expected = "Northbridge" if role == Role.DISTRICT_MANAGER else None
    assert data["district"] == expected
    assert ("districts" in data) == (expected is None)


def test_the_indicators_api_explains_a_bad_year_or_district(clients, cases):
    api = clients[Role.SENIOR_IRO]
    response = api.get(reverse("api:indicators"), {"year": "twenty"})
    assert response.status_code == 400 and "year" in response.json()
    assert api.get(reverse("api:indicators"), {"year": 1800}).status_code == 400
    missing = api.get(reverse("api:indicators"), {"district": 999999})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No district found that you can see."}
    current = api.get(reverse("api:indicators")).json()
    assert current["period"] == {"start": "2026-04-01", "end": "2026-05-10"}


@pytest.mark.parametrize("role", list(Role))
def test_requesting_a_snapshot_through_the_api(
    clients, cases, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients[role].post(reverse("api:snapshot-list"), {"year": 2027})
    if role not in REFRESHERS:
        assert response.status_code == 403
        return
    body = response.json()
    assert response.status_code == 202 and body["created"] is True
    assert response["Location"] == body["status_url"]
    status = clients[role].get(body["status_url"]).json()
    assert status["status"] == "done" and status["data"]["period"]["end"] == "2026-05-10"
    expected = "Northbridge" if role == Role.DISTRICT_MANAGER else "Whole authority"
    assert status["district_name"] == expected


def test_the_snapshot_api_lists_only_what_the_user_may_see(clients, cases):
    IndicatorSnapshot.objects.create(year=2027, district=cases.north)
    IndicatorSnapshot.objects.create(year=2027, district=cases.south)
    IndicatorSnapshot.objects.create(year=2026)
    names = lambda role, **q: sorted(  # noqa: E731
        s["district_name"] for s in clients[role].get(reverse("api:snapshot-list"), q).json()
    )
    assert names(Role.AUDITOR) == ["Northbridge", "Southmoor", "Whole authority"]
    assert names(Role.AUDITOR, year=2026) == ["Whole authority"]
    assert names(Role.DISTRICT_MANAGER) == ["Northbridge"]
    assert names("other_district_manager") == ["Southmoor"]
    assert clients[Role.IRO].get(reverse("api:snapshot-list")).status_code == 403
    bad = clients[Role.AUDITOR].get(reverse("api:snapshot-list"), {"year": "x"})
    assert bad.status_code == 400


def test_the_schema_documents_the_indicators_and_snapshots(clients):
    schema = clients[Role.AUDITOR].get(reverse("api:schema")).content
    for path in (b"/api/indicators/", b"/api/snapshots/", b"/api/snapshots/{id}/"):
        assert path in schema
