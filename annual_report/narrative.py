"""The narrative format, and its renderer: plain paragraphs, headings and bullet lists.

    A paragraph is one or more lines of text; a blank line ends it.
    ## A heading is a line that starts with two hashes and a space.
    - A bullet is a line that starts with a hyphen and a space; bullets next to each other
      make one list, and a line that follows a bullet without a blank line continues it.

Nothing else has a meaning: any other character, HTML included, is text. A figure is cited
with a placeholder, `[[ni64.percent]]`, that the renderer replaces with the measure's value
(see figures.py), so the words and the tables cannot disagree. A line holding only
`[[table.monthly_stock]]` or `[[chart.monthly_stock]]` places one of the section's tables or
charts there; the ones a section does not place follow its text.

The renderer returns blocks of plain-text segments, never HTML: the templates print every
segment with Django's autoescaping, so no text from a user is ever marked safe and no raw
HTML reaches the page or the PDF.
"""

import re
from dataclasses import dataclass, field

PLACEHOLDER = re.compile(r"\[\[\s*([^\[\]\n]*?)\s*\]\]")
EXHIBIT_LINE = re.compile(r"^\[\[\s*(table|chart)\.([a-z0-9_]+)\s*\]\]$")
EXHIBIT_PREFIXES = ("table.", "chart.")
HEADING_PREFIX = "## "
BULLET_PREFIX = "- "
MAX_LENGTH = 20_000


@dataclass(frozen=True)
class Segment:
    """Some text, or a figure: `figure` is the placeholder's name, `text` its value."""

    text: str
    figure: str = ""
    missing: bool = False


@dataclass
class Block:
    kind: str  # "paragraph", "heading", "bullets", "table" or "chart"
    lines: list[str] = field(default_factory=list)  # raw lines (one per bullet for lists)
    segments: list = field(default_factory=list)  # list[Segment], or list[list[Segment]]


def parse(text: str) -> list[Block]:
    """Split narrative text into blocks. Never fails: any text is a valid narrative."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        exhibit = EXHIBIT_LINE.match(line)
        if not line:
            current = None
        elif exhibit:
            blocks.append(Block(exhibit.group(1), [exhibit.group(2)]))
            current = None
        elif line.startswith(HEADING_PREFIX) and line[2:].strip():
            blocks.append(Block("heading", [line[2:].strip()]))
            current = None
        elif line.startswith(BULLET_PREFIX) and line[1:].strip():
            if current is None or current.kind != "bullets":
                current = Block("bullets")
                blocks.append(current)
            current.lines.append(line[1:].strip())
        elif current is not None:
            # A paragraph goes on; so does a bullet wrapped onto the next line.
            current.lines[-1] += " " + line
        else:
            current = Block("paragraph", [line])
            blocks.append(current)
    return blocks


def placeholders_in(text: str) -> list[str]:
    """Every placeholder name in the text, in order (repeats included)."""
    return [match.group(1) for match in PLACEHOLDER.finditer(text or "")]


def problems(text: str, known: set[str], exhibits: set[str] = frozenset()) -> list[str]:
    """What is wrong with a narrative, as messages for the person who wrote it. `known` are
    the figures' names, `exhibits` the section's tables and charts ("table.monthly_stock")."""
    messages = []
    placed = [f"{b.kind}.{b.lines[0]}" for b in parse(text) if b.kind in ("table", "chart")]
    for name in dict.fromkeys(placed):
        if name not in exhibits:
            messages.append(
                f"[[{name}]] is not a table or chart of this section. Use one of those listed "
                "below the box."
            )
        elif placed.count(name) > 1:
            messages.append(f"[[{name}]] is placed more than once: place it once.")
    unknown = []
    for name in placeholders_in(_without_exhibit_lines(text)):
        if name.startswith(EXHIBIT_PREFIXES):
            message = f"[[{name}]] must be on a line of its own, with nothing else on the line."
        elif name not in known:
            message = (
                f"[[{name or ' '}]] is not a figure the report knows. Use a name from the list "
                "of figures below the box, for example [[ni64.percent]]."
            )
        else:
            continue
        if message not in unknown:
            unknown.append(message)
    messages.extend(unknown)
    leftover = PLACEHOLDER.sub("", text or "")
    if "[[" in leftover or "]]" in leftover:
        messages.append(
            "A figure placeholder is not closed: write it as [[name]], with two square "
            "brackets on each side and no line break inside."
        )
    if len(text or "") > MAX_LENGTH:
        messages.append(f"The section must be {MAX_LENGTH:,} characters or fewer.")
    return messages


def _without_exhibit_lines(text: str) -> str:
    return "\n".join(
        line for line in (text or "").splitlines() if not EXHIBIT_LINE.match(line.strip())
    )


def segments(line: str, values: dict[str, str]) -> list[Segment]:
    """A line of text with each placeholder replaced by its value. An unknown one (a
    placeholder saved before a figure was renamed) stays visible as itself, marked missing."""
    result: list[Segment] = []
    position = 0
    for match in PLACEHOLDER.finditer(line):
        if match.start() > position:
            result.append(Segment(line[position : match.start()]))
        name = match.group(1)
        if name in values:
            result.append(Segment(values[name], figure=name))
        else:
            result.append(Segment(match.group(0), figure=name, missing=True))
        position = match.end()
    if position < len(line):
        result.append(Segment(line[position:]))
    return result


def render(text: str, values: dict[str, str]) -> list[Block]:
    """Parse the narrative and fill in its figures, ready for the templates."""
    blocks = parse(text)
    for block in blocks:
        if block.kind == "bullets":
            block.segments = [segments(line, values) for line in block.lines]
        elif block.kind in ("table", "chart"):
            block.segments = []
        else:
            block.segments = segments(" ".join(block.lines), values)
    return blocks


def to_plain_text(blocks: list[Block]) -> str:
    """The rendered narrative as plain text (for tests and search)."""
    out = []
    for block in blocks:
        if block.kind == "bullets":
            out.extend("- " + "".join(s.text for s in item) for item in block.segments)
        elif block.kind in ("table", "chart"):
            out.append(f"[{block.kind} {block.lines[0]}]")
        else:
            out.append("".join(s.text for s in block.segments))
    return "\n".join(out)
