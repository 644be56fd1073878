"""Every figure a narrative may cite, by placeholder name, from `compute_all`'s measures.

The names are stable: they follow the shape of the measures, not the data, so a placeholder
that is valid for one year is valid for every year (an ethnicity with no children is 0, not
missing). `values(data, report=...)` gives name -> text as the report prints it;
`catalogue(...)` groups them for the list on the edit page.
"""

from children.codes import Ethnicity
from conferences.models import Category
from people.models import Role
from reporting.formatting import DISTRICT_PLACES

from . import formatting as fmt
from . import statements
from .sections import year_label

CATEGORY_SLUGS = {
    Category.NEGLECT: "neglect",
    Category.PHYSICAL: "physical",
    Category.EMOTIONAL: "emotional",
    Category.SEXUAL: "sexual",
    Category.MULTIPLE: "multiple",
}
BAND_NAMES = {"0-4": "0_4", "5-9": "5_9", "10-15": "10_15", "16+": "16_plus"}

# The measures' groups as the edit page lists them, in the report's order.
GROUPS = {
    "report": "This report",
    "period": "The reporting year",
    "plans_open_at_start": "Plans open at the start of the year",
    "plans_open_at_end": "Plans open at the end of the year",
    "rate_per_10000": "Plans per 10,000 children",
    "monthly_stock": "Plans open each month",
    "plans_started": "Plans started",
    "plans_ended": "Plans ended",
    "conferences_held": "Conferences held",
    "strategy_meetings_held": "Strategy meetings held",
    "ni64": "NI 64: plans ending after two years or more",
    "plans_ending_by_duration": "Duration of plans ending",
    "ni64_cohort": "NI 64 cohort",
    "current_plans_over_two_years": "Open plans of two years or more",
    "ni65": "NI 65: repeat plans",
    "ni67": "NI 67: reviews within timescales",
    "late_reviews": "Late reviews",
    "adjournments": "Adjourned or rearranged conferences",
    "initial_conference_timeliness": "Initial conferences within 15 working days",
    "decision_sheets_on_time": "Decision sheets within one working day",
    "looked_after_and_on_plan": "Looked after and on a plan",
    "qa_completion": "QA forms completed",
    "qa_themes": "QA form answers",
    "feedback_returns": "Parent and carer questionnaires",
    "feedback_answers": "Parent and carer answers",
    "escalations": "Escalations",
    "case_audits": "Themed case audits",
    "caseloads": "IRO caseloads",
    "reviews_due": "Reviews due at the end of the year",
    "staffing": "Staffing",
    "benchmarks": "Benchmarks",
    "districts": "Districts",
}
# Lists and shapes that have their own derived figures below, not flattened.
NOT_FLATTENED = {"monthly_stock", "late_reviews", "adjournments", "caseloads", "districts"}
NOT_FLATTENED |= {"benchmarks", "district", "period"}
PERCENT_INDICATORS = {"ni64", "ni65", "ni67", "initial_timeliness"}


def _key(part) -> str:
    part = str(part)
    if part in Category.values:
        return CATEGORY_SLUGS[part]
    return BAND_NAMES.get(part, part).lower().replace("-", "_").replace(" ", "_")


def _format(name: str, value) -> str:
    last = name.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if last == "percent" or last.endswith("_percent"):
        return fmt.percent(value)
    if last == "rate":
        return fmt.decimal(value)
    if last == "average_age":
        return fmt.decimal(value, 1)
    return fmt.count(value)


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{_key(key)}", item, out)
    elif isinstance(value, int | float) or value is None:
        out[prefix] = _format(prefix, value)


def _share(part, whole) -> str:
    return fmt.percent(round(100 * part / whole, 2) if whole else None)


def _profile_extras(name: str, profile: dict, out: dict) -> None:
    """Fill every ethnicity (0 if none) and give each category's share of the cohort."""
    for code in Ethnicity.values:
        out[f"{name}.by_ethnicity.{code.lower()}"] = fmt.count(profile["by_ethnicity"].get(code, 0))
    for code, n in profile["by_category"].items():
        out[f"{name}.by_category.{_key(code)}.percent"] = _share(n, profile["total"])
    for band, n in profile["age_bands"].items():
        out[f"{name}.age_bands.{_key(band)}.percent"] = _share(n, profile["total"])


