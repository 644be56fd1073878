"""One way of writing a percentage (reporting.formatting): the dashboard's table, its CSV and
the annual report PDF show a measure in the same words, one decimal place ("33.3%"), or two
for the district breakdown ("50.00%")."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from annual_report import services
from annual_report.models import ReportVersion
from people.models import Role
from reporting.formatting import Percent, percent_text
from reporting.tables import format_value

from ..factories import PlanFactory
from ..reporting.test_dashboard import csv_rows, html_table
from . import pdf_tools
from .conftest import YEAR


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (46.88, 1, "46.9%"),
        (62.5, 1, "62.5%"),
        (8.14, 1, "8.1%"),
        (4, 1, "4.0%"),
        (4.35, 1, "4.4%"),  # half up from the stored value, not binary 4.3499...
        (0.05, 1, "0.1%"),
        (100, 1, "100.0%"),
        (1234.56, 1, "1,234.6%"),
        (1.35, 2, "1.35%"),
        (6.8, 2, "6.80%"),
    ],
)
def test_a_percentage_has_one_place_unless_the_measure_needs_more(value, places, text):
    assert percent_text(value, places) == text
    assert format_value(Percent(value, places)) == text
    assert Percent(value, places) == value  # the figure itself is not rounded


def test_a_missing_percentage_says_so():
    assert percent_text(None) == "Not available"
    assert percent_text(None, missing="n/a") == "n/a"


@pytest.fixture
def three_plans_ended(world):
    """2011/12: three plans ended, one after more than two years (NI 64: 1 of 3, 33.33%), two
    within three months; Northbridge holds the long one and a short one (50.00%)."""
    ended = [
        (world.child, dt.date(2009, 5, 4), dt.date(2011, 9, 1)),
        (world.sibling, dt.date(2011, 6, 13), dt.date(2011, 7, 20)),
        (world.south_child, dt.date(2011, 10, 3), dt.date(2011, 11, 15)),
    ]
    for child, start, end in ended:
        PlanFactory(child=child, start_date=start, end_date=end, end_reason="other")


@pytest.mark.django_db
def test_a_measure_reads_the_same_on_the_dashboard_in_its_csv_and_in_the_pdf(
    world, clients, three_plans_ended, django_capture_on_commit_callbacks
):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_request(report=report, by=senior)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.DONE, version.error
    pages = pdf_tools.page_texts(Path(version.pdf.path))

    browser = clients[Role.SENIOR_IRO]
    page = browser.get(reverse("reporting:dashboard"), {"year": YEAR}).text

    def on_dashboard(table: str, label: str, column: str) -> tuple[str, str]:
        csv = csv_rows(browser.get(reverse("reporting:table_csv", args=[table]), {"year": YEAR}))
        shown = html_table(page, f"table-{table}")
        index = shown[0].index(column)
        cell = next(row[index] for row in shown if row[0] == label)
        assert csv[0] == shown[0]
        return cell, next(row[index] for row in csv if row[0] == label)

    # NI 64 for the whole authority: 33.33 stored, "33.3%" shown.
    assert on_dashboard("indicators", "NI 64: plans lasting 2 years or more", "This authority") == (
        "33.3%",
        "33.3%",
    )
    # (no benchmarks: last year's published figure is a dash)
    assert pdf_tools.row(pages, "NI 64: plans ending that lasted", cells=2)[:2] == ["–", "33.3%"]
    # The share of plans ending within three months: 66.67 computed, "66.7%" shown.
    assert on_dashboard("durations", "A: Under 3 months", "Percent") == ("66.7%", "66.7%")
    assert pdf_tools.row(pages, "A: less than 3 months", cells=2) == ["2", "66.7%"]
    # By district, two places, as the source report gives them.
    assert on_dashboard("districts", "Northbridge", "NI 64") == ("50.00%", "50.00%")
    assert pdf_tools.row(pages, "Northbridge", cells=2)[1] == "50.00%"
