"""The PDF, made through the service with Celery running eagerly, read back with poppler:
its figures are compute_all's, its contents' page numbers are the pages its headings are on,
and every page renders."""

from pathlib import Path

import pytest

from annual_report import formatting as fmt
from annual_report import services
from annual_report.models import ReportVersion
from annual_report.sections import SECTIONS
from people.models import Role
from reporting.metrics import Period, compute_all

from . import pdf_tools
from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(world, year_records, django_capture_on_commit_callbacks):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_request(report=report, by=senior)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.DONE, version.error
    return version


def test_the_pdf_read_back_as_a_manager_would(made, tmp_path):
    """One PDF (making one takes seconds), read three ways."""
    _holds_the_measures_figures(made)
    _contents_page_numbers_are_the_pages_of_the_headings(made)
    _is_a4_tagged_titled_and_every_page_renders(made, tmp_path)


def _holds_the_measures_figures(made):
    data = compute_all(period=Period.year(YEAR))
    pages = pdf_tools.page_texts(made.pdf.path)
    text = "\n".join(pages)
    assert (
        f"At 31 March 2012 {data['plans_open_at_end']['total']} children were the subject" in text
    )
    held = data["conferences_held"]
    assert pdf_tools.row(pages, "Initial child protection conferences (pre-birth included)") == [
        fmt.count(held["initial"])
    ]
    assert pdf_tools.row(pages, "Review child protection conferences") == [
        fmt.count(held["review"])
    ]
    assert pdf_tools.row(pages, "Total", cells=12) == [
        fmt.count(m["total"]) for m in data["monthly_stock"]
    ]
    assert pdf_tools.row(pages, "Neglect", cells=12) == [
        fmt.count(m["by_category"]["NEG"]) for m in data["monthly_stock"]
    ]
    assert (
        f"{data['ni64']['numerator']} ({fmt.percent(data['ni64']['percent'])}) had lasted two years"
        in text
    )
    bands = data["plans_ending_by_duration"]
    assert pdf_tools.row(pages, "A: less than 3 months")[0] == fmt.count(bands["A"])
    assert pdf_tools.row(pages, "Senior IRO")[:3] == ["1983", "2011", "2011"]
    assert "Robin" not in text and "Ashdown" not in text  # no child is named


def _contents_page_numbers_are_the_pages_of_the_headings(made):
    pages = pdf_tools.page_texts(made.pdf.path)
    entries = pdf_tools.contents(pages)
    assert [title for _, title, _ in entries] == [
        made.narrative[i]["title"] for i in range(len(SECTIONS))
    ]
    numbered = [spec for spec in SECTIONS if spec.numbered]
    assert [number for number, _, _ in entries] == [str(i) for i in range(1, len(numbered) + 1)] + [
        ""
    ]
    for number, title, page in entries:
        heading = f"{number}. {title}" if number else title
        assert pdf_tools.first_page_with_heading(pages, heading) == page, heading
    # Every page but the cover has its number, out of the total.
    for index, text in enumerate(pages[1:], start=2):
        assert f"Page {index} of {len(pages)}" in text


def _is_a4_tagged_titled_and_every_page_renders(made, tmp_path):
    info = pdf_tools.info(made.pdf.path)
    assert int(info["Pages"]) == made.page_count
    assert info["Page size"].startswith("595.276 x 841.89")
    assert info["Tagged"] == "yes"
    assert (
        info["Title"] == "Safeguarding Independent Reviewing Officer Service: Annual Report 2011/12"
    )
    images = pdf_tools.render_pages(made.pdf.path, tmp_path / "pages", dpi=50)
    assert len(images) == made.page_count
    content = pdf_tools.raw_objects(Path(made.pdf.path))
    assert b"/Lang (en-GB)" in content  # the document's language
    assert b"/Figure" in content and b"/Table" in content and b"/TH" in content  # the tags
    assert b"pdfuaid:part" in content  # declared PDF/UA-1
