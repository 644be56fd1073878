"""The report's tables, built from `compute_all`'s measures. Nothing here is typed by a
person: each cell is a measure's value, printed by formatting.py.

Each section has its own tables (document.HOME); a narrative places one with a line holding
only `[[table.<key>]]`, and the ones it does not place follow the section's text.
Staff are not named in the published tables: the Senior IRO is "Senior IRO" and the others
"IRO 1", "IRO 2"..., as in the source report.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from children.codes import Ethnicity
from children.models import LookedAfterEpisode
from conferences.models import Category, Conference, StrategyMeeting
from people.models import IROProfile
from quality_assurance.models import Escalation, QAForm
from quality_assurance.questions import BOOLEAN_QUESTIONS, FEEDBACK_LABELS, YES_NO_NA_QUESTIONS
from reporting.formatting import DISTRICT_PLACES

from . import formatting as fmt
from .sections import year_label

DASH = "–"


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    totals: list[str] | None = None
    text_columns: set[int] = field(default_factory=lambda: {0})
    note: str = ""
    wide: bool = False
    empty: str = "None in the year."


# Categories in the source report's order (alphabetical, as its tables list them).
CATEGORY_ORDER = [Category.EMOTIONAL, Category.NEGLECT, Category.PHYSICAL, Category.SEXUAL]
AGE_BAND_LABELS = {"0-4": "0 to 4 years", "5-9": "5 to 9 years", "10-15": "10 to 15 years"}
AGE_BAND_LABELS["16+"] = "16 years and over"
DURATION_LABELS = {
    "A": "A: less than 3 months",
    "B": "B: 3 months or over and less than 6 months",
    "C": "C: 6 months or over and less than 1 year",
    "D": "D: 1 year or over and less than 2 years",
    "E": "E: 2 years or over and less than 3 years",
    "F": "F: 3 years and over",
}
# The questions and their report labels, from the one list (quality_assurance.questions).
YES_NO_NA = YES_NO_NA_QUESTIONS
YES_NO = BOOLEAN_QUESTIONS


def _categories(by_category: dict) -> list[str]:
    """The four categories of the source, and "multiple" only when it has plans."""
    return CATEGORY_ORDER + ([Category.MULTIPLE] if by_category.get(Category.MULTIPLE) else [])


def _share(part: int, whole: int) -> str:
    return fmt.percent(round(100 * part / whole, 2) if whole else None)


def _value(value, kind: str = "percent") -> str:
    if value is None:
        return DASH
    return fmt.percent(value) if kind == "percent" else fmt.decimal(value)


# --- The team (§5) --------------------------------------------------------------------------


def staff_labels(staffing: dict) -> dict[str, str]:
    """Name -> the label the published report uses: "Senior IRO", "IRO 1"..."""
    labels, number = {}, 0
    for member in staffing.get("team", []):
        if member["senior"]:
            labels[member["name"]] = "Senior IRO"
        else:
            number += 1
            labels[member["name"]] = f"IRO {number}"
    return labels


def staffing(data: dict) -> Table:
    staff = data.get("staffing") or {"team": [], "fte_in_post": 0, "vacant_fte": 0}
    labels = staff_labels(staff)
    employment = dict(IROProfile.Employment.choices)
    rows = [
        [
            labels[m["name"]] + (" (part-time)" if m["fte"] < 1 else ""),
            str(m["qualification_year"] or DASH),
            DASH if m["senior"] and not m["began_as_iro_year"] else str(m["began_as_iro_year"]),
            str(m["began_as_senior_year"] or DASH),
            fmt.count(m["fte"]),
            employment.get(m["employment_type"], m["employment_type"]),
        ]
        for m in staff["team"]
    ]
    return Table(
        "staffing",
        f"The team at {fmt.long_date(data['period']['end'])}: experience and posts",
        [
            "Post",
            "Year qualified",
            "Year began as IRO",
            "Year began as Senior IRO",
            "FTE",
            "Employment",
        ],
        rows,
        totals=["Total in post", "", "", "", fmt.count(staff["fte_in_post"]), ""],
        text_columns={0, 5},
        note=f"Vacant posts at the same date: {fmt.count(staff['vacant_fte'])} FTE.",
    )


def caseloads(data: dict) -> Table:
    low, high = settings.IRO_CASELOAD_BAND
    labels = staff_labels(data.get("staffing") or {})
    band = {"above": "Above", "within": "Within", "below": "Below", "none": DASH}
    rows = []
    others = 0
    for row in data["caseloads"]:
        if not (row["children"] or row["strategy_meetings_last_3_months"]):
            continue  # a chair with no cases at the year end: someone who has left
        if row["iro_id"] is None:
            label = row["name"]
        elif row["name"] in labels:
            label = labels[row["name"]]
        else:
            others += 1
            label = f"Other chair {others}"
        rows.append(
            [
                label,
                fmt.count(row["fte"]) if row["fte"] is not None else DASH,
                fmt.count(row["children"]),
                fmt.count(row["households"]),
                fmt.count(row["strategy_meetings_last_3_months"]),
                band.get(row["band"], row["band"]),
            ]
        )
    order = {label: index for index, label in enumerate(labels.values())}
    rows.sort(key=lambda row: order.get(row[0], len(order)))
    return Table(
        "caseloads",
        f"Caseloads at {fmt.long_date(data['period']['end'])}, against the IRO Handbook's "
        f"{low} to {high} children",
        [
            "IRO",
            "FTE",
            "Children on plans",
            "Households",
            "Strategy meetings (3 months)",
            "Handbook band",
        ],
        rows,
        text_columns={0, 5},
    )


# --- Activity and plans (§6) ----------------------------------------------------------------


def activity(data: dict) -> Table:
    held = data["conferences_held"]
    rows = [
        ["Initial child protection conferences (pre-birth included)", fmt.count(held["initial"])],
        ["Review child protection conferences", fmt.count(held["review"])],
    ]
    if held["transfer_in"]:
        rows.append(["Transfer-in conferences", fmt.count(held["transfer_in"])])
    return Table(
        "activity",
        f"Child protection conferences held in {year_label(data['_year'])}",
        ["Conference", "Held"],
        rows,
        totals=["Conferences held", fmt.count(held["total"])],
    )


def strategy_meetings(data: dict) -> Table:
    labels = dict(StrategyMeeting.Kind.choices)
    meetings = data["strategy_meetings_held"]
    rows = [[labels[k], fmt.count(n)] for k, n in meetings["by_kind"].items() if n]
    return Table(
        "strategy_meetings",
        "Strategy meetings held, by kind",
        ["Kind of strategy meeting", "Held"],
        rows,
        totals=["Total", fmt.count(meetings["total"])],
    )


def monthly_stock(data: dict) -> Table:
    stock = data["monthly_stock"]
    categories = _categories(data["plans_open_at_end"]["by_category"])
    if any(row["by_category"].get(Category.MULTIPLE) for row in stock):
        categories = CATEGORY_ORDER + [Category.MULTIPLE]
    labels = dict(Category.choices)
    rows = [
        [labels[c], *(fmt.count(row["by_category"].get(c, 0)) for row in stock)] for c in categories
    ]
    return Table(
        "monthly_stock",
        "Child protection plans open at each month end, by category of abuse",
        ["Category", *(fmt.short_month(row["month_end"]) for row in stock)],
        rows,
        totals=["Total", *(fmt.count(row["total"]) for row in stock)],
        wide=True,
    )


def indicators(data: dict) -> Table:
    year = data["_year"]
    bench = {
        name: {row["year"]: row for row in rows}
        for name, rows in (data.get("benchmarks") or {}).items()
    }
    measures = [
        ("ni64", "NI 64: plans ending that lasted two years or more", data["ni64"]["percent"]),
        ("ni65", "NI 65: plans that were a second or later plan", data["ni65"]["percent"]),
        (
            "ni67",
            "NI 67: children whose reviews were all within timescales",
            data["ni67"]["percent"],
        ),
        (
            "rate_per_10000",
            "Children on a plan per 10,000 under 18",
            data["rate_per_10000"]["rate"],
        ),
        (
            "initial_timeliness",
            "Initial conferences within 15 working days",
            data["initial_conference_timeliness"]["percent"],
        ),
    ]
    published_now = any(
        bench.get(k, {}).get(year, {}).get("local_value_published") for k, *_ in measures
    )
    this, last = year_label(year), year_label(year - 1)
    columns = ["Indicator", f"{last} published", f"{this} from the records"]
    if published_now:
        columns.append(f"{this} published")
    columns += [f"{this} target", f"England {last}", f"Statistical neighbours {last}"]
    rows = []
    for key, label, value in measures:
        kind = "decimal" if key == "rate_per_10000" else "percent"
        now, before = bench.get(key, {}).get(year, {}), bench.get(key, {}).get(year - 1, {})
        row = [label, _value(before.get("local_value_published"), kind), _value(value, kind)]
        if published_now:
            row.append(_value(now.get("local_value_published"), kind))
        row += [
            _value(now.get("local_target"), kind),
            _value(before.get("england"), kind),
            _value(before.get("statistical_neighbours"), kind),
        ]
        rows.append(row)
    return Table(
        "indicators",
        "National indicators, with last year's published figures and benchmarks",
        columns,
        rows,
        note="Benchmarks and earlier published figures are reference data entered by a manager.",
    )


def ni64_trend(data: dict) -> Table:
    year = data["_year"]
    rows_by_year = {row["year"]: row for row in (data.get("benchmarks") or {}).get("ni64", [])}
    years = sorted({*rows_by_year, year})[-5:]
    local = [
        data["ni64"]["percent"]
        if y == year
        else rows_by_year.get(y, {}).get("local_value_published")
        for y in years
    ]
    neighbours = [rows_by_year.get(y, {}).get("statistical_neighbours") for y in years]
    england = [rows_by_year.get(y, {}).get("england") for y in years]
    return Table(
        "ni64_trend",
        "NI 64 over five years: this authority, statistical neighbours and England",
        ["Compared with", *(year_label(y) for y in years)],
        [
            ["This authority", *(_value(v) for v in local)],
            ["Statistical neighbours", *(_value(v) for v in neighbours)],
            ["England", *(_value(v) for v in england)],
        ],
        note=f"{year_label(year)} for this authority is computed from the records; earlier "
        "years are the published figures.",
    )


def _profile_tables(key: str, what: str, profile: dict) -> list[Table]:
    total = profile["total"]
    ages = Table(
        f"{key}_ages",
        f"{what}: age",
        ["Age", "Children"],
        [[AGE_BAND_LABELS[b], fmt.count(n)] for b, n in profile["age_bands"].items()]
        if total
        else [],
        totals=["Total", fmt.count(total)],
        note=(
            f"Average age: {fmt.decimal(profile['average_age'], 1)} years."
            if profile["average_age"] is not None
            else ""
        ),
    )
    labels = dict(Category.choices)
    categories = Table(
        f"{key}_categories",
        f"{what}: category of abuse",
        ["Category", "Children"],
        [[labels[c], fmt.count(n)] for c, n in profile["by_category"].items() if n],
        totals=["Total", fmt.count(total)],
    )
    ethnic = dict(Ethnicity.choices)
    ethnicity = Table(
        f"{key}_ethnicity",
        f"{what}: ethnicity",
        ["Ethnicity", "Children"],
        [[ethnic.get(c, c), fmt.count(n)] for c, n in profile["by_ethnicity"].items() if n],
        totals=["Total", fmt.count(total)],
    )
    return [ages, categories, ethnicity]


def durations(data: dict) -> Table:
    bands = data["plans_ending_by_duration"]
    total = sum(bands.values())
    return Table(
        "durations",
        f"Duration of child protection plans ending in the 12 months to "
        f"{fmt.long_date(data['period']['end'])}",
        ["Duration", "Plans", "Percentage of total"],
        [[DURATION_LABELS[b], fmt.count(n), _share(n, total)] for b, n in bands.items()],
        totals=["Total", fmt.count(total), _share(total, total) if total else DASH],
    )


def late_reviews(data: dict) -> Table:
    numbers: dict[int, int] = {}
    rows = []
    for row in data["late_reviews"]:
        number = numbers.setdefault(row["child_id"], len(numbers) + 1)
        rows.append(
            [
                f"Child {number}",
                row["district"] or DASH,
                fmt.long_date(row["due_on"]),
                fmt.long_date(row["held_on"]),
                fmt.count(row["days_late"]),
                row["reason"],
            ]
        )
    return Table(
        "late_reviews",
        "Review conferences held after the national timescale (NI 67)",
        ["Child", "District", "Due by", "Held on", "Days late", "Reason"],
        rows,
        text_columns={0, 1, 2, 3, 5},
        empty="Every review in the year was held within the national timescale.",
    )


def adjournments(data: dict) -> Table:
    labels = dict(Conference.AdjournmentReason.choices)
    totals: dict[str, int] = {}
    for row in data["adjournments"]:
        reason = labels.get(row["reason"], "Not recorded") if row["reason"] else "Not recorded"
        totals[reason] = totals.get(reason, 0) + row["count"]
    rows = [[reason, fmt.count(n)] for reason, n in sorted(totals.items(), key=lambda i: -i[1])]
    return Table(
        "adjournments",
        "Conferences adjourned or rearranged, by reason",
        ["Reason", "Conferences"],
        rows,
        totals=["Total", fmt.count(sum(totals.values()))] if rows else None,
        empty="No conference was adjourned or rearranged in the year.",
    )


def looked_after(data: dict) -> list[Table]:
    measure = data["looked_after_and_on_plan"]
    placements = dict(LookedAfterEpisode.PlacementType.choices)
    statuses = dict(LookedAfterEpisode.LegalStatus.choices)
    end = fmt.long_date(data["period"]["end"])
    return [
        Table(
            "looked_after_placements",
            f"Children on a plan and looked after at {end}, by placement",
            ["Placement", "Children"],
            [[placements[k], fmt.count(n)] for k, n in measure["by_placement"].items() if n],
            totals=["Total", fmt.count(sum(measure["by_placement"].values()))],
        ),
        Table(
            "looked_after_legal_status",
            f"Children on a plan and looked after at {end}, by legal status",
            ["Legal status", "Children"],
            [[statuses[k], fmt.count(n)] for k, n in measure["by_legal_status"].items() if n],
            totals=["Total", fmt.count(sum(measure["by_legal_status"].values()))],
        ),
    ]


def districts(data: dict) -> Table:
    def rate(row, key):
        value = row[key]["percent"]
        return fmt.percent(value, DISTRICT_PLACES) if value is not None else DASH

    keys = ["ni64", "ni65", "ni67", "initial_conference_timeliness", "decision_sheets_on_time"]
    keys += ["qa_completion", "ended_under_one_year"]
    rows = [
        [row["district"], fmt.count(row["plans_open_at_end"]), *(rate(row, k) for k in keys)]
        for row in data.get("districts") or []
    ]
    return Table(
        "districts",
        "Indicators by district",
        [
            "District",
            "Plans open at year end",
            "NI 64",
            "NI 65",
            "NI 67",
            "Initial conferences in 15 working days",
            "Decision sheets in 1 working day",
            "QA forms per conference",
            "Plans ended under 1 year",
        ],
        rows,
        wide=True,
    )


# --- Quality assurance (§7) -----------------------------------------------------------------


def _escalations_note(total: int, status: dict, overdue: int) -> str:
    """The table's note, naming only the states that some escalation is in."""
    if not total:
        return "No escalations were raised in the year."
    open_ = status.get("open", 0)
    parts = [f"{fmt.count(status['resolved'])} resolved"] if status.get("resolved") else []
    if open_:
        late = f", {fmt.count(overdue)} of them past their response date" if overdue else ""
        parts.append(f"{fmt.count(open_)} open at the year end{late}")
    if status.get("withdrawn"):
        parts.append(f"{fmt.count(status['withdrawn'])} withdrawn")
    raised = "1 escalation" if total == 1 else f"{fmt.count(total)} escalations"
    return f"{raised} raised: {', '.join(parts)}." if parts else f"{raised} raised."


