"""The dashboard's figures as tables: one `Table` feeds the HTML table, the chart drawn beside
it (reporting.charts) and the CSV download (reporting.csv), so the three cannot disagree.

Builders take compute_all's figures (from a stored snapshot or computed live) and only
reshape them: no figure is computed here.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from children.models import LookedAfterEpisode
from conferences.models import Category
from quality_assurance.models import Escalation, QAForm

from .formatting import DISTRICT_PLACES, Percent, percent, percent_text
from .metrics.periods import Period
from .metrics.quality import BOOLEAN_QUESTIONS, YES_NO_NA_QUESTIONS
from .selectors import reporting_year_of

CATEGORY_LABELS = dict(Category.choices)
DURATION_LABELS = {
    "A": "Under 3 months",
    "B": "3 months to under 6",
    "C": "6 months to under 1 year",
    "D": "1 year to under 2",
    "E": "2 years to under 3",
    "F": "3 years or more",
}
BAND_LABELS = {"below": "Below", "within": "Within", "above": "Above", "none": "No chair"}
INDICATORS = {
    "ni64": "NI 64: plans lasting 2 years or more",
    "ni65": "NI 65: repeat plans",
    "ni67": "NI 67: reviews on time",
}


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple
    url: str = ""
    key: str = ""  # a machine-readable label (an ISO date), for the chart's axis


@dataclass(frozen=True)
class Table:
    """Figures with a caption, column headings and one row per thing counted."""

    name: str  # the CSV's name, and the chart's id
    caption: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""

    def column(self, heading: str) -> list:
        index = self.columns.index(heading)
        return [row.values[index] for row in self.rows]

    def numeric(self) -> list[bool]:
        """Which columns hold numbers: right-aligned, as GOV.UK tables align numbers."""
        columns = [self.column(heading) for heading in self.columns]
        return [
            bool(values) and all(_is_number(v) or v is None for v in values) for values in columns
        ]

    def header(self) -> list[tuple[str, bool]]:
        return list(zip(self.columns, self.numeric(), strict=True))

    def cells(self) -> list[tuple[Row, list[tuple[str, bool]]]]:
        """Each row with its values as (text, is_number), for the HTML table."""
        numeric = self.numeric()
        return [
            (row, [(format_value(v), n) for v, n in zip(row.values, numeric, strict=True)])
            for row in self.rows
        ]


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def format_value(value) -> str:
    """A figure as the table and the chart both show it: 1,234; 46.9%; 22.36; 1 Aug 2024."""
    if value is None:
        return "Not available"
    if isinstance(value, Percent):
        return percent_text(value, value.places)
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    return str(value)


def _percent(numerator: int, denominator: int) -> Percent | None:
    """A share as the measures store theirs: two places (percent_text prints one)."""
    return percent(round(100 * numerator / denominator, 2)) if denominator else None


# --- Tables, from compute_all's figures ------------------------------------------------------


def caseload_table(data: dict) -> Table:
    low, high = settings.IRO_CASELOAD_BAND
    rows = tuple(
        Row(
            r["name"],
            (
                r["children"],
                r["households"],
                r["strategy_meetings_last_3_months"],
                BAND_LABELS[r["band"]],
            ),
        )
        for r in data["caseloads"]
    )
    return Table(
        name="caseloads",
        caption=f"Children on plans per IRO on {_day(data['period']['end'])}",
        row_heading="IRO",
        columns=("Children", "Households", "Strategy meetings, last 3 months", "Caseload band"),
        rows=rows,
        note=f"The handbook recommends {low} to {high} children per full-time IRO.",
    )


def monthly_stock_table(data: dict) -> Table:
    categories = list(CATEGORY_LABELS)
    rows = tuple(
        Row(
            date.fromisoformat(month["month_end"]).strftime("%-d %B %Y"),
            (*(month["by_category"][c] for c in categories), month["total"]),
            key=month["month_end"],
        )
        for month in data["monthly_stock"]
    )
    return Table(
        name="monthly_stock",
        caption="Plans open at each month end, by category",
        row_heading="Month end",
        columns=(*(CATEGORY_LABELS[c] for c in categories), "Total"),
        rows=rows,
    )


def _comparators(rows: list[dict], year: int) -> dict:
    """The year's England and statistical-neighbour figures, or, while they are not yet
    published (the current year), the latest earlier year's."""
    published = [r for r in rows if r["year"] <= year and r["england"] is not None]
    return max(published, key=lambda r: r["year"], default={})


