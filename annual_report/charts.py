"""The report's charts: the dashboard's (reporting/charts.py, from reporting/tables.py), drawn
from the same measures, as inline vector SVG with a <title> (the PDF's alternative text) and
role="img".

Two differences: the published report does not name staff, so the caseload chart labels each
IRO as the staffing table does ("Senior IRO", "IRO 1"...); and the charts are measured by
matplotlib and drawn by WeasyPrint in the report's own font (fonts.py), never the host's.
"""

import io
import logging
import re
from dataclasses import replace
from html import escape

import matplotlib
from matplotlib.figure import Figure

from reporting import charts as dashboard
from reporting import tables as dashboard_tables

from . import fonts
from . import formatting as fmt
from .sections import year_label
from .tables import staff_labels

# matplotlib says, at INFO, that month labels look like numbers; it is not news.
logging.getLogger("matplotlib.category").setLevel(logging.WARNING)

# The report's font, a point larger than the dashboard's sizes: Source Sans 3 is smaller than
# Liberation Sans at the same size, and the charts are scaled down to the page's width.
FONT_STYLE = {
    "font.family": fonts.FAMILY,
    "font.size": 14,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
}
# matplotlib writes each text's font as the family then a generic one ("'Source Sans 3',
# sans-serif"); the generic family would be the host's font, so the report's SVG names only
# its own.
GENERIC_FALLBACK = re.compile(r"""(font-family="'[^']+'), sans-serif""")


def _report_font(svg: str) -> str:
    return GENERIC_FALLBACK.sub(r"\1", svg)


def _caseloads(data: dict) -> dashboard_tables.Table:
    """The dashboard's caseload table with the published report's labels and order, and
    without chairs who held no cases at the year end (staff who had left)."""
    table = dashboard_tables.caseload_table(data)
    labels = staff_labels(data.get("staffing") or {})
    order = {label: index for index, label in enumerate(labels.values())}
    rows, others = [], 0
    for row, measure in zip(table.rows, data["caseloads"], strict=True):
        if not (measure["children"] or measure["strategy_meetings_last_3_months"]):
            continue
        label = labels.get(row.label)
        if label is None and measure["iro_id"] is not None:
            others += 1
            label = f"Other chair {others}"
        rows.append(replace(row, label=label or row.label))
    rows.sort(key=lambda row: order.get(row.label, len(order)))
    return replace(table, rows=tuple(rows))


def ni64_trend_svg(data: dict, *, year: int) -> tuple[str, str]:
    """NI 64 over up to five years: this authority (computed for the report's year, published
    before it), statistical neighbours and England, from the benchmarks' reference data."""
    rows = {row["year"]: row for row in (data.get("benchmarks") or {}).get("ni64", [])}
    years = sorted({*rows, year})[-5:]
    local = [
        data["ni64"]["percent"] if y == year else rows.get(y, {}).get("local_value_published")
        for y in years
    ]
    series = [
        ("This authority", local),
        ("Statistical neighbours", [rows.get(y, {}).get("statistical_neighbours") for y in years]),
        ("England", [rows.get(y, {}).get("england") for y in years]),
    ]
    caption = "NI 64 over five years: this authority, statistical neighbours and England (%)"
    with matplotlib.rc_context({**dashboard.STYLE, **FONT_STYLE}):
        figure = Figure(figsize=(9, 3.8))
        ax = figure.subplots()
        labels = [year_label(y) for y in years]
        highest = 1.0
        for (name, values), (colour, _, marker, line) in zip(
            series, dashboard.SERIES, strict=False
        ):
            points = [(x, v) for x, v in zip(labels, values, strict=True) if v is not None]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            highest = max(highest, *ys)
            ax.plot(xs, ys, color=colour, marker=marker, linestyle=line, linewidth=2, label=name)
            if name == "This authority":  # the others' values are in the table beside
                for x, y in points:
                    ax.annotate(
                        fmt.percent(y),
                        (x, y),
                        textcoords="offset points",
                        xytext=(0, -17),
                        ha="center",
                        fontsize=12,
                        color=colour,
                    )
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylim(0, highest * 1.3)
        ax.set_ylabel("Percent of plans ending")
        ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        summary = (
            "Lines across the years, one for this authority, statistical neighbours and England."
        )
        return caption, _to_svg(figure, "ni64_trend", caption, summary)


def _to_svg(figure: Figure, key: str, title: str, summary: str) -> str:
    """Inline SVG: no XML declaration, ids unique to the chart, a <title> for the PDF's
    alternative text and a <desc>, as the dashboard's charts have."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    prefix = f"report-chart-{key}"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    svg = dashboard.without_inline_styles(svg)  # the page's CSP allows no inline styles
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', "", svg, count=1)
    opening = (
        f'<svg id="{prefix}" role="img" aria-labelledby="{prefix}-title" '
        f'aria-describedby="{prefix}-desc" class="app-chart" width="100%"'
    )
    svg = svg.replace("<svg", opening, 1)
    head = f'<title id="{prefix}-title">{escape(title)}</title><desc id="{prefix}-desc">{escape(summary)}</desc>'
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + head, svg, count=1)


BUILDERS = {
    "caseloads": _caseloads,
    "monthly_stock": dashboard_tables.monthly_stock_table,
    "durations": dashboard_tables.duration_table,
    "feedback_months": dashboard_tables.feedback_table,
}


def build(data: dict, *, year: int) -> dict[str, tuple[str, str]]:
    """Every chart of the report, by key: (caption, SVG markup drawn by our own code)."""
    fonts.register_with_matplotlib()
    charts = {"ni64_trend": ni64_trend_svg(data, year=year)}
    for key, builder in BUILDERS.items():
        table = builder(data)
        charts[key] = (table.caption, dashboard.chart_svg(table, style=FONT_STYLE))
    return {key: (caption, _report_font(svg)) for key, (caption, svg) in charts.items()}
