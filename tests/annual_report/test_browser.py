"""The Senior IRO in a real browser: starts the report, edits a section (a wrong figure name is
refused with an error summary), previews it, asks for a PDF and downloads it. axe finds no
WCAG 2.2 AA violation on the edit and preview pages."""

import pytest
from playwright.sync_api import Page, expect

from ..test_browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senior_iro_edits_previews_and_downloads_the_report(
    page: Page, live_server, world, year_records, tmp_path
):
    page.set_default_timeout(60_000)  # making the PDF takes seconds
    sign_in(page, live_server.url, "senior_iro")
    page.get_by_role("link", name="Annual report").click()
    expect(page.get_by_role("heading", name="Annual reports")).to_be_visible()
    page.get_by_label("Reporting year").select_option(label="2011/12")
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", name="Annual report 2011/12", level=1)).to_be_visible()

    page.get_by_role("link", name="Change Foreword").click()
    expect(page.get_by_role("heading", name="Foreword", level=1)).to_be_visible()
    assert axe_violations(page) == []
    text = page.get_by_label("Text")
    text.fill("## Our year\nWe reviewed [[ni99.percent]] of plans.\n- <b>bold?</b>")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("[[ni99.percent]] is not a figure the report knows")
    assert axe_violations(page) == []
    text.fill(
        "## Our year\nAt the year end [[plans_open_at_end.total]] children had a plan.\n- <b>bold?</b>"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Foreword” has been saved.")).to_be_visible()

    page.get_by_role("link", name="Preview the report").click()
    expect(page.get_by_role("heading", name="Annual Report 2011/12")).to_be_visible()
    expect(page.get_by_text("At the year end 2 children had a plan.")).to_be_visible()
    expect(page.get_by_text("<b>bold?</b>")).to_be_visible()  # shown as typed, not as markup
    assert axe_violations(page) == []

    page.get_by_role("link", name="Back to the annual report 2011/12").click()
    page.get_by_role("button", name="Make a PDF").click()
    expect(page.get_by_role("heading", name="Draft 1 (PDF)")).to_be_visible()
    expect(page.get_by_text("Ready:")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "3")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == "iro-annual-report-2011-12-draft-v1.pdf"
    path = tmp_path / "downloaded.pdf"
    download.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