def escalations(data: dict) -> list[Table]:
    measure = data["escalations"]
    levels = dict(Escalation.Level.choices)
    themes = dict(Escalation.Theme.choices)
    status = measure["by_status"]
    note = _escalations_note(measure["total"], status, measure["overdue"])
    return [
        Table(
            "escalations_level",
            "Escalations raised in the year, by the level they reached",
            ["Level reached", "Escalations"],
            [[levels[int(k)], fmt.count(n)] for k, n in measure["by_level"].items()],
            totals=["Total", fmt.count(measure["total"])],
            note=note,
        ),
        Table(
            "escalations_theme",
            "Escalations raised in the year, by theme",
            ["Theme", "Escalations"],
            [[themes[k], fmt.count(n)] for k, n in measure["by_theme"].items() if n],
            totals=["Total", fmt.count(measure["total"])],
            empty="No escalation was raised in the year.",
        ),
    ]


def case_audits(data: dict) -> Table:
    """§7.7: the themed case audits completed in the year, with their overall findings."""
    audits = (data.get("case_audits") or {}).get("audits", [])
    return Table(
        "case_audits",
        "Themed case audits completed in the year",
        ["Audit", "Theme", "Cases", "Completed", "Overall findings"],
        [
            [
                audit["name"],
                audit["theme"],
                fmt.count(audit["cases"]),
                fmt.long_date(audit["completed_on"]),
                audit["overall_findings"],
            ]
            for audit in audits
        ],
        text_columns={0, 1, 3, 4},
        wide=True,
    )


