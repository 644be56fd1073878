"""The report's charts: the dashboard's (reporting/charts.py, from reporting/tables.py), drawn
from the same measures, as inline vector SVG with a <title> (the PDF's alternative text) and
role="img".

The one difference: the published report does not name staff, so the caseload chart labels
each IRO as the staffing table does ("Senior IRO", "IRO 1"...).
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

from .sections import year_label
from .tables import staff_labels

# matplotlib says, at INFO, that month labels look like numbers; it is not news.
logging.getLogger("matplotlib.category").setLevel(logging.WARNING)


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
    with matplotlib.rc_context(dashboard.STYLE):
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
                        f"{y:.1f}%",
                        (x, y),
                        textcoords="offset points",
                        xytext=(0, -17),
                        ha="center",
                        fontsize=11,
                        color=colour,
                    )
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylim(0, highest * 1.3)
        ax.set_ylabel("Percent of plans ending")
        ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    summary = "Lines across the years, one for this authority, statistical neighbours and England."
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
    svg = svg.replace("*{", f"#{prefix} *{{", 1)
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
    charts = {"ni64_trend": ni64_trend_svg(data, year=year)}
    for key, builder in BUILDERS.items():
        table = builder(data)
        charts[key] = (table.caption, dashboard.chart_svg(table))
    return charts