def indicator_table(data: dict) -> Table:
    """NI 64, 65 and 67 for the period beside the year's target, England and statistical
    neighbours (reference data: compute_all's `benchmarks`)."""
    year = _reporting_year(data)
    rows, older = [], set()
    for key, label in INDICATORS.items():
        measure, reference = data[key], data["benchmarks"].get(key, [])
        target = next((r["local_target"] for r in reference if r["year"] == year), None)
        comparators = _comparators(reference, year)
        if comparators and comparators["year"] != year:
            older.add(comparators["year"])
        values = (
            percent(measure["percent"]),
            f"{measure['numerator']} of {measure['denominator']}",
            percent(target),
            percent(comparators.get("england")),
            percent(comparators.get("statistical_neighbours")),
        )
        rows.append(Row(label, values))
    note = "Lower is better for NI 64 and NI 65; higher is better for NI 67."
    if older:
        years = " and ".join(f"{y - 1}/{str(y)[-2:]}" for y in sorted(older))
        note += f" England and statistical neighbours: {years}, the latest published."
    return Table(
        name="indicators",
        caption="National indicators against target, England and statistical neighbours",
        row_heading="Indicator",
        columns=("This authority", "Count", "Target", "England", "Statistical neighbours"),
        rows=tuple(rows),
        note=note,
    )


def duration_table(data: dict) -> Table:
    counts = data["plans_ending_by_duration"]
    total = sum(counts.values())
    rows = tuple(
        Row(f"{band}: {label}", (counts[band], _percent(counts[band], total)))
        for band, label in DURATION_LABELS.items()
    )
    return Table(
        name="durations",
        caption=f"How long the {total} plans that ended had lasted",
        row_heading="Duration",
        columns=("Plans", "Percent"),
        rows=rows,
    )


def feedback_table(data: dict) -> Table:
    """Questionnaires per month of the period, months with none included as 0."""
    by_month = {row["month"]: row for row in data["feedback_returns"]["by_month"]}
    period = Period(*(date.fromisoformat(data["period"][k]) for k in ("start", "end")))
    rows = []
    for month_end in period.month_ends():
        row = by_month.get(month_end.strftime("%Y-%m"), {"initial": 0, "review": 0})
        total = row["initial"] + row["review"]
        rows.append(
            Row(
                month_end.strftime("%B %Y"),
                (row["initial"], row["review"], total),
                key=month_end.isoformat(),
            )
        )
    return Table(
        name="feedback",
        caption="Parent and carer questionnaires returned each month",
        row_heading="Month",
        columns=("After initial conference", "After review conference", "Total"),
        rows=tuple(rows),
    )


def qa_themes_table(data: dict) -> Table:
    themes = data["qa_themes"]
    rows = []
    for question in [*YES_NO_NA_QUESTIONS, *BOOLEAN_QUESTIONS]:
        answers = themes[question]
        label = str(QAForm._meta.get_field(question).verbose_name)
        yes, no = answers["yes"], answers["no"]
        # A yes/no question has no "not applicable" answer: none of the forms gave one.
        values = (yes, no, answers.get("na", 0), _percent(yes, yes + no))
        rows.append(Row(label[0].upper() + label[1:], values))
    return Table(
        name="qa_themes",
        caption=f"Answers on the {themes['forms']} chairs' quality assurance forms",
        row_heading="Question",
        columns=("Yes", "No", "Not applicable", "Percent yes"),
        rows=tuple(rows),
        note="Percent yes is of the forms that answered yes or no.",
    )


def _count_rows(labels: dict, counts: dict) -> tuple:
    return tuple(Row(label, (counts.get(str(key), 0),)) for key, label in labels.items())


def escalation_tables(data: dict, *, within: str) -> tuple[Table, Table, Table]:
    """The escalations raised in a period (`within`: "the year", "the quarter"): a summary by
    status, then by the level they reached and by theme (§7.1)."""
    measure = data["escalations"]
    status = measure["by_status"]
    summary = Table(
        name="escalations",
        caption=f"Escalations raised in {within}",
        row_heading="Escalations",
        columns=("Number",),
        rows=(
            Row("Raised", (measure["total"],)),
            Row("Resolved", (status["resolved"],)),
            Row("Still open", (status["open"],)),
            Row("Open and past their response date", (measure["overdue"],)),
            Row("Withdrawn", (status["withdrawn"],)),
        ),
        note=f"Resolved, open and withdrawn are the escalations raised in {within}, as they "
        f"stand now; past their response date is at the end of {within}.",
    )
    by_level = Table(
        name="escalations_level",
        caption=f"Escalations raised in {within}, by the level they reached",
        row_heading="Level reached",
        columns=("Escalations",),
        rows=_count_rows(dict(Escalation.Level.choices), measure["by_level"]),
    )
    by_theme = Table(
        name="escalations_theme",
        caption=f"Escalations raised in {within}, by theme",
        row_heading="Theme",
        columns=("Escalations",),
        rows=_count_rows(dict(Escalation.Theme.choices), measure["by_theme"]),
    )
    return summary, by_level, by_theme


