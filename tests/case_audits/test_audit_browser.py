"""A themed audit from start to the annual report, in a real browser (issue 15).

The Senior IRO starts an audit of repeat plans within 12 months from the list the system
builds (two children qualify; a third, whose earlier plan ended longer ago, is on the monthly
repeat plans list but not this one), answers each case's checklist with notes and findings,
sees the progress, writes the overall findings and actions, is stopped by the check page while
something is missing, then completes the audit there. axe finds no WCAG 2.2 AA violation on
any of the pages. The annual report's PDF for the year, made and downloaded in the browser,
lists the audit with its theme and findings. A district manager reads it (their district's
case only, with no way to change it); an IRO is refused."""

import datetime as dt
import re
import subprocess

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import Page, expect

from case_audits.models import AuditCase, CaseAudit, Theme
from case_audits.questions import CHECKLIST
from iro_service.celery import app as celery_app
from people.models import Role

from ..factories import LONDON, PlanFactory
from ..fixtures import client_for
from ..test_browser import axe_violations, sign_in
from .helpers import ended_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Monday 1 March 2027, in the reporting year 2026/27 (the annual report "2027").
NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=LONDON)
REPORT_YEAR, REPORT_LABEL = 2027, "2026/27"
AUDIT_NAME = "Repeat plans, March 2027"
THEME = "Repeat plans within 12 months of the previous plan ending"
OVERALL = "Both plans ended after a short improvement & before agencies had reported."
ACTIONS = "Chairs to ask for a sustained change of 3 months before a plan ends."
ROBIN_FINDINGS = "The plan ended 2 weeks after the parents engaged; no police check."
ELLIS_FINDINGS = "Targets had no dates; the school was never asked for a report."


