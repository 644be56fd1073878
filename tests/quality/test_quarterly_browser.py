"""The quarterly QA report in a browser: choosing a quarter and a district, with axe on the
page and on its error summary."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests.quality.test_quarterly_report import QUARTER, records  # noqa: F401
from tests.test_browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_iro_chooses_a_quarter_and_a_district(page: Page, live_server, records):  # noqa: F811
    sign_in(page, live_server.url, "senior_iro")
    page.goto(f"{live_server.url}/quality/report/")
    page.get_by_label("Quarter", exact=True).select_option(QUARTER)
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_text("Whole authority, January to March 2024")).to_be_visible()
    expect(
        page.get_by_role("table", name="Each district's figures for the quarter")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("District", exact=True).select_option(label="Northbridge")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_text("Northbridge, January to March 2024")).to_be_visible()
    expect(
        page.get_by_text("2 QA forms were completed for 4 conferences held: 50.0%.")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Parent and carer questionnaires returned each month")
    ).to_be_visible()
    assert axe_violations(page) == []
    if os.environ.get("QUARTERLY_SCREENSHOT"):
        page.set_viewport_size({"width": 1100, "height": 900})
        page.screenshot(path=os.environ["QUARTERLY_SCREENSHOT"], full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    assert download.value.suggested_filename == "quality-report-2024-01-north.pdf"


def test_an_unknown_quarter_is_explained(page: Page, live_server, records):  # noqa: F811
    sign_in(page, live_server.url, "auditor")
    page.goto(f"{live_server.url}/quality/report/?quarter=1999-01")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_role("link", name="Choose a quarter from the list").click()
    expect(page.get_by_label("Quarter", exact=True)).to_be_focused()
    assert axe_violations(page) == []
