"""The PDF, drawn by WeasyPrint from the same document template as the HTML preview.

WeasyPrint 70 makes PDF/UA-1 (`pdf_variant="pdf/ua-1"`): a tagged PDF (headings, lists,
tables with their header cells, figures with the SVG <title> as alternative text), with the
document's language from <html lang> and its title from <title>, shown as the window title.
It fetches nothing but the report's own font files (fonts.py): the styles are inline, the
charts inline SVG, and any other URL is refused, so nothing on the page comes from the host.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.loader import render_to_string

from . import fonts
from .document import Document

# WeasyPrint logs each layout step at INFO, and at WARNING each SVG presentation attribute its
# HTML cascade does not know (the SVG renderer uses them all the same).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    page_count: int


def warm_up() -> None:
    """Load what a first PDF would otherwise load on the way: WeasyPrint (with its fonts) and
    Django's template engine (which imports every app's template tags). A worker pays this
    once; build_annual_report pays it before it starts its clock, and says how long it took."""
    import weasyprint  # noqa: F401
    from django.template import engines

    engines.all()


def document_html(document: Document) -> str:
    return render_to_string("annual_report/report_pdf.html", {"document": document})


@contextmanager
def _quiet_svg_warnings():
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class PDFNotMade(RuntimeError):
    """The PDF could not be laid out (a file it needs could not be fetched)."""


def render_pdf(html: str) -> RenderedPDF:
    """Lay out the report's HTML on A4 pages and write it as a tagged PDF."""
    from weasyprint import CSS, HTML  # imported when needed: it is slow to load
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher(allowed={path.as_uri() for path in fonts.paths()})
    # A font file that cannot be fetched stops the PDF (fail_on_errors) rather than letting
    # the text fall back to a font of the host's.
    font_config = FontConfiguration()
    try:
        faces = CSS(string=fonts.font_face_css(), url_fetcher=fetcher, font_config=font_config)
        with _quiet_svg_warnings():
            document = HTML(string=html, url_fetcher=fetcher, media_type="print")
            rendered = document.render(stylesheets=[faces], font_config=font_config, **PDF_OPTIONS)
            content = rendered.write_pdf(**PDF_OPTIONS)
    except FatalURLFetchingError as error:
        # WeasyPrint's is a BaseException: as an ordinary error the version is marked failed
        # (with a retry) instead of the exception escaping the build and leaving it "making".
        raise PDFNotMade(f"A file the report needs could not be read: {error}") from error
    return RenderedPDF(content=content, page_count=len(rendered.pages))


def _fetcher(*, allowed: set[str]):
    """WeasyPrint's fetcher, for data: URLs and the given file URLs only."""
    from weasyprint.urls import URLFetcher

    class ReportFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url in allowed):
                raise ValueError(f"The annual report fetches no {url}")
            return super().fetch(url, headers)

    return ReportFetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)
