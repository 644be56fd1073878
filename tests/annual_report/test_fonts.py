"""The PDF prints in the fonts the project ships (annual_report/fonts.py), whatever fonts the
host has: every font in it is embedded Source Sans 3, names with Latin accents print in it,
and a missing font file stops the PDF rather than falling back to the host's fonts."""

import re
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from annual_report import fonts, pdf, services
from annual_report.models import ReportVersion
from people.models import Role

from . import pdf_tools
from .conftest import YEAR

pytestmark = pytest.mark.django_db

NAMES = ["Zoë", "Łukasz", "Siobhán", "Ștefan", "Nguyễn", "Øyvind", "Ağca", "Dvořák"]
SHIPPED = fonts.FAMILY.replace(" ", "-")  # "Source-Sans-3", as PDF font names are written


@pytest.fixture
def named_pdf(world, year_records, django_capture_on_commit_callbacks) -> Path:
    """A report whose foreword names people with accented names."""
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    services.section_update(
        section=report.sections.get(key="foreword"),
        title="Foreword",
        body=f"Thanks to {', '.join(NAMES[:-1])} and {NAMES[-1]}.",
        known_figures=set(),
        by=senior,
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_request(report=report, by=senior)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.DONE, version.error
    return Path(version.pdf.path)


def test_the_pdf_holds_only_the_shipped_fonts_embedded_and_prints_accented_names(named_pdf):
    found = pdf_tools.fonts(named_pdf)
    assert found, "pdffonts lists no font"
    for font in found:
        assert font["name"].startswith(SHIPPED), font  # no host font, not even for one glyph
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), font
    names = {font["name"] for font in found}
    assert any("Bold" in name for name in names)  # headings and table heads
    assert any("Bold" not in name for name in names)  # the text
    text = unicodedata.normalize("NFC", " ".join(" ".join(pdf_tools.page_texts(named_pdf)).split()))
    assert f"Thanks to {', '.join(NAMES[:-1])} and {NAMES[-1]}." in text


def test_the_shipped_files_cover_latin_extended_a_in_every_face():
    for face in fonts.FACES:
        characters = TTFont(fonts.face_path(face)).getBestCmap()
        missing = [chr(c) for c in range(0x00C0, 0x0180) if c not in characters]
        missing += [c for c in "".join(NAMES) if ord(c) not in characters]
        assert not missing, (face.file, missing)


def test_the_css_names_only_the_shipped_family():
    """No second family and no generic one (sans-serif, monospace...): the host would answer."""
    css = (Path(__file__).parents[2] / "templates/annual_report/report.css").read_text()
    declarations = re.findall(r"\bfont(?:-family)?:\s*([^;}]+)", css)
    assert declarations
    for value in declarations:
        assert value.strip().endswith(f'"{fonts.FAMILY}"') and "," not in value, value


def test_without_its_font_files_the_pdf_is_refused_not_printed_in_host_fonts(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]  # build/static not built
    with pytest.raises(fonts.FontsMissing, match="make assets"):
        pdf.render_pdf("<html><body><p>Zoë</p></body></html>")


def test_the_pdf_fetches_no_other_file(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    # An ordinary exception, so a build that meets it marks its version failed.
    with pytest.raises(pdf.PDFNotMade, match="could not be read"):
        pdf.render_pdf(f'<html><body><img src="{secret.as_uri()}" alt=""></body></html>')
