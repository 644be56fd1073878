"""The Senior IRO in a real browser: starts the report, edits a section (a wrong figure name is
refused with an error summary), previews it, asks for a PDF and downloads it; the PDF's status
page shows its progress; a directorate manager checks what approval freezes, then confirms.
axe finds no WCAG 2.2 AA violation on the edit, preview, status and check pages."""

import re
import threading

import pytest
from playwright.sync_api import Page, expect

from people.models import Role

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
    expect(page.get_by_text("Ready:")).to_be_visible(timeout=60_000)
    expect(page.locator("progress")).to_have_attribute("value", "3")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == "iro-annual-report-2011-12-draft-v1.pdf"
    path = tmp_path / "downloaded.pdf"
    download.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"


def test_the_pdf_is_made_beside_the_page_and_approval_is_checked_first(
    page: Page, live_server, world, year_records, settings, monkeypatch, request
):
    """As in `make run` (eager tasks, no worker): the page answers at once and shows the steps
    as they happen; then a directorate manager checks what approval freezes and confirms."""
    from annual_report import services
    from iro_service.celery import app as celery_app

    settings.ANNUAL_REPORT_PDF_IN_THREAD = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    request.addfinalizer(lambda: setattr(celery_app.conf, "task_always_eager", previous))
    writing, release = threading.Event(), threading.Event()
    render = services.pdf.render_pdf

    def render_when_released(html):  # hold the last step until the page has shown it
        writing.set()
        release.wait(30)
        return render(html)

    monkeypatch.setattr(services.pdf, "render_pdf", render_when_released)
    services.report_create(year=2012, by=world.users[Role.SENIOR_IRO])
    page.set_default_timeout(60_000)
    sign_in(page, live_server.url, "senior_iro")
    page.goto(f"{live_server.url}/annual-report/2012/")
    page.get_by_role("button", name="Make a PDF").click()
    expect(page.get_by_role("heading", name="Draft 1 (PDF)")).to_be_visible()
    status = page.get_by_role("status")
    # The script updates the status region in place while the PDF is being made.
    expect(status).to_have_text("Making the PDF: 67% done. Step 3 of 3: Writing the PDF.")
    expect(page.locator("#version-figures-as-at")).not_to_have_text("Not computed yet")
    assert writing.is_set()
    assert axe_violations(page) == []
    release.set()
    expect(status).to_have_text(re.compile(r"^Ready: \d+ pages"), timeout=60_000)
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert page.get_by_text("being made").count() == 0

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "directorate_manager")
    page.goto(f"{live_server.url}/annual-report/2012/")
    page.get_by_role("button", name="Approve draft 1").click()
    expect(page.get_by_role("heading", name="Check before you approve draft 1")).to_be_visible()
    expect(page.get_by_text("You cannot undo an approval.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Go back without approving").click()
    expect(page.get_by_text("Not yet approved.")).to_be_visible()
    page.get_by_role("button", name="Approve draft 1").click()
    page.get_by_role("button", name="Confirm and approve").click()
    expect(page.get_by_role("heading", name="Approved version (PDF)")).to_be_visible()
    expect(page.get_by_text("The annual report for 2011/12 is approved.")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"^Ready: \d+ pages"), timeout=60_000
    )