@pytest.fixture(autouse=True)
def _clock_media_and_tasks(settings, tmp_path):
    """The clock on NOW (ticking: the browser waits in real time); PDFs in a temporary
    MEDIA_ROOT, made by an eager task where the request queued them; no figures cached."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ANNUAL_REPORT_PDF_IN_THREAD = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    with time_machine.travel(NOW, tick=True):
        yield
    cache.clear()
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def repeat_plans(world):
    """Robin (north) and Ellis (south) each started a plan within 12 months of an earlier one
    ending; Sky (north) started one too, but 2 years after the earlier one ended."""
    ended_plan(world.child, dt.date(2024, 6, 3), dt.date(2026, 5, 14))
    PlanFactory(child=world.child, start_date=dt.date(2027, 1, 11))
    ended_plan(world.south_child, dt.date(2025, 2, 3), dt.date(2026, 8, 20))
    PlanFactory(child=world.south_child, start_date=dt.date(2027, 2, 8), initial_category="EMO")
    ended_plan(world.sibling, dt.date(2023, 1, 9), dt.date(2024, 11, 29))
    PlanFactory(child=world.sibling, start_date=dt.date(2026, 12, 7))
    return world


def _answer(page: Page, answers: dict[str, tuple[str, str]]) -> None:
    """Answer checklist questions on a case page: {question key: (answer label, note)}."""
    for question in CHECKLIST:
        if question.key not in answers:
            continue
        answer, note = answers[question.key]
        group = page.get_by_role("group", name=question.label)
        group.get_by_label(answer, exact=True).check()
        # Each note is named by its question, as a screen reader announces it.
        page.get_by_role("textbox", name=f"Note on: {question.label}").fill(note)


def _pdf_text(path) -> str:
    """The PDF's text in reading order, with runs of white space (line and cell wraps) made
    single spaces."""
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return " ".join(text.split())


def test_senior_iro_audits_repeat_plans_and_the_annual_report_lists_it(
    page: Page, live_server, repeat_plans, tmp_path
):
    world = repeat_plans
    base = live_server.url
    page.set_default_timeout(60_000)  # making the PDF takes seconds
    sign_in(page, base, "senior_iro")

    # The list of audits, empty.
    page.get_by_role("link", name="Case audits").click()
    expect(page.get_by_role("heading", name="Case audits", level=1)).to_be_visible()
    expect(page.get_by_text("There are no audits yet.")).to_be_visible()
    assert axe_violations(page) == []

    # Start: the theme, and the date the list is taken (today unless changed).
    page.get_by_role("button", name="Start an audit").click()
    expect(page.get_by_role("heading", name="Which cases will you audit?")).to_be_visible()
    assert axe_violations(page) == []
    date = page.get_by_role("group", name="Date the list is taken")
    expect(date.get_by_label("Day")).to_have_value("1")
    expect(date.get_by_label("Month")).to_have_value("3")
    expect(date.get_by_label("Year")).to_have_value("2027")
    # No theme, and tomorrow's date (a list of cases that do not qualify yet): told both.
    date.get_by_label("Day").fill("2")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose what the audit is about")
    expect(summary).to_contain_text("The date the list is taken must be today or in the past")
    assert axe_violations(page) == []
    date.get_by_label("Day").fill("1")
    page.get_by_label(THEME).check()
    page.get_by_role("button", name="Continue").click()

    # The cases the list gives: Robin and Ellis, newest plan first, all selected; not Sky.
    expect(page.get_by_role("heading", name="Choose the cases")).to_be_visible()
    expect(page.get_by_text(f"{THEME}, as at 1 March 2027: the list gives 2 cases")).to_be_visible()
    cases = page.get_by_role("group", name="Cases to audit").get_by_role("checkbox")
    expect(cases).to_have_count(2)
    ellis = page.get_by_label(re.compile(r"^Ellis Brackwater .*Previous plan ended 20 August 2026"))
    robin = page.get_by_label(re.compile(r"^Robin Ashdown .*Previous plan ended 14 May 2026"))
    expect(ellis).to_be_checked()
    expect(robin).to_be_checked()
    expect(page.get_by_text("Sky Ashdown")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_label("Name of the audit").fill(AUDIT_NAME)
    page.get_by_role("button", name="Continue").click()

    # Check your answers, then start: the cases are fixed now.
    expect(
        page.get_by_role("heading", name="Check your answers before starting the audit")
    ).to_be_visible()
    expect(page.get_by_text("Cases (2)")).to_be_visible()
    assert axe_violations(page) == []
    assert not CaseAudit.objects.exists()
    page.get_by_role("button", name="Start the audit").click()

    # The task list: nothing done yet.
    expect(page.get_by_role("heading", name=AUDIT_NAME, level=1)).to_be_visible()
    expect(page.get_by_text("Audit started with 2 cases.")).to_be_visible()
    progress = page.locator("#progress")
    expect(progress).to_have_text("0 of 2 cases completed.")
    assert axe_violations(page) == []
    audit = CaseAudit.objects.get()
    assert (audit.theme, audit.list_taken_on) == (Theme.REPEAT_PLANS, NOW.date())
    assert [case.child for case in audit.cases.all()] == [world.south_child, world.child]

    # Ellis's case, part answered: in progress, and not counted as done.
    page.get_by_role("link", name="Ellis Brackwater").click()
    expect(page.get_by_role("heading", name="Ellis Brackwater", level=1)).to_be_visible()
    expect(page.get_by_text("From 8 February 2027, open (emotional abuse)")).to_be_visible()
    assert axe_violations(page) == []
    _answer(page, {"targets_clear": ("No", "No dates against any target.")})
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the findings for Ellis Brackwater.")).to_be_visible()
    expect(progress).to_have_text("0 of 2 cases completed.")
    ellis_case = audit.cases.get(child=world.south_child)
    expect(page.locator(f"#case-{ellis_case.pk}-status")).to_have_text("In progress")

    # Every question for Ellis, and the case's findings: completed.
    page.get_by_role("link", name="Ellis Brackwater").click()
    targets = page.get_by_role("group", name=CHECKLIST[0].label)
    expect(targets.get_by_label("No", exact=True)).to_be_checked()  # kept from the first save
    _answer(
        page,
        {
            "assessments_done": ("Partly", "The parenting assessment was late."),
            "agencies_informed": ("No", "The school was never asked."),
            "optimism_avoided": ("Yes", "Ended only after 6 months of change."),
        },
    )
    page.get_by_label("Findings for this case").fill(ELLIS_FINDINGS)
    page.get_by_role("button", name="Save").click()
    expect(progress).to_have_text("1 of 2 cases completed.")
    expect(page.locator(f"#case-{ellis_case.pk}-status")).to_have_text("Completed")

    # The check page before Robin's case and the overall findings: what is missing, and the
    # audit cannot be completed yet.
    page.get_by_role("button", name="Complete the audit").click()
    expect(
        page.get_by_role("heading", name="Check your answers before completing the audit")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Cases: 1 of 2 completed")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("1 case has not been completed")
    expect(summary).to_contain_text("Enter the audit's overall findings.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Complete the audit").click()
    expect(summary).to_contain_text("1 case has not been completed")
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.IN_PROGRESS

    # Robin's case, from the check page.
    page.get_by_role("link", name="Change the findings for Robin Ashdown").click()
    expect(page.get_by_role("heading", name="Robin Ashdown", level=1)).to_be_visible()
    _answer(
        page,
        {
            "targets_clear": ("Partly", "Two of the five targets had dates."),
            "assessments_done": ("Yes", "All done within the plan's timescales."),
            "agencies_informed": ("No", "Probation's risk assessment never came."),
            "optimism_avoided": ("No", "Ended after 2 weeks of engagement."),
        },
    )
    page.get_by_label("Findings for this case").fill(ROBIN_FINDINGS)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the findings for Robin Ashdown.")).to_be_visible()
    expect(progress).to_have_text("2 of 2 cases completed.")

    # The overall findings and actions.
    page.get_by_role("link", name="Change the overall findings").click()
    expect(page.get_by_role("heading", name="Overall findings and actions")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Overall findings").fill(OVERALL)
    page.get_by_label("Actions agreed").fill(ACTIONS)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the overall findings and actions.")).to_be_visible()
    expect(page.get_by_text(OVERALL)).to_be_visible()

    # Check, then complete.
    page.get_by_role("button", name="Complete the audit").click()
    expect(page.get_by_role("heading", name="Cases: 2 of 2 completed")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_text(ROBIN_FINDINGS)).to_be_visible()
    expect(page.get_by_text(ACTIONS)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Complete the audit").click()
    expect(page.get_by_text("Audit completed. It can no longer be changed.")).to_be_visible()
    expect(page.get_by_text("This audit has been completed.")).to_be_visible()
    expect(page.get_by_role("button", name="Complete the audit")).to_have_count(0)
    expect(page.get_by_role("link", name="Change the overall findings")).to_have_count(0)
    assert axe_violations(page) == []

    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.COMPLETED and audit.completed_on == NOW.date()
    assert (audit.overall_findings, audit.actions) == (OVERALL, ACTIONS)
    robin_case = audit.cases.get(child=world.child)
    assert robin_case.findings == ROBIN_FINDINGS
    assert robin_case.answers["optimism_avoided"] == {
        "answer": "no",
        "note": "Ended after 2 weeks of engagement.",
    }
    assert set(audit.cases.values_list("status", flat=True)) == {AuditCase.Status.COMPLETED}

    # A completed case reads as its answers, with no form.
    page.get_by_role("link", name="Robin Ashdown").click()
    expect(page.get_by_text("Probation's risk assessment never came.")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Back to the audit").click()
    page.get_by_role("link", name="Back to case audits").click()
    row = page.get_by_role("row", name=re.compile(AUDIT_NAME))
    expect(row).to_contain_text("2 of 2")
    expect(row).to_contain_text("Completed 1 Mar 2027")
    assert axe_violations(page) == []

    # The annual report for the year: start it, make the PDF and download it.
    page.get_by_role("link", name="Annual report").click()
    page.get_by_label("Reporting year").select_option(label=REPORT_LABEL)
    page.get_by_role("button", name="Start the report").click()
    expect(
        page.get_by_role("heading", name=f"Annual report {REPORT_LABEL}", level=1)
    ).to_be_visible()
    page.get_by_role("button", name="Make a PDF").click()
    expect(page.get_by_role("heading", name="Draft 1 (PDF)")).to_be_visible()
    expect(page.get_by_text("Ready:")).to_be_visible(timeout=120_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = _pdf_text(path)
    assert "Themed case audits completed in the year" in text
    assert "The Senior IRO completed 1 themed case audit in the year, of 2 cases in all." in text
    assert AUDIT_NAME in text
    assert THEME in text
    assert "1 March 2027" in text
    assert OVERALL in text  # as typed: "&", not "&amp;"


def test_a_district_manager_reads_their_districts_case_and_an_iro_is_refused(
    page: Page, live_server, repeat_plans
):
    """The audit above, started and completed through the pages (test client), then read in
    the browser by the north district manager."""
    world = repeat_plans
    senior = client_for(world.users[Role.SENIOR_IRO])
    senior.post(
        "/case-audits/new/",
        {
            "theme": Theme.REPEAT_PLANS,
            "list_taken_on_day": "1",
            "list_taken_on_month": "3",
            "list_taken_on_year": "2027",
        },
    )
    senior.post(
        "/case-audits/new/cases/",
        {"cases": [str(world.child.pk), str(world.south_child.pk)], "name": AUDIT_NAME},
    )
    assert senior.post("/case-audits/new/check/").status_code == 302
    audit = CaseAudit.objects.get()
    robin_case = audit.cases.get(child=world.child)
    ellis_case = audit.cases.get(child=world.south_child)
    for case, findings in ((robin_case, ROBIN_FINDINGS), (ellis_case, ELLIS_FINDINGS)):
        answers = {}
        for question in CHECKLIST:
            answers[question.key] = "partly"
            answers[f"{question.key}_note"] = f"Note on {question.key}."
        answered = senior.post(
            f"/case-audits/{audit.pk}/cases/{case.pk}/", {**answers, "findings": findings}
        )
        assert answered.status_code == 302
    senior.post(
        f"/case-audits/{audit.pk}/findings/", {"overall_findings": OVERALL, "actions": ACTIONS}
    )
    assert senior.post(f"/case-audits/{audit.pk}/complete/").status_code == 302
    audit.refresh_from_db()
    assert audit.is_completed

    # The north district manager, in the browser: the audit, Robin's case only, read only.
    page.set_default_timeout(30_000)
    sign_in(page, live_server.url, "district_manager")
    page.get_by_role("link", name="Case audits").click()
    expect(page.get_by_role("button", name="Start an audit")).to_have_count(0)
    page.get_by_role("link", name=AUDIT_NAME).click()
    expect(page.get_by_role("heading", name=AUDIT_NAME, level=1)).to_be_visible()
    expect(page.get_by_text("2 of 2 cases completed.")).to_be_visible()
    expect(page.get_by_text("You see the 1 case of your district.")).to_be_visible()
    expect(page.get_by_role("link", name="Robin Ashdown")).to_be_visible()
    expect(page.get_by_text("Ellis Brackwater")).to_have_count(0)
    expect(page.get_by_text(OVERALL)).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    expect(main.get_by_role("button", name="Complete the audit")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Robin Ashdown").click()
    expect(page.get_by_text(ROBIN_FINDINGS)).to_be_visible()
    expect(page.get_by_text("Note on agencies_informed.")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert axe_violations(page) == []

    # And through the test client: no change is accepted from them, Ellis's case is not found.
    manager = client_for(world.users[Role.DISTRICT_MANAGER])
    case_url = f"/case-audits/{audit.pk}/cases/{robin_case.pk}/"
    assert manager.get(case_url).status_code == 200
    assert manager.post(case_url, {"findings": "Changed"}).status_code == 403
    assert manager.get(f"/case-audits/{audit.pk}/cases/{ellis_case.pk}/").status_code == 404
    assert manager.get(f"/case-audits/{audit.pk}/findings/").status_code == 403
    assert manager.post(f"/case-audits/{audit.pk}/complete/").status_code == 403
    assert manager.get("/case-audits/new/").status_code == 403
    robin_case.refresh_from_db()
    assert robin_case.findings == ROBIN_FINDINGS

    # An IRO has no part in audits: every page refuses them.
    iro = client_for(world.users[Role.IRO])
    for url in (
        "/case-audits/",
        "/case-audits/new/",
        f"/case-audits/{audit.pk}/",
        case_url,
        f"/case-audits/{audit.pk}/findings/",
        f"/case-audits/{audit.pk}/complete/",
    ):
        assert iro.get(url).status_code == 403, url
    assert iro.post(case_url, {"findings": "Changed"}).status_code == 403