def _stock_extras(data: dict, out: dict) -> None:
    stock = data["monthly_stock"]
    start, end = data["plans_open_at_start"]["total"], data["plans_open_at_end"]["total"]
    change = end - start
    out["plans_open_at_end.change"] = fmt.count(abs(change))
    out["plans_open_at_end.change_description"] = (
        f"an increase of {fmt.count(change)}"
        if change > 0
        else (f"a decrease of {fmt.count(-change)}" if change < 0 else "no change")
    )
    if stock:
        high = max(stock, key=lambda row: row["total"])
        low = min(stock, key=lambda row: row["total"])
        out["monthly_stock.highest"] = fmt.count(high["total"])
        out["monthly_stock.highest_month"] = fmt.month(high["month_end"])
        out["monthly_stock.lowest"] = fmt.count(low["total"])
        out["monthly_stock.lowest_month"] = fmt.month(low["month_end"])
    for key in ("highest", "highest_month", "lowest", "lowest_month"):
        out.setdefault(f"monthly_stock.{key}", fmt.NOT_AVAILABLE)


def _duration_extras(data: dict, out: dict) -> None:
    bands = data["plans_ending_by_duration"]
    total = sum(bands.values())
    under_a_year = bands["A"] + bands["B"] + bands["C"]
    out["plans_ending_by_duration.total"] = fmt.count(total)
    for band, n in bands.items():
        out[f"plans_ending_by_duration.{band.lower()}.percent"] = _share(n, total)
    out["plans_ending_by_duration.under_one_year"] = fmt.count(under_a_year)
    out["plans_ending_by_duration.under_one_year.percent"] = _share(under_a_year, total)


def _review_extras(data: dict, out: dict) -> None:
    late = data["late_reviews"]
    out["late_reviews.children"] = fmt.count(len({row["child_id"] for row in late}))
    out["late_reviews.conferences"] = fmt.count(len({row["conference_id"] for row in late}))
    out["late_reviews.most_days_late"] = fmt.count(max((r["days_late"] for r in late), default=0))
    out["adjournments.total"] = fmt.count(sum(row["count"] for row in data["adjournments"]))


def _qa_extras(data: dict, out: dict) -> None:
    themes = data["qa_themes"]
    forms = themes["forms"]
    for question, answers in themes.items():
        if isinstance(answers, dict):
            for answer, n in answers.items():
                out[f"qa_themes.{question}.{answer}.percent"] = _share(n, forms)
    shared = themes["report_shared_in_time"]
    out["qa_themes.report_shared_in_time.not_yes"] = fmt.count(forms - shared["yes"])
    out["qa_themes.report_shared_in_time.not_yes.percent"] = _share(forms - shared["yes"], forms)


def _caseload_extras(data: dict, out: dict) -> None:
    from django.conf import settings

    low, high = settings.IRO_CASELOAD_BAND
    iros = [row for row in data["caseloads"] if row["iro_id"] is not None and row["children"]]
    children = [row["children"] for row in iros]
    out["caseloads.lowest"] = fmt.count(min(children)) if children else fmt.NOT_AVAILABLE
    out["caseloads.highest"] = fmt.count(max(children)) if children else fmt.NOT_AVAILABLE
    out["caseloads.average"] = (
        fmt.decimal(sum(children) / len(children), 1) if children else fmt.NOT_AVAILABLE
    )
    out["caseloads.iros_above_band"] = fmt.count(sum(1 for row in iros if row["band"] == "above"))
    out["caseloads.band_low"] = fmt.count(low)
    out["caseloads.band_high"] = fmt.count(high)


def _staffing_extras(data: dict, out: dict) -> None:
    staffing = data.get("staffing") or {"team": [], "fte_in_post": 0, "vacant_fte": 0}
    team = staffing["team"]
    seniors = [member["name"] for member in team if member["senior"]]
    out["staffing.senior_iro"] = seniors[0] if seniors else fmt.NOT_AVAILABLE
    out["staffing.iros"] = fmt.count(len(team))
    out["staffing.fte_in_post"] = fmt.count(staffing["fte_in_post"])
    out["staffing.vacant_fte"] = fmt.count(staffing["vacant_fte"])
    for kind in ("permanent", "temporary", "agency", "secondment"):
        fte = sum(m["fte"] for m in team if m["employment_type"] == kind)
        out[f"staffing.{kind}_fte"] = fmt.count(round(fte, 2))
    qualified = [m["qualification_year"] for m in team if m["qualification_year"]]
    out["staffing.earliest_qualified"] = str(min(qualified)) if qualified else fmt.NOT_AVAILABLE
    out["staffing.latest_qualified"] = str(max(qualified)) if qualified else fmt.NOT_AVAILABLE


