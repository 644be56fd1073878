"""Sentences about escalations, the chairs' QA forms and parents' and carers' questionnaires
(report §7)."""

from collections.abc import Callable

from quality_assurance.models import Escalation

from .. import formatting as fmt
from .words import counted, join, part_of, share


def escalations(data: dict, printed: dict) -> str:
    measure = data["escalations"]
    total, status = measure["total"], measure["by_status"]
    if not total:
        return "No escalations were raised this year."
    if total == 1:
        state = next(s for s in ("resolved", "open", "withdrawn") if status.get(s))
        words = {"resolved": "resolved", "open": "still open at the year end"}
        return f"During the year IROs raised 1 escalation; it was {words.get(state, state)}."
    parts = [
        f"{fmt.count(n)} {'was' if n == 1 else 'were'} {words}"
        for words, n in (
            ("resolved", status.get("resolved", 0)),
            ("still open at the year end", status.get("open", 0)),
            ("withdrawn", status.get("withdrawn", 0)),
        )
        if n
    ]
    return f"During the year IROs raised {fmt.count(total)} escalations; {join(parts)}."


def escalation_themes(data: dict, printed: dict) -> str:
    measure = data["escalations"]
    if not measure["total"]:
        return "With no escalations, there are no themes or levels to report."
    labels = dict(Escalation.Theme.choices)
    themes = {k: n for k, n in measure["by_theme"].items() if n}
    most = max(themes.values())
    top = [labels[k].lower() for k, n in themes.items() if n == most]
    theme = (
        f"The commonest theme was {top[0]} ({fmt.count(most)} of {fmt.count(measure['total'])})"
        if len(top) == 1
        else f"The commonest themes were {join(top)} ({fmt.count(most)} each)"
    )
    levels = dict(Escalation.Level.choices)
    highest = max(int(k) for k, n in measure["by_level"].items() if n)
    return f"{theme}, and the highest level any escalation reached was {levels[highest].lower()}."


def qa_completion(data: dict, printed: dict) -> str:
    measure = data["qa_completion"]
    forms, held = measure["numerator"], measure["denominator"]
    if not forms:
        return "No QA forms were completed in the year."
    completed = f"{counted(forms, 'form')} {'was' if forms == 1 else 'were'} completed in the year"
    if not held:
        return f"{completed}."
    return f"{completed}, {printed['qa_completion.percent']} of conferences held."


def qa_lead_in(data: dict, printed: dict) -> str:
    if not data["qa_themes"]["forms"]:
        return "With no forms completed, none of these questions has an answer this year:"
    return "The forms recorded that:"


# The chair's answers, as clauses: (what "yes" says, what "no" says, what was asked).
QA_CLAUSES = {
    "s47_completed_before_conference": (
        "the section 47 enquiry and assessment were completed before the conference",
        "they were not",
        "the section 47 enquiry and assessment were completed before the conference",
    ),
    "assessment_updated": (
        "the assessment had been updated since the child's circumstances changed",
        "it had not been",
        "the assessment had been updated since the child's circumstances changed",
    ),
    "held_within_timescale": (
        "the initial conference was held within 15 working days",
        "it was not",
        "the initial conference was held within 15 working days",
    ),
    "report_analyses_impact": (
        "the social worker's report analysed the impact on the child",
        "it did not",
        "the social worker's report analysed the impact on the child",
    ),
    "plan_outcome_focused": (
        "the plan was outcome-focused with realistic targets and timescales",
        "it was not",
        "the plan was outcome-focused",
    ),
    "report_shared_in_time": (
        "reports were shared with parents in time",
        "they were not",
        "reports were shared with parents in time",
    ),
    "core_groups_monthly": (
        "core groups were held monthly",
        "they were not",
        "core groups were held",
    ),
    "visits_within_timescale": (
        "child protection visits were within timescale",
        "they were not",
        "visits were within timescale",
    ),
    "plan_copy_given": (
        "a copy of the plan was given to the person with parental responsibility",
        "it was not",
        "a copy of the plan was given",
    ),
    "parents_attended": (
        "parents or carers attended",
        "they did not",
        "parents or carers attended",
    ),
    "good_practice_observed": (
        "the chair saw good practice to recognise",
        "they did not",
        "the chair saw good practice",
    ),
    "escalation_needed": (
        "the chair found concerns that needed escalating",
        "they did not",
        "concerns needed escalating",
    ),
}