def qa_themes(data: dict) -> list[Table]:
    themes = data["qa_themes"]
    forms = themes["forms"]

    def label(name):
        return str(QAForm._meta.get_field(name).verbose_name).capitalize()

    rows = [
        [
            label(q),
            fmt.count(themes[q]["yes"]),
            fmt.count(themes[q]["no"]),
            fmt.count(themes[q]["na"]),
            _share(themes[q]["yes"], forms),
        ]
        for q in YES_NO_NA
    ]
    rows += [
        [
            label(q),
            fmt.count(themes[q]["yes"]),
            fmt.count(themes[q]["no"]),
            DASH,
            _share(themes[q]["yes"], forms),
        ]
        for q in YES_NO
    ]
    rows.append(
        [
            "Children aged over ten who took part",
            fmt.count(themes["children_over_ten_participated"]),
            DASH,
            DASH,
            DASH,
        ]
    )
    answers = Table(
        "qa_themes",
        f"The chairs' quality assurance forms: {fmt.count(forms)} forms completed in the year",
        ["Question", "Yes", "No", "Not applicable", "Yes, of all forms"],
        rows,
    )
    quality = dict(QAForm.ReportQuality.choices)
    contribution = dict(QAForm.Contribution.choices)
    rows = [
        [f"Social worker's report: {quality[k].lower()}", fmt.count(n), _share(n, forms)]
        for k, n in themes["report_quality"].items()
    ]
    rows += [
        [f"Parents' contribution: {contribution[k].lower()}", fmt.count(n), _share(n, forms)]
        for k, n in themes["parent_contribution"].items()
    ]
    return [
        answers,
        Table(
            "qa_quality",
            "Quality of reports and of parents' contribution, from the QA forms",
            ["Judgement", "Forms", "Of all forms"],
            rows,
        ),
    ]


