"""The document portal (issue 15) in a real browser, as new users meet it, with axe on every
distinct page:

1. Business support asks the social worker, a police officer and a health visitor for their
   reports from the conference's invitees page; each gets an upload link by email.
2. Each agency, without an account, sends its report through its own link: the police officer
   a PDF; the health visitor the short agency report form, checked before it is sent; the
   social worker a Word document, after first choosing a Word document named report.pdf,
   which is refused with nothing sent.
3. Business support sees each report received with a download, shares them with the family
   (the mother by a link by email, the father by post) after a check, and records the printed
   reports as posted.
4. The mother opens her link from the email and downloads a report: the bytes sent.
5. The invitees page shows the shared times and when the link was first opened; the
   conference's report_shared_at is in time, so the QA form's fact is "yes"; every download
   is in the access audit.

The clock is held (ticking: the browser waits in real time) at Monday 8 March 2027, 9am:
before the reports' due date (10 March) and the sharing deadline (15 March, 10am) of the
review on Wednesday 17 March 2027 (portal_world.py)."""

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from audit.models import AccessEvent
from conferences.models import Conference, PortalLink, ReportDocument, ReportShare
from quality_assurance.services.qa_forms import prefill_for

from ..test_browser import axe_violations, sign_in
from .invitation_world import booked_world
from .portal_world import ANSWERS, LONDON, PDF_BYTES, docx_bytes, invite, links_in, private_reports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2027, 3, 8, 9, 0, tzinfo=LONDON)  # Monday 8 March 2027, 9am
TODAY = re.compile(r"8 Mar 2027, 09:\d\d")  # a time on the staff pages, the clock ticking
PDF = "application/pdf"
# Built once: a zip records the time it is made, so each docx_bytes() differs.
WORD = docx_bytes()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A folder to keep screenshots of the upload and family pages in, to look at: unset, none.
SCREENSHOTS = os.environ.get("IRO_PORTAL_SCREENSHOTS", "")
FORM_QUESTIONS = {
    "what_we_know": "What do you know about the child and family?",
    "worries": "What are you worried about?",
    "working_well": "What is working well?",
    "recommendation": "What do you recommend?",
}


@pytest.fixture
def invited(world, settings, tmp_path, monkeypatch):
    """portal_world's review and invitees, with no report asked for yet (business support
    asks in the browser); reports stored under tmp_path; no attempt counts left over."""
    private_reports(settings, tmp_path, monkeypatch)
    cache.clear()
    with time_machine.travel(NOW, tick=True):
        booked = booked_world(world)
        conference = booked.conference
        people = invite(conference)
        yield conference, people
    cache.clear()


def _checked(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def _on_this_server(base: str, link: str) -> str:
    """The emailed link (made with IRO_SITE_URL) on the live server."""
    parts = urlsplit(link)
    return f"{base}{parts.path}"


def _fresh_page(browser: Browser) -> Page:
    """A browser of someone with no account: no cookies, nobody signed in."""
    return browser.new_context(accept_downloads=True).new_page()


def _screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)


def _file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def _ask_for_reports(page: Page, base: str, conference: Conference) -> None:
    page.goto(f"{base}/conferences/{conference.pk}/invitees/")
    expect(page.get_by_role("heading", name="Invitees and reports")).to_be_visible()
    expect(page.get_by_text("No reports have been asked for yet.")).to_be_visible()
    _checked(page)
    page.get_by_role("link", name="Ask for reports").click()
    expect(page.get_by_role("heading", name="Ask for reports")).to_be_visible()
    # Agencies only: parents give their views, they are not asked for a report.
    expect(page.get_by_role("checkbox")).to_have_count(3)
    _checked(page)
    for name in ("Sam Okafor", "PC Dawn Hale", "Mo Reyes"):
        page.get_by_label(re.compile(f"^{name}, ")).check()
    page.get_by_role("button", name="Ask for the reports").click()
    expect(page.get_by_text("Report asked of")).to_be_visible()
    expect(page.get_by_text("Upload link not yet used")).to_have_count(3)


def _police_uploads_a_pdf(browser: Browser, url: str) -> None:
    page = _fresh_page(browser)
    page.goto(url)
    expect(page.get_by_role("heading", name="Send your report")).to_be_visible()
    expect(page.get_by_text("PC Dawn Hale, Police officer")).to_be_visible()
    expect(page.get_by_text("Wednesday 10 March 2027")).to_be_visible()  # due by
    body = page.content()
    for words in ("Robin", "Sky", "Ashdown", "Sign out"):  # nothing of the case, no account
        assert words not in body, words
    _checked(page)
    _screenshot(page, "portal-upload.png")
    page.get_by_label("Upload your report").set_input_files(_file("report.pdf", PDF_BYTES, PDF))
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"We received your report at 9(:\d\d)?am on Monday 8 March"))
    ).to_be_visible()
    _checked(page)
    # The link is used: opening it again says so, and nothing more can be sent through it.
    page.goto(url)
    expect(page.get_by_role("heading", name="This link has already been used")).to_be_visible()
    page.context.close()


