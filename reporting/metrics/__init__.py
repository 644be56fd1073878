"""Every measure of the annual report: one function each, aggregated in SQL (indicators.md,
quality-assurance.md). The dashboard, API, CSV downloads, Celery snapshots and the annual
report all call `compute_all` or the functions it lists, so they cannot disagree."""

import functools
from collections.abc import Callable

from people.models import District
from reporting.models import Benchmark

from . import conferences, plans, quality, reviews, staff
from .periods import Period, ratio
from .shared import once, shared_district_figures, sharing
from .sql import bounded
from .together import one_snapshot, run_steps

__all__ = [
    "MEASURES",
    "Period",
    "compute_all",
    "district_breakdown",
    "measure_steps",
    "ratio",
    "shared_district_figures",
]

# name -> function(*, period, district). Order is the order of the annual report.
MEASURES = {
    "plans_open_at_start": plans.plans_open_at_start,
    "plans_open_at_end": plans.plans_open_at_end,
    "rate_per_10000": plans.rate_per_10000,
    "monthly_stock": plans.monthly_stock,
    "plans_started": plans.plans_started,
    "plans_ended": plans.plans_ended,
    "conferences_held": conferences.conferences_held,
    "strategy_meetings_held": conferences.strategy_meetings_held,
    "ni64": plans.ni64,
    "plans_ending_by_duration": plans.plans_ending_by_duration,
    "ni64_cohort": plans.ni64_cohort,
    "current_plans_over_two_years": plans.current_plans_over_two_years,
    "ni65": plans.ni65,
    "ni67": reviews.ni67,
    "late_reviews": reviews.late_reviews,
    "adjournments": conferences.adjournments,
    "initial_conference_timeliness": conferences.initial_conference_timeliness,
    "decision_sheets_on_time": conferences.decision_sheets_on_time,
    "looked_after_and_on_plan": plans.looked_after_and_on_plan,
    "qa_completion": quality.qa_completion,
    "qa_themes": quality.qa_themes,
    "feedback_returns": quality.feedback_returns,
    "feedback_answers": quality.feedback_answers,
    "escalations": quality.escalations,
}
# The rates whose per-district figures add up to the authority's exactly: each groups the
# same rows the authority's figure counts, every row in one group (a row without a district
# in a group of its own). Within one computation (shared_district_figures) each is computed
# once per district, and the authority's is their sum. (QA completion is not among them: its
# per-district figure leaves out forms of a district with no conference held in the period.)
ADDITIVE_RATES = {
    "ni64",
    "ni65",
    "ni67",
    "initial_conference_timeliness",
    "decision_sheets_on_time",
}


def _rate_by_district(name: str, measure, period: Period) -> dict:
    return once(("by district", name, period), lambda: measure(period=period, by_district=True))


def _additive(name: str, measure):
    @functools.wraps(measure)
    def run(*, period: Period, district: District | None = None, by_district: bool = False):
        if by_district:
            return _rate_by_district(name, measure, period)
        if district is not None or not sharing():
            return measure(period=period, district=district)
        groups = _rate_by_district(name, measure, period).values()
        return ratio(
            sum(group["numerator"] for group in groups),
            sum(group["denominator"] for group in groups),
        )

    return run


MEASURES = {
    name: _additive(name, measure) if name in ADDITIVE_RATES else measure
    for name, measure in MEASURES.items()
}
# Every measure, however it is called, runs with joins whose cost cannot explode (sql.py).
MEASURES = {name: bounded(measure) for name, measure in MEASURES.items()}

# The measures that are rates, shown per district (§6.3.2).
DISTRICT_RATES = [
    "ni64",
    "ni65",
    "ni67",
    "initial_conference_timeliness",
    "decision_sheets_on_time",
    "qa_completion",
]


@bounded
def district_breakdown(*, period: Period) -> list[dict]:
    """Every rate measure for each district, with its plans open at the period end and the
    share of ended plans that lasted under a year. One grouped query per measure, whatever the
    number of districts."""
    grouped = {name: MEASURES[name](period=period, by_district=True) for name in DISTRICT_RATES}
    open_plans = plans.plans_open_by_district(on=period.end)
    under_one_year = plans.ended_under_one_year(period=period, by_district=True)
    empty = ratio(0, 0)
    rows = []
    for district in District.objects.order_by("name"):  # one row per district (nine or so)
        row = {"district": district.name, "district_id": district.pk}
        row.update({name: grouped[name].get(district.pk, empty) for name in DISTRICT_RATES})
        row["plans_open_at_end"] = open_plans.get(district.pk, 0)
        row["ended_under_one_year"] = under_one_year.get(district.pk, empty)
        rows.append(row)
    return rows


def benchmarks(*, up_to_year: int) -> dict:
    """Reference values per indicator and year, up to the reporting year."""
    result: dict = {}
    rows = Benchmark.objects.filter(year__lte=up_to_year).order_by("indicator", "year")
    for row in rows.values():
        values = {
            k: (float(row[k]) if row[k] is not None else None)
            for k in ("local_value_published", "england", "statistical_neighbours", "local_target")
        }
        result.setdefault(row["indicator"], []).append({"year": row["year"], **values})
    return result


def measure_steps(*, period: Period, district: District | None = None) -> dict[str, Callable]:
    """Every measure for a period as separate calls, in the report's order and under
    compute_all's keys: a snapshot records its progress between them, and run_steps() may
    share them among connections."""
    steps: dict[str, Callable] = {
        name: functools.partial(measure, period=period, district=district)
        for name, measure in MEASURES.items()
    }
    steps["caseloads"] = functools.partial(staff.caseloads, on=period.end, district=district)
    steps["reviews_due"] = functools.partial(reviews.reviews_due, on=period.end, district=district)
    if district is None:
        steps["staffing"] = functools.partial(staff.staffing, on=period.end)
        steps["benchmarks"] = functools.partial(benchmarks, up_to_year=period.reporting_year)
        steps["districts"] = functools.partial(district_breakdown, period=period)
    return steps


@bounded
def compute_all(*, period: Period, district: District | None = None) -> dict:
    """Every measure for a period, for the authority or one district, as JSON-ready data, all
    read in one snapshot of the records (together.py)."""
    result = {
        "period": period.as_dict(),
        "district": district.name if district is not None else None,
    }
    with one_snapshot(), shared_district_figures():
        result.update(run_steps(measure_steps(period=period, district=district)))
    return result