def _months(period: dict) -> list[str]:
    start = date.fromisoformat(period["start"])
    end = date.fromisoformat(period["end"])
    months, year, month = [], start.year, start.month
    while date(year, month, 1) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def feedback_by_month(data: dict) -> list[dict]:
    """Every month of the period, with 0 for months without questionnaires."""
    by_month = {row["month"]: row for row in data["feedback_returns"]["by_month"]}
    return [
        {
            "month": m,
            "initial": by_month.get(m, {}).get("initial", 0),
            "review": by_month.get(m, {}).get("review", 0),
        }
        for m in _months(data["period"])
    ]


def feedback_months(data: dict) -> Table:
    returns = data["feedback_returns"]
    rows = [
        [
            calendar.month_name[int(row["month"][5:])] + " " + row["month"][:4],
            fmt.count(row["initial"]),
            fmt.count(row["review"]),
            fmt.count(row["initial"] + row["review"]),
        ]
        for row in feedback_by_month(data)
    ]
    return Table(
        "feedback_months",
        "Parent and carer questionnaires received each month",
        ["Month", "After an initial conference", "After a review conference", "Total"],
        rows,
        totals=[
            "Total",
            fmt.count(returns["initial"]),
            fmt.count(returns["review"]),
            fmt.count(returns["total"]),
        ],
        note=f"{fmt.percent(returns['return_rate']['percent'])} of the "
        f"{fmt.count(returns['return_rate']['denominator'])} conferences held.",
    )


