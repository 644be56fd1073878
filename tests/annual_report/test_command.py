"""`manage.py build_annual_report --year 2012 --output report.pdf`: the same PDF from the
command line, with the page count and the time taken; bad input is a clear CommandError."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annual_report.models import AnnualReport, ReportVersion

from . import pdf_tools
from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_builds_the_pdf_creating_a_draft_with_the_default_text(world, year_records, tmp_path):
    output = tmp_path / "report.pdf"
    out = StringIO()
    call_command("build_annual_report", "--year", str(YEAR), "--output", str(output), stdout=out)
    printed = out.getvalue()
    assert "Created a draft report for 2011/12 with the default text." in printed
    pages = int(re.search(r"(\d+) pages", printed).group(1))
    assert re.search(r"Built in \d+\.\d\d seconds", printed)
    assert int(pdf_tools.info(output)["Pages"]) == pages
    assert "At 31 March 2012 2 children were the subject" in " ".join(
        " ".join(pdf_tools.page_texts(output)).split()
    )
    report = AnnualReport.objects.get(year=YEAR)
    assert report.status == AnnualReport.Status.DRAFT
    assert not ReportVersion.objects.exists()  # the command stores no version
    out = StringIO()
    call_command("build_annual_report", "--year", str(YEAR), "--output", str(output), stdout=out)
    assert "Created" not in out.getvalue()
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "12", "--output", "{tmp}/r.pdf"], "--year must be between 1990 and 2100"),
        (["--year", "2012", "--output", "{tmp}/r.txt"], "--output must name a .pdf file"),
        (["--year", "2012", "--output", "{tmp}/missing/r.pdf"], "its folder does not exist"),
    ],
)
def test_bad_input_is_a_clear_error(world, tmp_path, args, message):
    args = [arg.format(tmp=tmp_path) for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("build_annual_report", *args, stdout=StringIO())
    assert not AnnualReport.objects.exists()


def test_year_is_required(world):
    with pytest.raises(CommandError, match="--year"):
        call_command("build_annual_report", "--output", "x.pdf", stdout=StringIO())