def qa_answer(question: str) -> Callable[[dict, dict], str]:
    """A clause for a bullet: "reports were shared with parents in time in 50 of 174 cases
    (28.7%); in 124 they were not"; with no forms, "no form recorded whether ..."."""
    yes_words, no_words, asked = QA_CLAUSES[question]

    def clause(data: dict, printed: dict) -> str:
        themes = data["qa_themes"]
        forms, answers = themes["forms"], themes[question]
        if not forms:
            return f"no form recorded whether {asked}"
        yes, no, na = answers.get("yes", 0), answers.get("no", 0), answers.get("na", 0)
        cases = counted(forms, "case")
        text = (
            f"{yes_words} in {fmt.count(yes)} of {cases} ({share(yes, forms)})"
            if yes
            else f"{yes_words} in none of the {cases}"
        )
        rest = [f"in {fmt.count(no)} {no_words}" if no else ""]
        rest.append(f"in {fmt.count(na)} the question did not apply" if na else "")
        rest = [part for part in rest if part]
        return text + (f"; {join(rest)}" if rest else "")

    return clause


def parent_contribution(data: dict, printed: dict) -> str:
    themes = data["qa_themes"]
    forms, judged = themes["forms"], themes["parent_contribution"]
    if not forms:
        return "no form recorded how parents or carers contributed"
    parts = [
        f"{words} at {fmt.count(judged[key])}"
        for words, key in (("actively", "active"), ("passively", "passive"), ("not at all", "none"))
        if judged.get(key)
    ]
    if not parts:
        return "no form recorded how parents or carers contributed"
    parts[0] += f" of the {counted(forms, 'conference')}"
    return f"chairs judged that parents contributed {join(parts)}"


def children_over_ten(data: dict, printed: dict) -> str:
    themes = data["qa_themes"]
    n = themes["children_over_ten_participated"]
    if not themes["forms"]:
        return "no form recorded whether children aged over ten took part"
    if not n:
        return "no child aged over ten took part in their conference in any way"
    return (
        f"{counted(n, 'child', 'children')} aged over ten took part in their conference in any way"
    )


# --- Parents' and carers' feedback ------------------------------------------------------------


def feedback_returns(data: dict, printed: dict) -> str:
    returns = data["feedback_returns"]
    total = returns["total"]
    if not total:
        return "No questionnaire was returned in the year."
    kinds = join(
        [
            f"{fmt.count(returns['initial'])} after initial" if returns["initial"] else "",
            f"{fmt.count(returns['review'])} after review" if returns["review"] else "",
        ]
    )
    sentence = f"{fmt.count(total)} {'was' if total == 1 else 'were'} returned in the year ({kinds} conferences)"
    if returns["return_rate"]["percent"] is None:
        return sentence + "."
    return f"{sentence}, a return of {printed['feedback_returns.return_rate.percent']} on the conferences held."


FEEDBACK_CLAUSES = {
    "met_chair_before": "they met the chair before the conference",
    "chaired_clearly_and_respectfully": "the meeting was chaired clearly and respectfully",
    "clear_what_must_change": "they understood what needed to change to keep their child safe",
    "complaints_process_explained": "the appeals process was explained to them",
}


def feedback_answers(data: dict, printed: dict) -> str:
    answers = data["feedback_answers"]
    if not data["feedback_returns"]["total"]:
        return "With no questionnaires returned, there are no answers from parents and carers to report."
    said = []
    for question, words in FEEDBACK_CLAUSES.items():
        counts = answers[question]
        answered = sum(counts.values())
        if answered:
            yes = counts.get("yes", 0)
            said.append(f"{part_of(yes, answered)} that {words}")
    sentence = (
        f"Asked about their conference, parents and carers said: {join(said)}." if said else ""
    )
    stress = answers.get("stress_level", {})
    rated = sum(stress.values())
    if rated:
        high = stress.get("4", 0) + stress.get("5", 0)
        sentence += (
            f" Of the {fmt.count(rated)} who rated how stressful it was on a scale of 1 (not "
            f"stressful) to 5 (very stressful), "
            f"{f'{fmt.count(high)} ({share(high, rated)})' if high else 'none'} gave it 4 or 5."
        )
    return sentence.strip() or "No questionnaire answered these questions."
