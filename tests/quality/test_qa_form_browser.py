"""The chair completes a typical review's QA form in a real browser, as a new user would:
every interaction counted (at most 15; the time it takes belongs in a benchmark, not a
test), with axe on each page; then a draft saved on the way, and concerns needing escalation going on to raise one."""

import re

import pytest
from playwright.sync_api import Page, expect

from quality_assurance.models import QAForm
from tests.test_browser import axe_violations, sign_in

from .test_qa_form_service import held_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_INTERACTIONS = 15


class Counter:
    """Counts each click, check or fill made on the way to a completed form."""

    def __init__(self, page: Page):
        self.page, self.count = page, 0

    def goto(self, url: str):
        self.count += 1
        self.page.goto(url)

    def click(self, locator):
        self.count += 1
        locator.click()

    def answer(self, question: str, answer: str):
        self.count += 1
        group = self.page.get_by_role("group", name=question)
        group.get_by_label(answer, exact=True).check()


def test_a_typical_review_form_in_at_most_15_interactions(page: Page, live_server, world):
    review = held_review(world)
    sign_in(page, live_server.url, "iro")
    act = Counter(page)

    act.goto(f"{live_server.url}/quality/qa-forms/")
    expect(page.get_by_role("heading", name="QA forms to complete")).to_be_visible()
    assert axe_violations(page) == []
    act.click(page.get_by_role("link", name=re.compile(r"Review conference on 2 November 2026")))
    expect(page.get_by_role("heading", name="QA form", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="What the record shows")).to_be_visible()
    expect(page.get_by_text("The register shows Mo Parent present.")).to_be_visible()
    expect(page.get_by_text("Aged 12.")).to_be_visible()
    assert axe_violations(page) == []

    # One fact corrected: the chair knows a core group was missed that the record lacks.
    act.click(page.get_by_text("Correct the answer: Were core group meetings held monthly?"))
    act.answer("Were core group meetings held monthly?", "No")
    act.answer("Has the assessment been updated since the child's circumstances changed?", "Yes")
    act.answer("How good was the social worker's report?", "Good")
    act.answer("Did the report analyse the impact on the child, not only state facts?", "Yes")
    act.answer("Is the plan outcome-focused, with realistic targets and timescales?", "Yes")
    act.answer("How did the parents or carers contribute?", "Active")
    act.answer("Was a copy of the plan given to the person with parental responsibility?", "Yes")
    # Good practice and escalation start at "No"; nothing to do for them.
    act.click(page.get_by_role("button", name="Complete the form"))
    expect(page.get_by_text("QA form completed.")).to_be_visible()

    assert act.count <= MAX_INTERACTIONS, act.count
    assert axe_violations(page) == []
    form = QAForm.objects.get(conference=review)
    assert form.completed_at is not None
    assert (
        form.core_groups_monthly == "no"
        and form.prefilled["core_groups_monthly"]["answer"] == "yes"
    )
    assert form.report_quality == "good" and form.parents_attended is True
    assert form.escalation_needed is False
    page.goto(f"{live_server.url}/quality/qa-forms/{review.pk}/")
    expect(page.get_by_text("It cannot be changed.")).to_be_visible()
    assert axe_violations(page) == []


def test_a_draft_then_an_escalation(page: Page, live_server, world):
    review = held_review(world)
    sign_in(page, live_server.url, "iro")
    page.goto(f"{live_server.url}/quality/qa-forms/{review.pk}/")
    page.get_by_role("group", name="How good was the social worker's report?").get_by_label(
        "Inadequate", exact=True
    ).check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="How good was the social worker's report?").get_by_label(
            "Inadequate", exact=True
        )
    ).to_be_checked()
    # Completing with gaps: the error summary, accessible, and the draft kept.
    page.get_by_role("button", name="Complete the form").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    for question, answer in (
        ("Has the assessment been updated since the child's circumstances changed?", "No"),
        ("Did the report analyse the impact on the child, not only state facts?", "No"),
        ("Is the plan outcome-focused, with realistic targets and timescales?", "No"),
        ("How did the parents or carers contribute?", "Passive"),
        ("Was a copy of the plan given to the person with parental responsibility?", "Yes"),
        ("Are there concerns needing escalation?", "Yes"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Complete the form").click()
    page.wait_for_url(re.compile(r"/quality/escalations/new/\?qa_form=\d+$"))
    form = QAForm.objects.get(conference=review)
    assert page.url.endswith(f"/quality/escalations/new/?qa_form={form.pk}")
    form.refresh_from_db()
    assert form.completed_at is not None and form.escalation_needed is True
