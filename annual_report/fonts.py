"""The annual report PDF's fonts: Source Sans 3, shipped with the project, never the host's.

A PDF laid out in whatever fonts the host has wraps differently from one machine to the next
(a table row that fits in Liberation Sans breaks in DejaVu Sans). So the report names one
family, loads its files with @font-face, and WeasyPrint may fetch those files and nothing else
(pdf.py). Source Sans 3 is a humanist sans made for reading on screen and in print, its
lower-case l has a tail (never confused with I or 1), and it covers Latin Extended-A and -B:
Zoë, Łukasz, Siobhán, Ștefan and Nguyễn all print in it.

The files come from the npm package @expo-google-fonts/source-sans-3 (package.json), copied
into build/static/vendor/fonts/ by scripts/build_assets.py (`make assets`, which `make run`,
`make test` and the Dockerfile run), with the font's licence beside them.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders

FAMILY = "Source Sans 3"
FOLDER = "vendor/fonts/source-sans-3"


@dataclass(frozen=True)
class Face:
    weight: int
    style: str
    file: str


# The weights and styles report.css uses: text, bold headings and cells, italic emphasis.
FACES = (
    Face(400, "normal", "SourceSans3_400Regular.ttf"),
    Face(400, "italic", "SourceSans3_400Regular_Italic.ttf"),
    Face(700, "normal", "SourceSans3_700Bold.ttf"),
    Face(700, "italic", "SourceSans3_700Bold_Italic.ttf"),
)


class FontsMissing(RuntimeError):
    pass


def face_path(face: Face) -> Path:
    """Where the face's file is: build/static in development and in the image, found as any
    static file is."""
    found = finders.find(f"{FOLDER}/{face.file}")
    if not found:
        raise FontsMissing(
            f"The annual report's font {FOLDER}/{face.file} is missing: run `make assets`."
        )
    return Path(found)


def paths() -> list[Path]:
    return [face_path(face) for face in FACES]


def font_face_css() -> str:
    """One @font-face rule per face, each pointing at the shipped file."""
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
        f'font-style: {face.style}; src: url("{face_path(face).as_uri()}") format("truetype"); }}'
        for face in FACES
    )


@cache
def register_with_matplotlib() -> None:
    """Let matplotlib measure the charts' text in the same font the PDF draws it in (the
    charts keep their text as text, so WeasyPrint draws it)."""
    from matplotlib import font_manager

    for path in paths():
        font_manager.fontManager.addfont(str(path))
