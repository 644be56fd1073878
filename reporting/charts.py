"""The dashboard's charts, drawn on the server as SVG from the same `Table` (reporting.tables)
that the page shows beside each chart and offers as a CSV, so the three cannot disagree.

Charts use matplotlib's object API (no pyplot, so no global state between requests) and its
SVG backend, keep their text as text, and carry a <title> and <desc> with role="img" for
screen readers. Series are told apart by hatching, markers, line styles and labels, never by
colour alone.
"""

import io
import re
from datetime import date
from html import escape

import matplotlib
from django.conf import settings
from matplotlib.figure import Figure

from .tables import Table, dashboard_tables, format_value

# --- Charts ----------------------------------------------------------------------------------

INK, GREY, BAND = "#0b0c0c", "#505a5f", "#cce2d8"
# Okabe-Ito colours, darkened where needed for 3:1 contrast with white, each with its own
# hatch, marker and line style so no series depends on colour alone.
SERIES = [
    ("#0072b2", "", "o", "-"),
    ("#d55e00", "//", "s", "--"),
    ("#007a5a", "\\\\", "^", "-."),
    ("#6c3483", "xx", "D", ":"),
    ("#8a6d00", "..", "v", (0, (5, 1))),
]
STYLE = {
    "svg.fonttype": "none",  # text stays text: selectable, and read by screen readers
    "svg.hashsalt": "iro-dashboard",  # the same figures give the same SVG
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"],
    "font.size": 13,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": GREY,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def chart_svg(table: Table, *, style: dict | None = None) -> str:
    """The chart of a table, as inline SVG markup. `style` overrides matplotlib settings of
    STYLE (the annual report draws the same charts in its own font)."""
    with _style(style):  # also around saving: the SVG backend reads svg.fonttype then
        figure, summary = DRAW[table.name](table)
        return _to_svg(figure, table, summary)


def _style(overrides: dict | None = None):
    return matplotlib.rc_context({**STYLE, **(overrides or {})})


def _to_svg(figure: Figure, table: Table, summary: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'<g id="[^"]+">', "<g>", svg)  # matplotlib's names for its groups
    prefix = f"chart-{table.name}"
    # The ids that remain are referred to (clip paths, markers): unique on a page of charts.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    svg = without_inline_styles(svg)
    width = re.search(r'width="([\d.]+)pt"', svg).group(1)
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', "", svg, count=1)
    # Its drawn width in CSS pixels; the page's CSS shrinks it to fit (max-width: 100%).
    opening = (
        f'<svg id="{prefix}" role="img" aria-labelledby="{prefix}-title" '
        f'aria-describedby="{prefix}-desc" class="app-chart" width="{float(width) * 4 / 3:.0f}"'
    )
    svg = svg.replace("<svg", opening, 1)
    title = f'<title id="{prefix}-title">{escape(table.caption)}</title>'
    desc = f'<desc id="{prefix}-desc">{escape(summary)}</desc>'
    return re.sub(r"(<svg[^>]*>)", rf"\1{title}{desc}", svg, count=1)


# matplotlib's one style rule, for every element of its SVG.
_STYLE_ELEMENT = re.compile(r"<style[^>]*>\*\{([^}]*)\}</style>\s*")
_STYLE_ATTRIBUTE = re.compile(r'(<[\w:]+[^>]*?)\sstyle="([^"]*)"')


def _declarations(css: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in css.split(";") if ":" in item)
    return {name.strip(): value.strip() for name, value in pairs}


def _attributes(declarations: dict[str, str]) -> str:
    return "".join(
        f' {name}="{escape(value, quote=False).replace(chr(34), "&quot;")}"'
        for name, value in declarations.items()
    )


def without_inline_styles(svg: str) -> str:
    """matplotlib's SVG with its styles as SVG presentation attributes (fill="#0072b2", not
    style="fill: #0072b2"), which draw the same: the service's Content Security Policy lets no
    page carry a <style> element or a style attribute (settings.CONTENT_SECURITY_POLICY).

    Its <style> rule (*{stroke-linejoin: round; stroke-linecap: butt}) goes on the <svg>, and
    its elements inherit it unless they set their own.
    """
    rule = _STYLE_ELEMENT.search(svg)
    defaults = _declarations(rule.group(1)) if rule else {}
    svg = _STYLE_ELEMENT.sub("", svg, count=1)
    svg = _STYLE_ATTRIBUTE.sub(lambda m: m.group(1) + _attributes(_declarations(m.group(2))), svg)
    return re.sub(r"<svg\b", lambda m: m.group(0) + _attributes(defaults), svg, count=1)


def _finish(ax, *, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y" if ylabel else "x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def _caseload_chart(table: Table) -> tuple[Figure, str]:
    low, high = settings.IRO_CASELOAD_BAND
    names = [row.label for row in table.rows][::-1]
    children = table.column("Children")[::-1]
    bands = table.column("Caseload band")[::-1]
    figure = Figure(figsize=(9, 1.2 + 0.5 * max(len(names), 1)))
    ax = figure.subplots()
    ax.axvspan(low, high, color=BAND, zorder=0)
    ax.text((low + high) / 2, len(names) - 0.4, f"Recommended\n{low} to {high}", ha="center")
    positions = range(len(names))
    bars = ax.barh(positions, children, color=SERIES[0][0], edgecolor=INK, linewidth=0.8)
    ax.set_yticks(positions, names)
    labels = [f"{format_value(n)} ({b.lower()})" for n, b in zip(children, bands, strict=True)]
    ax.bar_label(bars, labels=labels, padding=4)
    ax.set_xlim(0, max([high, *children]) * 1.3)
    ax.set_ylim(-0.6, len(names) + 0.4)
    _finish(ax, xlabel="Children on plans")
    summary = f"Horizontal bars, one per IRO, with the {low} to {high} band shaded."
    return figure, summary


def _stock_chart(table: Table) -> tuple[Figure, str]:
    months = [date.fromisoformat(row.key) for row in table.rows]
    ticks = [_month_tick(m, first=i == 0) for i, m in enumerate(months)]
    figure = Figure(figsize=(9, 4.6))
    ax = figure.subplots()
    for index, heading in enumerate(table.columns[:-1]):
        colour, _, marker, line = SERIES[index % len(SERIES)]
        ax.plot(
            range(len(ticks)),
            table.column(heading),
            color=colour,
            marker=marker,
            linestyle=line,
            linewidth=2,
            markersize=6,
            label=heading,
        )
    ax.plot(
        range(len(ticks)), table.column("Total"), color=INK, marker="o", linewidth=3, label="Total"
    )
    ax.set_xticks(range(len(ticks)), ticks)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_ylim(0, max([1, *table.column("Total")]) * 1.15)
    _finish(ax, ylabel="Plans open")
    return figure, "Lines, one per category and one for the total, across the month ends."


def _month_tick(month: date, *, first: bool) -> str:
    """ "Apr", with the year under the first month and under each January."""
    return month.strftime("%b\n%Y") if first or month.month == 1 else month.strftime("%b")


def _indicator_chart(table: Table) -> tuple[Figure, str]:
    """One panel per indicator, each on its own scale (NI 64 is a few percent, NI 67 near
    100), with every bar named on the axis and labelled with its value."""
    headings = ("This authority", "Target", "England", "Statistical neighbours")
    figure = Figure(figsize=(9, 2.1 * len(table.rows) + 0.4))
    axes = figure.subplots(len(table.rows), 1)
    for ax, row in zip(axes, table.rows, strict=True):
        values = [row.values[table.columns.index(h)] for h in headings]
        widths = [v or 0 for v in values]
        positions = range(len(headings))[::-1]  # "This authority" at the top
        bars = ax.barh(positions, widths, color=[s[0] for s in SERIES], edgecolor=INK)
        for bar, (_, hatch, _, _) in zip(bars, SERIES, strict=False):
            bar.set_hatch(hatch)
        labels = [format_value(v) if v is not None else "not available" for v in values]
        ax.bar_label(bars, labels=labels, padding=4)
        ax.set_yticks(positions, headings)
        ax.set_xlim(0, max([10, *widths]) * 1.25)
        ax.set_title(row.label, loc="left", fontsize=13, fontweight="bold")
        _finish(ax, xlabel="Percent" if ax is axes[-1] else "")
    figure.subplots_adjust(hspace=0.7)
    summary = "Three bar charts, one per indicator: this authority, target, England, neighbours."
    return figure, summary


def _duration_chart(table: Table) -> tuple[Figure, str]:
    labels = [row.label for row in table.rows][::-1]  # band A at the top
    plans = table.column("Plans")[::-1]
    percents = table.column("Percent")[::-1]
    figure = Figure(figsize=(9, 3.8))
    ax = figure.subplots()
    positions = range(len(labels))
    bars = ax.barh(positions, plans, color=SERIES[0][0], edgecolor=INK, linewidth=0.8)
    texts = [
        f"{format_value(n)} ({format_value(p)})" if p is not None else format_value(n)
        for n, p in zip(plans, percents, strict=True)
    ]
    ax.bar_label(bars, labels=texts, padding=4)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, max([1, *plans]) * 1.25)
    _finish(ax, xlabel="Plans ended")
    return figure, "Bars, one per duration band from under 3 months to 3 years or more."


def _feedback_chart(table: Table) -> tuple[Figure, str]:
    positions = range(len(table.rows))
    ticks = [_month_tick(date.fromisoformat(r.key), first=i == 0) for i, r in enumerate(table.rows)]
    initial = table.column("After initial conference")
    review = table.column("After review conference")
    figure = Figure(figsize=(9, 4.4))
    ax = figure.subplots()
    style = {"edgecolor": INK, "linewidth": 0.8}
    ax.bar(positions, initial, color=SERIES[0][0], label="After initial conference", **style)
    bars = ax.bar(
        positions,
        review,
        bottom=initial,
        color=SERIES[1][0],
        hatch=SERIES[1][1],
        label="After review conference",
        **style,
    )
    ax.bar_label(bars, labels=[format_value(t) for t in table.column("Total")], padding=3)
    ax.set_xticks(positions, ticks)
    ax.set_ylim(0, max([1, *table.column("Total")]) * 1.25)
    ax.legend(loc="upper left", ncols=2, frameon=False)
    _finish(ax, ylabel="Questionnaires")
    return figure, "Stacked bars per month: after initial conferences, then after reviews."


DRAW = {
    "caseloads": _caseload_chart,
    "monthly_stock": _stock_chart,
    "indicators": _indicator_chart,
    "durations": _duration_chart,
    "feedback": _feedback_chart,
}


def dashboard_charts(data: dict) -> dict[str, str]:
    """Every chart of the dashboard for a set of figures (with their reference data), as SVG
    by table name: drawn once when the figures are stored (services.snapshot_compute)."""
    return {
        name: chart_svg(table) for name, table in dashboard_tables(data).items() if name in DRAW
    }
