"""What the pages show: the edit page's list of figures with their values, the version page's
progress (a <progress>, live text, a polling script and a refresh without JavaScript)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from annual_report import services
from annual_report.models import ReportVersion
from people.models import Role

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, year_records):
    return services.report_create(year=YEAR, by=world.users[Role.SENIOR_IRO])


def test_the_edit_page_lists_the_figures_with_their_values(clients, report):
    page = (
        clients[Role.SENIOR_IRO]
        .get(reverse("annual_report:section_edit", args=[YEAR, "performance"]))
        .text
    )
    assert (
        '<code class="app-report-code">[[plans_open_at_end.total]]</code></td><td class="govuk-table__cell">2</td>'
        in page.replace("\n", "").replace("  ", "")
    )
    assert "[[ni64.percent]]" in page
    assert "[[table.monthly_stock]]" in page and "[[chart.monthly_stock]]" in page
    assert "[[table.staffing]]" not in page  # another section's table


def test_a_bad_placeholder_shows_an_error_summary_and_keeps_the_text_typed(clients, report):
    url = reverse("annual_report:section_edit", args=[YEAR, "foreword"])
    response = clients[Role.SENIOR_IRO].post(
        url, {"title": "Foreword", "body": "Bad [[nope]] here"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_body"' in response.text
    assert "[[nope]] is not a figure the report knows" in response.text
    assert "Bad [[nope]] here</textarea>" in response.text
    assert report.sections.get(key="foreword").body.startswith("This report looks back")


def test_a_version_being_made_shows_its_progress(clients, report, world):
    version = ReportVersion.objects.create(
        report=report,
        number=1,
        requested_by=world.users[Role.SENIOR_IRO],
        requested_at=timezone.now(),
        status=ReportVersion.Status.RUNNING,
        step=1,
        step_label=ReportVersion.STEPS[1],
    )
    client = clients[Role.DIRECTORATE_MANAGER]
    page = client.get(reverse("annual_report:version", args=[YEAR, 1])).text
    assert '<progress class="app-report-progress" max="3" value="1"' in page
    assert 'aria-live="polite"' in page
    assert "Making the PDF: 33% done. Step 2 of 3: Rendering the report." in page
    assert '<noscript><meta http-equiv="refresh" content="4"></noscript>' in page
    assert "annual_report/progress.js" in page
    assert "Download the PDF" not in page
    status = client.get(reverse("annual_report:version_status", args=[YEAR, 1])).json()
    assert status == {
        "status": "running",
        "status_label": "Being made",
        "state": "Making the PDF: 33% done. Step 2 of 3: Rendering the report.",
        "figures_as_at": "Not computed yet",
        "percent": 33,
        "step": 1,
        "steps_total": 3,
        "step_label": "Rendering the report",
        "finished": False,
        "page_count": None,
    }
    assert (
        client.get(reverse("annual_report:download", args=[YEAR, version.number])).status_code
        == 404
    )


def test_the_preview_is_the_report_with_todays_figures(clients, report):
    page = clients[Role.AUDITOR].get(reverse("annual_report:preview", args=[YEAR])).text
    words = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "At 31 March 2012 2 children were the subject of a child protection plan" in words
    assert page.count('role="img"') == 5
    assert '<title id="chart-monthly_stock-title">' in page
