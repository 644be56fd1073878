"""One report as the templates draw it, for the HTML preview and the PDF alike: its sections
in order, each narrative parsed into blocks with its figures filled in, and each section's
tables and charts placed where its text asks, or after its text.

Everything here is built from the measures (`compute_all`) and the stored narrative; the only
markup that is not escaped by the templates is the charts' SVG, which our own code draws.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.safestring import mark_safe

from . import charts, figures, narrative, tables
from .sections import BY_KEY, year_label

# Each section's tables and charts, in the order they follow its text when it does not place
# them with a [[table.<key>]] or [[chart.<key>]] line.
HOME: dict[str, list[str]] = {
    "team": ["table.staffing", "table.caseloads", "chart.caseloads"],
    "performance": [
        "table.activity",
        "table.strategy_meetings",
        "table.monthly_stock",
        "chart.monthly_stock",
        "table.indicators",
        "table.ni64_trend",
        "chart.ni64_trend",
        "table.ni64_ages",
        "table.ni64_categories",
        "table.ni64_ethnicity",
        "table.long_plans_ages",
        "table.long_plans_categories",
        "table.long_plans_ethnicity",
        "table.durations",
        "chart.durations",
        "table.districts",
        "table.late_reviews",
        "table.adjournments",
        "table.looked_after_placements",
        "table.looked_after_legal_status",
    ],
    "quality_assurance": [
        "table.escalations_level",
        "table.escalations_theme",
        "table.qa_themes",
        "table.qa_quality",
        "table.feedback_months",
        "chart.feedback_months",
        "table.feedback_answers",
        "table.case_audits",
    ],
}


def exhibits_of(key: str) -> set[str]:
    return set(HOME.get(key, []))


@dataclass
class SectionView:
    key: str
    title: str
    numbered: bool
    blocks: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass
class Document:
    year: int
    title: str
    sections: list[SectionView]
    data_as_of: datetime | None
    approved_by: object = None
    approved_at: datetime | None = None
    version_number: int | None = None
    missing_figures: list[str] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def is_approved(self) -> bool:
        return self.approved_by is not None


def _place(blocks: list, key: str, built_tables: dict, built_charts: dict) -> list:
    placed = {f"{b.kind}.{b.lines[0]}" for b in blocks if b.kind in ("table", "chart")}
    home = HOME.get(key, [])
    blocks = [
        b for b in blocks if b.kind not in ("table", "chart") or f"{b.kind}.{b.lines[0]}" in home
    ]
    blocks += [
        narrative.Block(name.split(".")[0], [name.split(".")[1]])
        for name in home
        if name not in placed
    ]
    seen = set()
    result = []
    for block in blocks:
        if block.kind in ("table", "chart"):
            name = f"{block.kind}.{block.lines[0]}"
            if name in seen:
                continue
            seen.add(name)
            if block.kind == "table":
                block.table = built_tables[block.lines[0]]
            else:
                caption, svg = built_charts[block.lines[0]]
                block.caption = caption
                # Our own matplotlib drawing, with escaped titles: no text from a user.
                block.svg = mark_safe(svg)  # noqa: S308
        result.append(block)
    return result


def build(
    *,
    year: int,
    sections: list[dict],
    data: dict,
    data_as_of: datetime | None = None,
    approved_by=None,
    approved_at=None,
    version_number: int | None = None,
) -> Document:
    """The document for a year, from its sections ({"key", "title", "body"}) and figures."""
    values = figures.values(data, year=year, approved_by=approved_by, approved_at=approved_at)
    built_tables = tables.build(data, year=year)
    built_charts = charts.build(data, year=year)
    views, missing = [], []
    for section in sections:
        spec = BY_KEY[section["key"]]
        blocks = narrative.render(section["body"], values)
        for block in blocks:
            for segment in _segments(block):
                if segment.missing and segment.figure not in missing:
                    missing.append(segment.figure)
        blocks = _place(blocks, spec.key, built_tables, built_charts)
        views.append(SectionView(spec.key, section["title"], spec.numbered, blocks))
    return Document(
        year=year,
        title=f"Safeguarding Independent Reviewing Officer Service: Annual Report {year_label(year)}",
        sections=views,
        data_as_of=data_as_of,
        approved_by=approved_by,
        approved_at=approved_at,
        version_number=version_number,
        missing_figures=missing,
    )


def _segments(block) -> list:
    if block.kind == "bullets":
        return [segment for item in block.segments for segment in item]
    return list(block.segments)