def _benchmark_extras(data: dict, year: int, out: dict) -> None:
    benchmarks = data.get("benchmarks") or {}
    for indicator in ("ni64", "ni65", "ni67", "rate_per_10000", "initial_timeliness"):
        rows = {row["year"]: row for row in benchmarks.get(indicator, [])}
        for when, row_year in (("this_year", year), ("last_year", year - 1)):
            row = rows.get(row_year, {})
            for field in ("local_value_published", "england", "statistical_neighbours"):
                value = row.get(field)
                name = f"benchmarks.{indicator}.{when}.{field}"
                out[name] = (
                    fmt.percent(value) if indicator in PERCENT_INDICATORS else fmt.decimal(value)
                )
            target = row.get("local_target")
            out[f"benchmarks.{indicator}.{when}.local_target"] = (
                fmt.percent(target) if indicator in PERCENT_INDICATORS else fmt.decimal(target)
            )


def _case_audit_extras(data: dict, out: dict) -> None:
    """§7.7: a sentence on the themed case audits completed in the year (case_audits app).
    Figures stored before audits were recorded have none, and say nothing."""
    audits = data.get("case_audits")
    if audits is None:
        return
    done, cases = audits["completed"], audits["cases"]
    if not done:
        out["case_audits.sentence"] = "No themed case audit was completed in the year."
        return
    what = "1 themed case audit" if done == 1 else f"{fmt.count(done)} themed case audits"
    of = "1 case" if cases == 1 else f"{fmt.count(cases)} cases"
    out["case_audits.sentence"] = f"The Senior IRO completed {what} in the year, of {of} in all."


def _district_extras(data: dict, out: dict) -> None:
    rows = data.get("districts") or []
    for measure in ("ni64", "ni65", "ni67", "initial_conference_timeliness", "qa_completion"):
        rated = [row for row in rows if row[measure]["percent"] is not None]
        for which, pick in (("highest", max), ("lowest", min)):
            row = pick(rated, key=lambda r, m=measure: r[m]["percent"]) if rated else None
            name = f"districts.{measure}.{which}"
            out[f"{name}.district"] = row["district"] if row else fmt.NOT_AVAILABLE
            value = row[measure]["percent"] if row else None
            out[f"{name}.percent"] = fmt.percent(value, DISTRICT_PLACES)
    for row in rows:
        slug = _key(row["district"])
        for measure in ("ni64", "ni65", "ni67", "ended_under_one_year"):
            value = row[measure]["percent"]
            out[f"districts.{slug}.{measure}.percent"] = fmt.percent(value, DISTRICT_PLACES)
            out[f"districts.{slug}.{measure}.numerator"] = fmt.count(row[measure]["numerator"])
            out[f"districts.{slug}.{measure}.denominator"] = fmt.count(row[measure]["denominator"])


def report_values(*, year: int, approved_by=None, approved_at=None) -> dict[str, str]:
    """The figures about the report itself: its year and its approval."""
    out = {
        "report.year": year_label(year),
        "report.next_year": year_label(year + 1),
        "report.previous_year": year_label(year - 1),
        "report.approved_by": approved_by.display_name if approved_by else "not yet approved",
        "report.approved_by_role": (
            Role(approved_by.role).label if approved_by and approved_by.role else ""
        ),
        "report.approved_on": fmt.long_date(approved_at.date()) if approved_at else "not yet",
    }
    return out


def values(data: dict, *, year: int, approved_by=None, approved_at=None) -> dict[str, str]:
    """name -> printed value, for every figure a narrative may cite."""
    out = report_values(year=year, approved_by=approved_by, approved_at=approved_at)
    out["period.start"] = fmt.long_date(data["period"]["start"])
    out["period.end"] = fmt.long_date(data["period"]["end"])
    for key, value in data.items():
        if key not in NOT_FLATTENED:
            _flatten(key, value, out)
    for name in ("ni64_cohort", "current_plans_over_two_years"):
        _profile_extras(name, data[name], out)
    _stock_extras(data, out)
    _duration_extras(data, out)
    _review_extras(data, out)
    _qa_extras(data, out)
    _caseload_extras(data, out)
    _staffing_extras(data, out)
    _benchmark_extras(data, year, out)
    _district_extras(data, out)
    _case_audit_extras(data, out)
    out.update(statements.values(data, out))  # sentences worded from the figures
    return out


def catalogue(figures: dict[str, str]) -> list[dict]:
    """The figures grouped as the edit page lists them: [{"label", "figures": [(name, value)]}]."""
    groups: dict[str, list] = {key: [] for key in GROUPS}
    for name, value in figures.items():
        top = name.split(".", 1)[0]
        groups.setdefault(top if top in GROUPS else "report", []).append((name, value))
    return [
        {"key": key, "label": GROUPS.get(key, key), "figures": sorted(items)}
        for key, items in groups.items()
        if items
    ]
