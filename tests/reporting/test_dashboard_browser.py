"""The dashboard in a real browser: filters, charts with their tables, a refresh and its
progress, checked with axe-core. Celery runs eagerly, so a refresh finishes within its request;
the polling progress page is tested with a snapshot the test finishes itself."""

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from iro_service.celery import app as celery_app
from reporting.models import IndicatorSnapshot

from ..factories import LONDON, LookedAfterEpisodeFactory, PlanFactory
from ..test_browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOW = dt.datetime(2026, 5, 10, 15, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _clock_and_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with time_machine.travel(NOW, tick=True):
        yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def cases(world):
    PlanFactory(child=world.child, start_date=dt.date(2024, 11, 1))
    PlanFactory(
        child=world.sibling,
        start_date=dt.date(2025, 5, 1),
        end_date=dt.date(2026, 1, 15),
        end_reason="other",
    )
    PlanFactory(child=world.south_child, start_date=dt.date(2025, 9, 1))
    LookedAfterEpisodeFactory(child=world.child, started_on=dt.date(2026, 3, 1))
    return world


def _moment(value: dt.datetime) -> str:
    local = value.astimezone(LONDON)
    return f"{local:%-d %B %Y} at {local:%-I:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def test_senior_iro_filters_the_dashboard_and_refreshes_the_figures(page: Page, live_server, cases):
    sign_in(page, live_server.url, "senior_iro")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("stored when they were first looked at")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Reporting year").select_option("2026")
    page.get_by_label("District", exact=True).select_option(label="Northbridge")
    page.get_by_role("button", name="Show figures").click()

    expect(page.get_by_text("Northbridge, 1 April 2025 to 31 March 2026")).to_be_visible()
    chart = page.get_by_role("img", name="Children on plans per IRO on 31 March 2026")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Children on plans per IRO on 31 March 2026")
    expect(table).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("How long the 1 plans"))).to_be_visible()
    # Every table but the districts' (one district is chosen) has its CSV: indicators,
    # caseloads, plans at month ends, durations, feedback, QA themes and two of escalations.
    expect(page.get_by_role("link", name=re.compile("Download CSV"))).to_have_count(8)
    expect(
        page.get_by_role("table", name="Escalations raised in the year", exact=True)
    ).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Refresh figures").click()
    expect(page.get_by_role("heading", name="Figures refreshed")).to_be_visible()
    snapshot = IndicatorSnapshot.objects.get(reason="asked")
    assert (snapshot.year, snapshot.district, snapshot.status) == (2026, cases.north, "done")
    as_at = f"Figures as at {_moment(snapshot.data_as_of)}"
    expect(page.get_by_text(as_at)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="View the figures on the dashboard").click()
    expect(page.locator("#figures-as-at")).to_contain_text(as_at)
    expect(page.locator("#figures-as-at")).to_contain_text("when Senior")


def test_the_progress_page_updates_itself_until_the_figures_are_stored(
    page: Page, live_server, cases
):
    snapshot = IndicatorSnapshot.objects.create(
        year=2027, status=IndicatorSnapshot.Status.RUNNING, steps_done=3, steps_total=29
    )
    sign_in(page, live_server.url, "directorate_manager")
    page.goto(f"{live_server.url}/dashboard/snapshots/{snapshot.pk}/")
    expect(page.get_by_text("3 of 29 measures computed")).to_be_visible()
    expect(page.get_by_label("Measures computed")).to_have_attribute("value", "3")
    assert axe_violations(page) == []

    IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(steps_done=17)
    expect(page.get_by_text("17 of 29 measures computed")).to_be_visible(timeout=10_000)
    finished = dt.datetime(2026, 5, 10, 15, 1, tzinfo=LONDON)
    IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(
        status="done", steps_done=29, data_as_of=finished, finished_at=finished
    )
    expect(page.get_by_role("heading", name="Figures refreshed")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Figures as at 10 May 2026 at 3:01pm")).to_be_visible()


def test_district_manager_sees_their_district_and_its_monthly_lists(page: Page, live_server, cases):
    sign_in(page, live_server.url, "district_manager")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text("Northbridge (your district)")).to_be_visible()
    expect(page.get_by_label("District", exact=True)).to_have_count(0)  # fixed: shown, not chosen
    assert axe_violations(page) == []
    page.get_by_role("link", name="Monthly lists of plans").click()
    expect(page.get_by_role("heading", name="Plans over 12 months (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Robin Ashdown")).to_have_count(2)  # and looked after
    expect(page.get_by_text("Ellis Brackwater")).to_have_count(0)  # in the south
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