def _health_visitor_fills_the_form(browser: Browser, url: str) -> None:
    page = _fresh_page(browser)
    page.goto(url)
    page.get_by_role("link", name="fill in the short agency report form").click()
    expect(page.get_by_role("heading", name="Agency report")).to_be_visible()
    _checked(page)
    for name, question in FORM_QUESTIONS.items():
        page.get_by_label(question).fill(ANSWERS[name])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your report before sending it")).to_be_visible()
    for answer in ANSWERS.values():
        expect(page.get_by_text(answer)).to_be_visible()
    _checked(page)
    assert not ReportDocument.objects.filter(report__author__name="Mo Reyes").exists()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    page.context.close()


def _social_worker_uploads_a_word_document(browser: Browser, url: str) -> None:
    page = _fresh_page(browser)
    page.goto(url)
    expect(page.get_by_text("Sam Okafor, Social worker")).to_be_visible()
    # First the wrong file: a Word document named .pdf. Refused, and nothing is sent.
    upload = page.get_by_label("Upload your report")
    upload.set_input_files(_file("report.pdf", WORD, PDF))
    page.get_by_role("button", name="Send the report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file is named .pdf but it is a Word document")
    expect(page.locator("#id_file-error")).to_contain_text("Check you chose the right file")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert not ReportDocument.objects.filter(report__author__name="Sam Okafor").exists()
    assert PortalLink.objects.get(invitee__name="Sam Okafor").used_at is None
    _checked(page)
    upload.set_input_files(_file("Report for conference.docx", WORD, DOCX))
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    page.context.close()


def _received(page: Page, base: str, conference: Conference) -> None:
    page.goto(f"{base}/conferences/{conference.pk}/invitees/")
    expect(page.get_by_text("Sent through their link")).to_have_count(3)
    reports = page.get_by_role("table", name=re.compile("Reports asked for"))
    for name, kind in (
        ("Sam Okafor", "Word"),
        ("PC Dawn Hale", "PDF"),
        ("Mo Reyes", "report form"),
    ):
        row = reports.get_by_role("row", name=re.compile(name))
        expect(row.get_by_role("cell").nth(1)).to_contain_text(TODAY)  # received
        expect(row.get_by_role("link", name=f"Download {name}'s report")).to_be_visible()
        expect(row).to_contain_text(f"({kind})")
        expect(row.get_by_role("cell").nth(2)).to_contain_text("Not yet")  # shared
    _checked(page)
    # Business support reads one: the bytes the social worker sent, and audited.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Sam Okafor's report").click()
    assert Path(download.value.path()).read_bytes() == WORD


def _share(page: Page) -> None:
    page.get_by_role("link", name="Share reports with the family").click()
    expect(page.get_by_role("heading", name="Share the reports with the family")).to_be_visible()
    expect(page.get_by_text("must reach the family by Monday 15 March 2027, 10:00")).to_be_visible()
    choices = page.get_by_role("group", name="Which reports to share").get_by_role("checkbox")
    expect(choices).to_have_count(3)
    for n in range(3):
        expect(choices.nth(n)).to_be_checked()
    _checked(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check before sharing the reports")).to_be_visible()
    assert not ReportShare.objects.exists()  # nothing shared by the check
    mother = page.locator(".govuk-summary-list__row", has_text="Jo Ashdown")
    expect(mother).to_contain_text("Link by email to jo@family.example: 3 reports")
    father = page.locator(".govuk-summary-list__row", has_text="Lee Ashdown")
    expect(father).to_contain_text("By post (no email address): 3 reports for you to print")
    _checked(page)
    page.get_by_role("button", name="Share the reports").click()
    expect(page.get_by_role("heading", name="Reports to post")).to_be_visible()
    expect(page.get_by_text("The reports are shared with Jo Ashdown by email.")).to_be_visible()
    expect(page.get_by_role("heading", name="Lee Ashdown")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("download the document to print"))
    ).to_have_count(
        2  # the uploaded files; the report form is in the covering PDF
    )
    _checked(page)
    page.get_by_role("button", name="Record them as posted").click()
    expect(page.get_by_text("The reports are recorded as posted to Lee Ashdown.")).to_be_visible()
    expect(page.get_by_role("heading", name="Invitees and reports")).to_be_visible()


