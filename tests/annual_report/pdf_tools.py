"""Read a PDF as a person would, with poppler: its text page by page, its info, its fonts, its
pages as images."""

import re
import subprocess
import zlib
from pathlib import Path


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout  # noqa: S603


def page_texts(path: Path) -> list[str]:
    """The text of each page, laid out as on the page (pdftotext -layout; pages end in \\f)."""
    text = _run("pdftotext", "-layout", str(path), "-")
    return text.split("\f")[:-1]


def info(path: Path) -> dict[str, str]:
    lines = _run("pdfinfo", str(path)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def fonts(path: Path) -> list[dict[str, str]]:
    """The PDF's fonts as pdffonts lists them: name (without the subset's "ABCDEF+" tag), type,
    and whether each is embedded, subset and has a Unicode map ("yes"/"no")."""
    lines = _run("pdffonts", str(path)).splitlines()[2:]  # after the heading and its rule
    found = []
    for line in lines:
        # name, type (may hold spaces), encoding, emb, sub, uni, object number, generation
        parts = line.split()
        name = parts[0].partition("+")[2] or parts[0]
        found.append(
            {
                "name": name,
                "type": " ".join(parts[1:-6]),
                "emb": parts[-5],
                "sub": parts[-4],
                "uni": parts[-3],
            }
        )
    return found


def render_pages(path: Path, folder: Path, dpi: int = 50) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / "page"))
    return sorted(folder.glob("page-*.png"))


NUMBER = re.compile(r"^(?:[\d,]+(?:\.\d+)?%?|–)$")
CONTENTS_LINE = re.compile(r"^\s*(?:(\d+)\. )?(.+?) \.{3,} Page (\d+)\s*$")


def contents(pages: list[str]) -> list[tuple[str, str, int]]:
    """(number, title, page) for each line of the contents page."""
    page = next(text for text in pages if "\nContents\n" in f"\n{text}")
    return [
        (match.group(1) or "", match.group(2).strip(), int(match.group(3)))
        for match in map(CONTENTS_LINE.match, page.splitlines())
        if match
    ]


def first_page_with_heading(pages: list[str], heading: str) -> int | None:
    """The first page (1-based) with a line starting with the heading: the running header's
    line starts with the report's name, so it never matches."""
    for number, text in enumerate(pages, start=1):
        if any(
            line.strip() == heading or line.strip().startswith(heading + "  ")
            for line in text.splitlines()
        ):
            return number
    return None


def row(pages: list[str], label: str, cells: int = 1) -> list[str]:
    """The cells after a table row's label, on the first line that starts with it and has at
    least `cells` cells after it."""
    for text in pages:
        for line in text.splitlines():
            if line.strip().startswith(label + " "):
                found = line.strip()[len(label) :].split()
                if len(found) >= cells and all(map(NUMBER.match, found[:cells])):
                    return found
    raise AssertionError(f"No row {label!r} with {cells} cells in the PDF")


def raw_objects(path: Path) -> bytes:
    """The PDF's bytes with every compressed stream inflated, to look for its catalog entries
    and structure tags (WeasyPrint packs objects into compressed object streams)."""
    content = path.read_bytes()
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, flags=re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