def feedback_answers(data: dict) -> Table:
    answers = data["feedback_answers"]
    rows = [
        [label, *(fmt.count(answers[q][a]) for a in ("yes", "partly", "no"))]
        for q, label in FEEDBACK_LABELS.items()
    ]
    return Table(
        "feedback_answers",
        "How parents and carers answered the questionnaire",
        ["Question", "Yes", "Partly", "No"],
        rows,
    )


def build(data: dict, *, year: int) -> dict[str, Table]:
    """Every table of the report, by key."""
    data = {**data, "_year": year}
    tables = [
        staffing(data),
        caseloads(data),
        activity(data),
        strategy_meetings(data),
        monthly_stock(data),
        indicators(data),
        ni64_trend(data),
        *_profile_tables(
            "ni64", "Plans ending after two years or more (NI 64)", data["ni64_cohort"]
        ),
        *_profile_tables(
            "long_plans",
            f"Plans open at {fmt.long_date(data['period']['end'])} for two years or more",
            data["current_plans_over_two_years"],
        ),
        durations(data),
        districts(data),
        late_reviews(data),
        adjournments(data),
        *looked_after(data),
        *escalations(data),
        case_audits(data),
        *qa_themes(data),
        feedback_months(data),
        feedback_answers(data),
    ]
    return {table.key: table for table in tables}
