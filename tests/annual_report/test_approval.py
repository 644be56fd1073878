"""Approving a report is irreversible, so it takes two steps: a page that says what approval
freezes (the draft's text and figures, who approves and when), then Confirm. Looking at that
page changes nothing; only the Confirm button's POST approves, and only a directorate manager
may do either."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from annual_report import services
from annual_report.models import AnnualReport, ReportVersion
from people.models import Role

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, monkeypatch):
    monkeypatch.setattr(services, "_queue", lambda version: None)  # making PDFs: elsewhere
    report = services.report_create(year=YEAR, by=world.users[Role.SENIOR_IRO])
    version = ReportVersion(
        report=report,
        number=1,
        requested_by=world.users[Role.SENIOR_IRO],
        requested_at=timezone.now(),
        data_as_of=timezone.now(),
        status=ReportVersion.Status.DONE,
        step=3,
        page_count=18,
        narrative=services.narrative_of(report),
        figures={},
    )
    version.pdf.save(version.filename, ContentFile(b"%PDF-1.7 test"), save=False)
    version.save()
    return report


def _approve_url(number: int = 1) -> str:
    return reverse("annual_report:approve", args=[YEAR, number])


def test_the_report_page_links_to_the_check_page_instead_of_approving(clients, report):
    page = clients[Role.DIRECTORATE_MANAGER].get(reverse("annual_report:detail", args=[YEAR])).text
    assert f'<a href="{_approve_url()}" role="button"' in page
    assert f'action="{_approve_url()}"' not in page  # no one-click approval form


def test_the_check_page_says_what_approval_freezes_and_changes_nothing(
    clients, report, world, django_capture_on_commit_callbacks
):
    manager = world.users[Role.DIRECTORATE_MANAGER]
    with django_capture_on_commit_callbacks() as callbacks:
        response = clients[Role.DIRECTORATE_MANAGER].get(_approve_url())
    assert response.status_code == 200
    page = " ".join(response.text.split())
    assert '<h1 class="govuk-heading-l">Check before you approve draft 1</h1>' in page
    assert "<title>Check before you approve draft 1 – annual report 2011/12" in page
    assert "Draft 1, 18 pages" in page
    assert "The titles and text of all 12 sections, as draft 1 shows them" in page
    assert "as computed from the records on" in page
    assert f"You: {manager.display_name} (Directorate manager)" in page
    assert "The date and time you confirm" in page
    assert "You cannot undo an approval." in page
    assert f'<form method="post" action="{_approve_url()}" novalidate>' in page
    assert ">Confirm and approve</button>" in page
    detail = reverse("annual_report:detail", args=[YEAR])
    assert f'<a class="govuk-link" href="{detail}">Go back without approving</a>' in page
    assert reverse("annual_report:download", args=[YEAR, 1]) in page  # read it first
    # Nothing changed: still a draft, no approved version, nothing queued, no history.
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT and report.approved_by is None
    assert list(report.versions.values_list("number", flat=True)) == [1]
    assert report.history.count() == 1
    assert callbacks == []


def test_confirming_approves(clients, report, world):
    response = clients[Role.DIRECTORATE_MANAGER].post(_approve_url())
    report.refresh_from_db()
    approved = report.versions.get(is_approved_version=True)
    assert response.status_code == 302
    assert response.url == reverse("annual_report:version", args=[YEAR, approved.number])
    assert report.is_approved and report.approved_by == world.users[Role.DIRECTORATE_MANAGER]
    assert approved.based_on.number == 1


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DIRECTORATE_MANAGER])
def test_other_roles_can_neither_see_the_check_page_nor_confirm(clients, report, role):
    client = clients[role]
    assert client.get(_approve_url()).status_code == 403
    assert client.post(_approve_url()).status_code == 403
    report.refresh_from_db()
    assert not report.is_approved


def test_a_draft_that_cannot_be_approved_goes_back_to_the_report_with_the_reason(
    clients, report, world
):
    senior = world.users[Role.SENIOR_IRO]
    services.section_update(
        section=report.sections.get(key="conclusion"),
        title="Conclusion",
        body="New words.",
        known_figures=set(),
        by=senior,
    )
    client = clients[Role.DIRECTORATE_MANAGER]
    response = client.get(_approve_url(), follow=True)
    assert response.redirect_chain == [(reverse("annual_report:detail", args=[YEAR]), 302)]
    assert "The text has changed since this version was made" in response.text
    assert client.get(_approve_url(99)).status_code == 404


def test_after_approval_the_check_page_is_closed(clients, report):
    client = clients[Role.DIRECTORATE_MANAGER]
    client.post(_approve_url())
    response = client.get(_approve_url(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("annual_report:detail", args=[YEAR])
    assert "can no longer be changed" in response.text
    assert ReportVersion.objects.filter(report=report).count() == 2
