"""Sentences written from the figures, for the narrative's placeholders: [[ni64.sentence]],
[[caseloads.band_comparison]] and the rest of `SENTENCES`.

A figure alone cannot say "above" or "none". A sentence typed around it ("caseloads are far
above the band", "IROs raised 0 escalations") is true for one year's records and false for the
next. So every sentence of the default text whose words depend on the figures (a comparison
with a band, the most common category, an increase or a decrease, a count that may be zero, a
percentage of nothing) is one of these: its wording is chosen from the figures each time the
report is rendered. Zero and empty cases read as plain English ("No escalations were raised
this year"), never "0 of 0" or "n/a".

`values(data, printed)` answers name -> text. `printed` is what figures.values has
already printed, so a figure inside a sentence reads exactly as the same figure on its own.
"""

from collections.abc import Callable

from .. import formatting as fmt
from . import plans, quality, team
from .words import NOT_AVAILABLE_IN_WORDS

SENTENCES: dict[str, Callable[[dict, dict], str]] = {
    "plans_open_at_end.sentence": plans.plans_at_end,
    "plans_open_at_end.change_sentence": plans.plans_change,
    "plans_open_at_end.by_category.sentence": plans.by_category,
    "plans_open_at_end.neglect_sentence": plans.neglect,
    "plans_started.sentence": plans.plans_started_and_ended,
    "conferences_held.sentence": plans.conferences,
    "monthly_stock.sentence": plans.stock_range,
    "looked_after_and_on_plan.sentence": plans.looked_after,
    "ni64.sentence": plans.ni64,
    "ni64_cohort.sentence": plans.ni64_cohort,
    "current_plans_over_two_years.sentence": plans.long_open_plans,
    "plans_ending_by_duration.sentence": plans.durations,
    "ni65.sentence": plans.ni65,
    "ni67.sentence": plans.ni67,
    "late_reviews.sentence": plans.late,
    "decision_sheets_on_time.sentence": plans.decision_sheets,
    **{f"benchmarks.{name}.sentence": plans.benchmark(name) for name in plans.BENCHMARK_NAMES},
    "districts.ni64.sentence": plans.district_range("ni64", "NI 64"),
    "districts.ni65.sentence": plans.district_range("ni65", "NI 65"),
    "districts.ni67.sentence": plans.district_range("ni67", "NI 67"),
    "caseloads.band_comparison": team.band_comparison,
    "staffing.sentence": team.in_post,
    "staffing.experience": team.experience,
    "staffing.cover": team.cover,
    "staffing.signature": team.signature,
    "escalations.sentence": quality.escalations,
    "escalations.themes_sentence": quality.escalation_themes,
    "qa_completion.sentence": quality.qa_completion,
    "qa_themes.lead_in": quality.qa_lead_in,
    **{
        f"qa_themes.{question}.sentence": quality.qa_answer(question)
        for question in quality.QA_CLAUSES
    },
    "qa_themes.parent_contribution.sentence": quality.parent_contribution,
    "qa_themes.children_over_ten_participated.sentence": quality.children_over_ten,
    "feedback_returns.sentence": quality.feedback_returns,
    "feedback_answers.sentence": quality.feedback_answers,
}


def values(data: dict, printed: dict) -> dict[str, str]:
    """The sentences, and every figure with no value in words: name -> text."""
    out = {
        name: NOT_AVAILABLE_IN_WORDS
        for name, value in printed.items()
        if value == fmt.NOT_AVAILABLE
    }
    out.update({name: sentence(data, printed) for name, sentence in SENTENCES.items()})
    return out