def _mother_reads_the_reports(browser: Browser, url: str) -> None:
    page = _fresh_page(browser)
    page.goto(url)
    expect(page.get_by_role("heading", name="Reports for the conference")).to_be_visible()
    expect(
        page.get_by_text("Child protection conference on Wednesday 17 March 2027")
    ).to_be_visible()
    table = page.get_by_role("table", name="Reports shared with you")
    expect(table.get_by_role("row")).to_have_count(4)  # the header and three reports
    for role in ("Social worker", "Police officer", "Health visitor"):
        expect(table.get_by_role("rowheader", name=re.compile(f"^{role}"))).to_be_visible()
    _checked(page)
    _screenshot(page, "portal-family.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report from the police officer").click()
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    assert "Ashdown" not in download.value.suggested_filename
    page.context.close()


def test_reports_asked_for_sent_shared_and_read_through_the_portal(
    page: Page, browser: Browser, live_server, invited
):
    conference, people = invited
    base = live_server.url
    sign_in(page, base, "business_support")

    # 1. Business support asks for the three reports.
    before = len(mail.outbox)
    _ask_for_reports(page, base, conference)
    emailed = links_in(mail.outbox[before:])
    assert set(emailed) == {people[p].email for p in ("social_worker", "police", "health")}
    links = {
        who: _on_this_server(base, emailed[people[who].email])
        for who in ("social_worker", "police", "health")
    }

    # 2. Each agency sends its report through its link, with no account.
    _police_uploads_a_pdf(browser, links["police"])
    _health_visitor_fills_the_form(browser, links["health"])
    _social_worker_uploads_a_word_document(browser, links["social_worker"])
    documents = {
        d.report.author.name: d for d in ReportDocument.objects.select_related("report__author")
    }
    assert set(documents) == {"Sam Okafor", "PC Dawn Hale", "Mo Reyes"}
    assert documents["PC Dawn Hale"].file.read() == PDF_BYTES
    assert documents["Sam Okafor"].file.read() == WORD
    assert documents["Sam Okafor"].original_name == "Report for conference.docx"
    assert (
        documents["Mo Reyes"].form == "template"
        and documents["Mo Reyes"].worries == ANSWERS["worries"]
    )

    # 3. Business support sees them in, and shares them with the family.
    before = len(mail.outbox)
    _received(page, base, conference)
    _share(page)
    family_link = links_in(mail.outbox[before:])[people["mother"].email]
    assert "/documents/family/" in family_link

    # 4. The mother reads them from her email.
    _mother_reads_the_reports(browser, _on_this_server(base, family_link))

    # 5. Business support sees what reached the family, and when.
    page.goto(f"{base}/conferences/{conference.pk}/invitees/")
    reports = page.get_by_role("table", name=re.compile("Reports asked for"))
    for name in ("Sam Okafor", "PC Dawn Hale", "Mo Reyes"):
        row = reports.get_by_role("row", name=re.compile(name))
        expect(row.get_by_role("cell").nth(2)).to_contain_text(TODAY)
    mother = page.locator(".govuk-summary-list__row", has_text="Jo Ashdown")
    expect(mother).to_contain_text(
        re.compile(r"3 reports shared, first 8 Mar 2027, 09:\d\d \(link by email\)")
    )
    expect(mother).to_contain_text(re.compile(r"Link first opened 8 Mar 2027, 09:\d\d"))
    father = page.locator(".govuk-summary-list__row", has_text="Lee Ashdown")
    expect(father).to_contain_text("(printed and posted)")
    expect(page.get_by_text(re.compile(r"Shared 8 March 2027, 09:\d\d"))).to_be_visible()
    expect(page.get_by_role("link", name="Share reports with the family")).to_be_visible()
    _checked(page)

    conference.refresh_from_db()
    assert conference.report_shared_at is not None
    assert NOW <= conference.report_shared_at <= conference.report_share_due_by
    assert prefill_for(conference)["report_shared_in_time"].answer == "yes"
    assert ReportShare.objects.filter(invitee=people["mother"], method="email").count() == 3
    assert ReportShare.objects.filter(invitee=people["father"], method="post").count() == 3
    children = set(conference.children.values_list("pk", flat=True))
    staff_reads = AccessEvent.objects.filter(what="conference report")
    assert {e.child_id for e in staff_reads} == children
    assert all(
        e.user.username == "business_support" and e.detail == {"report": documents["Sam Okafor"].pk}
        for e in staff_reads
    )
    family_link_row = PortalLink.objects.get(invitee=people["mother"], purpose="family")
    family_reads = AccessEvent.objects.filter(
        what="conference report, read through the family's link"
    )
    assert {e.child_id for e in family_reads} == children
    assert all(
        e.user_id is None
        and e.detail == {"report": documents["PC Dawn Hale"].pk, "link": family_link_row.pk}
        for e in family_reads
    )
