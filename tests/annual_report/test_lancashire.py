"""With the Lancashire 2011/12 sample loaded, the annual report's PDF holds the source report's
published figures (indicators.md), read back from the PDF with pdftotext. Numbers are written
as the source writes them: "2,067", "4.4%", "22.36"."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from annual_report import services
from annual_report.models import ReportVersion
from people.models import Role, User

from . import pdf_tools

pytestmark = pytest.mark.django_db

STOCK = {
    "Emotional abuse": "185 184 187 203 216 200 198 196 200 205 207 199",
    "Neglect": "338 326 333 325 338 324 310 294 289 297 274 245",
    "Physical abuse": "84 73 69 68 86 83 83 85 74 76 70 63",
    "Sexual abuse": "41 40 39 37 39 36 34 36 38 37 32 40",
    "Total": "648 623 628 633 679 643 625 611 601 615 583 547",
}


@pytest.fixture
def lancashire_pdf(django_capture_on_commit_callbacks, tmp_path):
    call_command("load_sample", "lancashire-2011-12", stdout=StringIO())
    senior = User.objects.filter(role=Role.SENIOR_IRO).first() or User.objects.create(
        username="sample_senior", role=Role.SENIOR_IRO
    )
    report = services.report_create(year=2012, by=senior)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_request(report=report, by=senior)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.DONE, version.error
    return version


def test_the_report_of_the_sample_holds_the_published_figures(lancashire_pdf, tmp_path):
    pages = pdf_tools.page_texts(Path(lancashire_pdf.pdf.path))
    text = "\n".join(pages)
    flat = " ".join(text.split())
    # §6, §6.1: activity, plans at the year end and the rate.
    assert (
        "chaired 854 initial and 2,067 review child protection conferences and 1,078 strategy meetings"
        in flat
    )
    assert (
        "At 31 March 2012 547 children were the subject of a child protection plan, 22.36 for every 10,000"
        in flat
    )
    assert pdf_tools.row(pages, "Initial child protection conferences (pre-birth included)") == [
        "854"
    ]
    assert pdf_tools.row(pages, "Review child protection conferences") == ["2,067"]
    # §6.2: the monthly stock, row by row.
    for label, values in STOCK.items():
        assert pdf_tools.row(pages, label, cells=12)[:12] == values.split(), label
    # §6.3: the national indicators beside their benchmarks.
    assert pdf_tools.row(pages, "NI 64: plans ending that", cells=3)[:2] == ["4.8%", "4.4%"]
    assert pdf_tools.row(pages, "NI 65: plans that were a", cells=3)[:2] == ["13.7%", "10.8%"]
    assert "Of the 844 plans that ended in the year, 37 (4.4%) had lasted two years or more" in flat
    assert pdf_tools.row(pages, "This authority", cells=5)[:5] == [
        "5.3%",
        "2.9%",
        "3.8%",
        "4.8%",
        "4.4%",
    ]
    assert pdf_tools.row(pages, "Statistical neighbours", cells=4)[:4] == [
        "5.0%",
        "6.7%",
        "7.9%",
        "7.5%",
    ]
    assert pdf_tools.row(pages, "England", cells=4)[:4] == ["5.3%", "5.8%", "5.9%", "6.0%"]
    assert (
        "10.8% of the children who became the subject of a plan during the year (78 of 720)" in flat
    )
    # §6.3.2: the NI 64 cohort and the plans open for two years or more.
    assert [
        pdf_tools.row(pages, band)[0]
        for band in ("0 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over")
    ] == ["9", "10", "13", "5"]
    assert (
        "22 children (4.0% of all children on plans) had been on their plan for two years or more"
        in flat
    )
    # §6.3.3: durations of plans ending.
    bands = [
        "A: less than 3 months",
        "B: 3 months or over and less than 6 months",
        "C: 6 months or over and less than 1 year",
        "D: 1 year or over and less than 2 years",
        "E: 2 years or over and less than 3 years",
        "F: 3 years and over",
    ]
    assert [pdf_tools.row(pages, band)[0] for band in bands] == [
        "153",
        "99",
        "326",
        "229",
        "34",
        "3",
    ]
    assert "68.5% of the plans that ended (578 of 844) had lasted less than a year" in flat
    # NI 64 by district, as the source gives them (two places).
    for district, value in (
        ("Lancaster", "1.35%"),
        ("South Ribble", "6.82%"),
        ("Burnley", "6.54%"),
        ("Pendle", "6.56%"),
    ):
        assert pdf_tools.row(pages, district, cells=4)[1] == value, district
    # §6.3.1: ten children reviewed late.
    assert "10 children had a review conference held after its national due date" in flat
    # §6.3.4: looked after and on a plan.
    assert "At 31 March 2012, 39 children on a child protection plan were also looked after" in flat
    assert pdf_tools.row(pages, "Other foster carer (in area)") == ["28"]
    assert pdf_tools.row(pages, "Placed with parents") == ["7"]
    # §7.2, §7.3: QA forms and questionnaires.
    assert "174 forms were completed in the year" in flat
    assert "reports were shared with parents in time in 50 of 174 cases" in flat
    assert "5 children aged over ten took part in their conference" in flat
    # The source's monthly questionnaire table adds up to 65 after initial conferences, not the
    # 66 (161 in all) its total row says; the sample keeps the months, so the total is 160.
    months = [
        "April 2011",
        "May 2011",
        "June 2011",
        "July 2011",
        "August 2011",
        "September 2011",
        "October 2011",
        "November 2011",
        "December 2011",
        "January 2012",
        "February 2012",
        "March 2012",
    ]
    published = [
        (9, 6),
        (9, 5),
        (5, 12),
        (5, 14),
        (8, 3),
        (3, 8),
        (4, 17),
        (4, 9),
        (3, 7),
        (7, 2),
        (6, 4),
        (2, 8),
    ]
    for month, (initial, review) in zip(months, published, strict=True):
        assert pdf_tools.row(pages, month, cells=3)[:3] == [
            str(initial),
            str(review),
            str(initial + review),
        ], month
    assert (
        "160 were returned in the year (65 after initial and 95 after review conferences), a return of 5.5%"
        in flat
    )
    # The sample's own narrative, not the source report's words.
    assert "This report looks back on 2011/12" in flat
    assert "Munro" not in flat and "have independent oversight of the child's case" not in flat
    # Every page renders.
    images = pdf_tools.render_pages(Path(lancashire_pdf.pdf.path), tmp_path / "pages", dpi=50)
    assert (
        len(images)
        == lancashire_pdf.page_count
        == int(pdf_tools.info(Path(lancashire_pdf.pdf.path))["Pages"])
    )
