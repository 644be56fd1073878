"""Each role against each annual report page and download, including the refused ones.

Read and download: the Senior IRO, directorate managers, district managers and auditors.
Edit, and ask for a PDF: the Senior IRO only. Approve: a directorate manager only. IROs and
business support have no part in the annual report (403), and a year or version that does not
exist is 404.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annual_report import services
from annual_report.models import AnnualReport, ReportVersion
from people.models import Role
from reporting.selectors import reporting_year_of

from .conftest import YEAR

pytestmark = pytest.mark.django_db

READERS = {Role.SENIOR_IRO, Role.DIRECTORATE_MANAGER, Role.DISTRICT_MANAGER, Role.AUDITOR}
ALL_ROLES = list(Role)


@pytest.fixture
def report(world):
    report = services.report_create(year=YEAR, by=world.users[Role.SENIOR_IRO])
    version = ReportVersion(
        report=report,
        number=1,
        requested_by=world.users[Role.SENIOR_IRO],
        requested_at=timezone.now(),
        data_as_of=timezone.now(),
        status=ReportVersion.Status.DONE,
        step=3,
        page_count=1,
        narrative=services.narrative_of(report),
        figures={},
    )
    version.pdf.save(version.filename, ContentFile(b"%PDF-1.7 test"), save=False)
    version.save()
    return report


def _read_urls():
    return [
        reverse("annual_report:list"),
        reverse("annual_report:detail", args=[YEAR]),
        reverse("annual_report:version", args=[YEAR, 1]),
        reverse("annual_report:version_status", args=[YEAR, 1]),
        reverse("annual_report:download", args=[YEAR, 1]),
    ]


def test_every_page_needs_sign_in(report):
    anonymous = Client()
    for url in [
        *_read_urls(),
        reverse("annual_report:preview", args=[YEAR]),
        reverse("annual_report:section_edit", args=[YEAR, "foreword"]),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_and_downloads(clients, report, role):
    client = clients[role]
    expected = 200 if role in READERS else 403
    for url in _read_urls():
        assert client.get(url).status_code == expected, url
    download = client.get(reverse("annual_report:download", args=[YEAR, 1]))
    if role in READERS:
        assert download["Content-Type"] == "application/pdf"
        assert "attachment" in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == b"%PDF-1.7 test"


@pytest.mark.parametrize("role", [Role.DIRECTORATE_MANAGER, Role.IRO])
def test_who_previews(clients, report, role):
    response = clients[role].get(reverse("annual_report:preview", args=[YEAR]))
    assert response.status_code == (200 if role in READERS else 403)
    if role in READERS:
        assert "Annual Report 2011/12" in response.text


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_senior_iro_edits_and_asks_for_a_pdf(
    clients, report, role, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(
        services, "_queue", lambda version: None
    )  # making the PDF is tested elsewhere
    client = clients[role]
    editor = role == Role.SENIOR_IRO
    edit_url = reverse("annual_report:section_edit", args=[YEAR, "foreword"])
    assert client.get(edit_url).status_code == (200 if editor else 403)
    response = client.post(edit_url, {"title": "Foreword", "body": "Changed."})
    assert response.status_code == (302 if editor else 403)
    body = AnnualReport.objects.get(year=YEAR).sections.get(key="foreword").body
    assert (body == "Changed.") == editor
    response = client.post(reverse("annual_report:version_request", args=[YEAR]))
    assert response.status_code == (302 if editor else 403)
    assert ReportVersion.objects.filter(number=2).exists() == editor
    this_year = reporting_year_of(timezone.localdate())
    response = client.post(reverse("annual_report:create"), {"year": this_year})
    assert response.status_code == (302 if editor else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_a_directorate_manager_approves(clients, report, role, monkeypatch):
    monkeypatch.setattr(services, "_queue", lambda version: None)
    response = clients[role].post(reverse("annual_report:approve", args=[YEAR, 1]))
    approver = role == Role.DIRECTORATE_MANAGER
    assert response.status_code == (302 if approver else 403)
    assert AnnualReport.objects.get(year=YEAR).is_approved == approver


def test_a_missing_year_or_version_is_not_found(clients, report):
    client = clients[Role.AUDITOR]
    assert client.get(reverse("annual_report:detail", args=[1999])).status_code == 404
    assert client.get(reverse("annual_report:version", args=[YEAR, 99])).status_code == 404
    assert client.get(reverse("annual_report:download", args=[YEAR, 99])).status_code == 404
    editor = clients[Role.SENIOR_IRO]
    assert (
        editor.get(reverse("annual_report:section_edit", args=[YEAR, "nothing"])).status_code == 404
    )


def test_the_other_districts_manager_reads_the_whole_report_too(clients, report):
    # The report covers the whole authority and is published: no district boundary applies.
    assert (
        clients["other_district_manager"]
        .get(reverse("annual_report:detail", args=[YEAR]))
        .status_code
        == 200
    )


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.SENIOR_IRO, True),
        (Role.DIRECTORATE_MANAGER, True),
        (Role.DISTRICT_MANAGER, True),
        (Role.AUDITOR, True),
        (Role.IRO, False),
        (Role.BUSINESS_SUPPORT, False),
    ],
)
def test_navigation_offers_the_annual_report_to_those_who_may_read_it(clients, role, shown):
    text = clients[role].get(reverse("children:search")).text
    nav = text[text.index('id="navigation"') : text.index("</nav>")]
    assert ("Annual report" in nav) == shown


def test_an_approved_report_offers_no_edit_and_refuses_one(clients, report, monkeypatch):
    monkeypatch.setattr(services, "_queue", lambda version: None)
    clients[Role.DIRECTORATE_MANAGER].post(reverse("annual_report:approve", args=[YEAR, 1]))
    editor = clients[Role.SENIOR_IRO]
    page = editor.get(reverse("annual_report:detail", args=[YEAR])).text
    assert "Make a PDF" not in page and "Change<span" not in page
    response = editor.post(
        reverse("annual_report:section_edit", args=[YEAR, "foreword"]), {"title": "X", "body": "Y"}
    )
    assert response.status_code == 302
    assert AnnualReport.objects.get(year=YEAR).sections.get(key="foreword").title == "Foreword"
    response = editor.post(reverse("annual_report:version_request", args=[YEAR]), follow=True)
    assert "can no longer be changed" in response.text
    assert ReportVersion.objects.count() == 2  # the draft and the approved version only
    # The approved report's versions are still downloadable.
    assert editor.get(reverse("annual_report:download", args=[YEAR, 1])).status_code == 200