def escalations_table(data: dict) -> Table:
    return escalation_tables(data, within="the year")[0]


def escalations_level_table(data: dict) -> Table:
    return escalation_tables(data, within="the year")[1]


def district_table(data: dict) -> Table:
    keys = ["ni64", "ni65", "ni67", "initial_conference_timeliness", "decision_sheets_on_time"]
    rows = tuple(
        Row(
            d["district"],
            (
                d["plans_open_at_end"],
                *(percent(d[k]["percent"], DISTRICT_PLACES) for k in keys),
                percent(d["qa_completion"]["percent"], DISTRICT_PLACES),
                percent(d["ended_under_one_year"]["percent"], DISTRICT_PLACES),
            ),
        )
        for d in data["districts"]
    )
    return Table(
        name="districts",
        caption="Rates by district",
        row_heading="District",
        columns=(
            "Plans open",
            "NI 64",
            "NI 65",
            "NI 67",
            "Initial conferences on time",
            "Decision sheets on time",
            "QA forms completed",
            "Plans ended within a year",
        ),
        rows=rows,
    )


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%-d %B %Y")


def _reporting_year(data: dict) -> int:
    return reporting_year_of(date.fromisoformat(data["period"]["end"]))


# name -> (builder, the figures it needs), in the dashboard's order. A CSV download computes
# only the figures its table needs when there is no stored snapshot.
TABLES = {
    "indicators": (indicator_table, ("ni64", "ni65", "ni67", "benchmarks")),
    "caseloads": (caseload_table, ("caseloads",)),
    "monthly_stock": (monthly_stock_table, ("monthly_stock",)),
    "durations": (duration_table, ("plans_ending_by_duration",)),
    "feedback": (feedback_table, ("feedback_returns",)),
    "qa_themes": (qa_themes_table, ("qa_themes",)),
    "escalations": (escalations_table, ("escalations",)),
    "escalations_level": (escalations_level_table, ("escalations",)),
    "districts": (district_table, ("districts",)),
}


def dashboard_tables(data: dict) -> dict[str, Table]:
    """Every table there are figures for (no district table for one district), by name."""
    return {
        name: build(data)
        for name, (build, needs) in TABLES.items()
        if all(key in data for key in needs)
    }


# --- Monthly lists of plans (§6.3.4), from reporting.selectors' querysets ---------------------

LEGAL_STATUS = dict(LookedAfterEpisode.LegalStatus.choices)
PLACEMENT = dict(LookedAfterEpisode.PlacementType.choices)


def _child_row(plan, values: tuple) -> Row:
    child = plan.child
    return Row(
        child.full_name,
        (child.local_id, child.district.name, *values),
        url=reverse("children:detail", args=[child.pk]),
    )


def _months_between(start: date, end: date) -> int:
    difference = relativedelta(end, start)
    return difference.years * 12 + difference.months


def plans_over_12_months_table(plans, *, on: date) -> Table:
    rows = tuple(
        _child_row(
            plan,
            (
                plan.start_date,
                _months_between(plan.start_date, on),
                CATEGORY_LABELS.get(plan.category_then, plan.category_then),
            ),
        )
        for plan in plans
    )
    return Table(
        name="plans-over-12-months",
        caption=f"Plans open on {on:%-d %B %Y} that had lasted 12 months or more",
        row_heading="Child",
        columns=("Child ID", "District", "Plan started", "Months on plan", "Category then"),
        rows=rows,
    )


def repeat_plans_table(plans, *, on: date) -> Table:
    def previous(plan) -> date | str:
        if plan.previous_end is not None:
            return plan.previous_end
        if plan.had_earlier:
            return "Still open when this one started"
        return f"Not in this system ({plan.number_of_previous_plans} imported)"

    rows = tuple(_child_row(plan, (plan.start_date, previous(plan))) for plan in plans)
    return Table(
        name="repeat-plans",
        caption=f"Repeat plans: started in the 12 months to {on:%-d %B %Y} after an earlier plan",
        row_heading="Child",
        columns=("Child ID", "District", "Plan started", "Previous plan ended"),
        rows=rows,
    )


def looked_after_table(plans, *, on: date) -> Table:
    rows = tuple(
        _child_row(
            plan,
            (
                plan.start_date,
                plan.looked_after_since,
                LEGAL_STATUS.get(plan.legal_status, plan.legal_status),
                PLACEMENT.get(plan.placement_type, plan.placement_type),
            ),
        )
        for plan in plans
    )
    return Table(
        name="looked-after",
        caption=f"Children on a plan on {on:%-d %B %Y} who were also looked after",
        row_heading="Child",
        columns=(
            "Child ID",
            "District",
            "Plan started",
            "Looked after since",
            "Legal status",
            "Placement",
        ),
        rows=rows,
    )
