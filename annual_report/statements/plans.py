"""Sentences about plans, conferences and the national indicators (report §1, §6)."""

from collections.abc import Callable

from conferences.models import Category

from .. import formatting as fmt
from .words import capital, counted, join, share

CATEGORY_WORDS = {
    Category.NEGLECT: "neglect",
    Category.EMOTIONAL: "emotional abuse",
    Category.PHYSICAL: "physical abuse",
    Category.SEXUAL: "sexual abuse",
    Category.MULTIPLE: "more than one category",
}


# --- Plans and conferences --------------------------------------------------------------------


def plans_at_end(data: dict, printed: dict) -> str:
    total, rate = data["plans_open_at_end"]["total"], data["rate_per_10000"]["rate"]
    end = printed["period.end"]
    if not total:
        return f"At {end} no child was the subject of a child protection plan."
    subject = f"At {end} {counted(total, 'child', 'children')} "
    subject += "was" if total == 1 else "were"
    if rate is None:
        return (
            f"{subject} the subject of a child protection plan. No child population is "
            "recorded for the year, so there is no rate per 10,000 children."
        )
    return (
        f"{subject} the subject of a child protection plan, {printed['rate_per_10000.rate']} "
        "for every 10,000 children in the authority."
    )


def plans_change(data: dict, printed: dict) -> str:
    start, end = data["plans_open_at_start"]["total"], data["plans_open_at_end"]["total"]
    when = f"At {printed['period.end']}"
    if not end:
        earlier = "and none had been" if not start else f"down from {fmt.count(start)}"
        return f"{when} no child was on a child protection plan, {earlier} a year earlier."
    there = f"{when} there {'was' if end == 1 else 'were'} {counted(end, 'child', 'children')}"
    if not start:
        change = "when a year earlier there were none"
    elif end == start:
        change = "the same number as a year earlier"
    else:
        change = f"{printed['plans_open_at_end.change_description']} on the {fmt.count(start)}"
        change += " a year earlier"
    sentence = f"{there} on a child protection plan, {change}."
    rate = data["rate_per_10000"]["rate"]
    if rate is not None:
        sentence += (
            f" That is {printed['rate_per_10000.rate']} children per 10,000 of the under-18 "
            "population."
        )
    return sentence


def plans_started_and_ended(data: dict, printed: dict) -> str:
    started, ended = data["plans_started"], data["plans_ended"]
    if not (started or ended):
        return "No plan started or ended during the year."
    started_text = counted(started, "plan") + " started" if started else "no plan started"
    ended_text = f"{fmt.count(ended)} ended" if ended else "none ended"
    return f"During the year {started_text} and {ended_text}."


def conferences(data: dict, printed: dict) -> str:
    held, meetings = data["conferences_held"], data["strategy_meetings_held"]["total"]
    kinds = [("initial", held["initial"]), ("review", held["review"])]
    if held["transfer_in"]:
        kinds.append(("transfer-in", held["transfer_in"]))
    if held["total"]:
        by_kind = join([f"{fmt.count(n) if n else 'no'} {kind}" for kind, n in kinds])
        noun = "conference" if held["total"] == 1 else "conferences"
        conferences_text = f"{by_kind} child protection {noun}"
        if held["transfer_in"] or sum(n for _, n in kinds) != held["total"]:
            conferences_text += f", {fmt.count(held['total'])} in all,"
    else:
        conferences_text = "no child protection conferences"
    meetings_text = counted(meetings, "strategy meeting") if meetings else "no strategy meetings"
    return f"During {printed['report.year']} the service chaired {conferences_text} and {meetings_text}."


def by_category(data: dict, printed: dict) -> str:
    counts = data["plans_open_at_end"]["by_category"]
    total = data["plans_open_at_end"]["total"]
    if not total:
        return "No plan was open at the year end."
    order = [c for c in CATEGORY_WORDS if counts.get(c) or c != Category.MULTIPLE]
    ranked = sorted(order, key=lambda c: -counts.get(c, 0))  # stable: ties keep this order
    top = [c for c in ranked if counts.get(c, 0) == counts.get(ranked[0], 0)]
    if len([c for c in ranked if counts.get(c)]) == 1:
        return (
            f"All {fmt.count(total)} plans open at the year end were for {CATEGORY_WORDS[top[0]]}."
        )
    if len(top) == 1:
        lead = f"{capital(CATEGORY_WORDS[top[0]])} was the most common category"
    else:
        lead = f"{capital(join([CATEGORY_WORDS[c] for c in top]))} were the most common categories"
    parts = [
        f"{fmt.count(counts[c]) if counts.get(c) else 'none'} for {CATEGORY_WORDS[c]}"
        for c in ranked
    ]
    parts[0] = f"{fmt.count(counts[ranked[0]])} {'was' if counts[ranked[0]] == 1 else 'were'}"
    parts[0] += f" for {CATEGORY_WORDS[ranked[0]]}"
    return f"{lead} of the plans open at the year end: {join(parts)}."


def neglect(data: dict, printed: dict) -> str:
    open_total = data["plans_open_at_end"]["total"]
    open_neglect = data["plans_open_at_end"]["by_category"].get(Category.NEGLECT, 0)
    cohort = data["ni64_cohort"]
    cohort_neglect = cohort["by_category"].get(Category.NEGLECT, 0)
    if open_neglect:
        first = (
            f"Neglect was the category of {fmt.count(open_neglect)} of the "
            f"{counted(open_total, 'plan')} open at the year end ({share(open_neglect, open_total)})"
        )
    elif open_total:
        first = "No plan open at the year end was for neglect"
    else:
        first = "No plan was open at the year end"
    ended = f"the {counted(cohort['total'], 'plan')} that ended after two years or more"
    if not cohort["total"]:
        return f"{first}, and no plan that ended had lasted two years or more."
    if not cohort_neglect:
        return f"{first}, and none of {ended} was for neglect."
    if not open_neglect:
        return f"{first}; neglect was the category of {fmt.count(cohort_neglect)} of {ended}."
    return f"{first}, and of {fmt.count(cohort_neglect)} of {ended}."


def stock_range(data: dict, printed: dict) -> str:
    totals = [row["total"] for row in data["monthly_stock"]]
    what = "The number of children on a child protection plan"
    if not any(totals):
        return "No child was on a child protection plan at any month end of the year."
    if min(totals) == max(totals):
        return f"{what} was {fmt.count(totals[0])} at every month end of the year."
    lowest = printed["monthly_stock.lowest"] if min(totals) else "none"
    return (
        f"{what} ranged during the year from {printed['monthly_stock.highest']} at its highest "
        f"({printed['monthly_stock.highest_month']}) to {lowest} at its lowest "
        f"({printed['monthly_stock.lowest_month']})."
    )


def looked_after(data: dict, printed: dict) -> str:
    total = data["looked_after_and_on_plan"]["total"]
    end = printed["period.end"]
    if not total:
        return (
            f"At {end} no child on a child protection plan was also looked after by the authority."
        )
    if total == 1:
        return (
            f"At {end}, 1 child on a child protection plan was also looked after by the "
            "authority. Their placement and legal status are shown below."
        )
    return (
        f"At {end}, {fmt.count(total)} children on a child protection plan were also looked "
        "after by the authority. Their placements and legal status are shown below."
    )


# --- The national indicators ------------------------------------------------------------------


def ni64(data: dict, printed: dict) -> str:
    measure = data["ni64"]
    ended, long = measure["denominator"], measure["numerator"]
    if not ended:
        return "No plan ended in the year, so NI 64 has no value this year."
    plans = counted(ended, "plan")
    if not long:
        return f"Of the {plans} that ended in the year, none had lasted two years or more."
    return (
        f"Of the {plans} that ended in the year, {fmt.count(long)} ({printed['ni64.percent']}) "
        "had lasted two years or more."
    )


def ni64_cohort(data: dict, printed: dict) -> str:
    cohort = data["ni64_cohort"]
    total, age = cohort["total"], cohort["average_age"]
    if not total:
        return "As no plan that ended had lasted two years or more, there is no such group of children to describe."
    neglect_count = cohort["by_category"].get(Category.NEGLECT, 0)
    if total == 1:
        aged = f", aged {printed['ni64_cohort.average_age']}," if age is not None else ""
        was = "was" if neglect_count else "was not"
        return f"The one child whose plan ended after two years or more{aged} {was} on a plan for neglect."
    neglect_text = (
        f"{fmt.count(neglect_count)} of them ({share(neglect_count, total)}) "
        f"{'was' if neglect_count == 1 else 'were'} on plans for neglect"
        if neglect_count
        else "none of them was on a plan for neglect"
    )
    children = f"{fmt.count(total)} children whose plans ended after two years or more"
    if age is None:
        return f"Of the {children}, {neglect_text.replace(' of them', '', 1)}."
    return (
        f"The {children} had an average age of {printed['ni64_cohort.average_age']} years; "
        f"{neglect_text}."
    )


def long_open_plans(data: dict, printed: dict) -> str:
    measure = data["current_plans_over_two_years"]
    total, open_total = measure["total"], measure["share_of_open"]["denominator"]
    end = printed["period.end"]
    if not open_total:
        return f"At {end} no child was on a plan."
    if not total:
        return f"At {end} no child had been on their plan for two years or more."
    return (
        f"At {end}, {counted(total, 'child', 'children')} "
        f"({printed['current_plans_over_two_years.share_of_open.percent']} of all children on "
        f"plans) had been on their plan for two years or more."
    )


def durations(data: dict, printed: dict) -> str:
    bands = data["plans_ending_by_duration"]
    total = sum(bands.values())
    if not total:
        return "No plan ended in the year."
    under, one_to_two = bands["A"] + bands["B"] + bands["C"], bands["D"]
    second = (
        f"{printed['plans_ending_by_duration.d.percent']} between one and two years"
        if one_to_two
        else "none between one and two years"
    )
    if not under:
        return (
            f"None of the {counted(total, 'plan')} that ended had lasted less than a year, and "
            f"{second}."
        )
    return (
        f"{printed['plans_ending_by_duration.under_one_year.percent']} of the plans that ended "
        f"({fmt.count(under)} of {fmt.count(total)}) had lasted less than a year, and {second}."
    )


def ni65(data: dict, printed: dict) -> str:
    measure = data["ni65"]
    new, repeat = measure["denominator"], measure["numerator"]
    if not new:
        return "No child became the subject of a plan during the year, so NI 65 has no value this year."
    if not repeat:
        return (
            f"None of the {counted(new, 'child', 'children')} who became the subject of a plan "
            "during the year had been on a plan before."
        )
    return (
        f"{printed['ni65.percent']} of the children who became the subject of a plan during the "
        f"year ({fmt.count(repeat)} of {fmt.count(new)}) had been on a plan before, however long "
        "ago."
    )


def ni67(data: dict, printed: dict) -> str:
    measure = data["ni67"]
    if not measure["denominator"]:
        return (
            "No child had been on a plan for three months or more at the year end, so NI 67 "
            "has no value this year."
        )
    children = counted(measure["denominator"], "child", "children")
    if not measure["numerator"]:
        return (
            f"Under the national definition, none of the {children} who had been on a plan for "
            "three months or more at the year end had every review on time."
        )
    return (
        f"Under the national definition, {printed['ni67.percent']} of the {children} who had "
        "been on a plan for three months or more at the year end had every review on time."
    )


def late(data: dict, printed: dict) -> str:
    rows = data["late_reviews"]
    if not rows:
        return "No review conference was held after its national due date."
    children = len({row["child_id"] for row in rows})
    meetings = len({row["conference_id"] for row in rows})
    longest = max(row["days_late"] for row in rows)
    delay = "the longest delay was" if len(rows) > 1 else "the delay was"
    return (
        f"{counted(children, 'child', 'children')} had a review conference held after its "
        f"national due date, at {counted(meetings, 'conference')}; {delay} "
        f"{counted(longest, 'day')}. Each is listed below with its reason."
    )


BENCHMARK_NAMES = {
    "ni64": "NI 64",
    "ni65": "NI 65",
    "ni67": "NI 67",
    "rate_per_10000": "the rate per 10,000 children",
    "initial_timeliness": "initial conferences within 15 working days",
}


def benchmark(indicator: str) -> Callable[[dict, dict], str]:
    def sentence(data: dict, printed: dict) -> str:
        prefix = f"benchmarks.{indicator}"
        parts = {
            "last year's published figure was": f"{prefix}.last_year.local_value_published",
            "this year's target was": f"{prefix}.this_year.local_target",
            "the England average last year was": f"{prefix}.last_year.england",
            "our statistical neighbours' average last year was": (
                f"{prefix}.last_year.statistical_neighbours"
            ),
        }
        known = [
            f"{words} {printed[name]}"
            for words, name in parts.items()
            if printed.get(name, fmt.NOT_AVAILABLE) != fmt.NOT_AVAILABLE
        ]
        if not known:
            name = BENCHMARK_NAMES[indicator]
            return f"No published figure, target or benchmark is recorded for {name}."
        return capital(join(known)) + "."

    return sentence


def district_range(measure: str, label: str) -> Callable[[dict, dict], str]:
    def sentence(data: dict, printed: dict) -> str:
        rated = [row for row in data.get("districts") or [] if row[measure]["percent"] is not None]
        name = f"districts.{measure}"
        if not rated:
            return (
                f"No district has a figure for {label} this year, so districts cannot be compared."
            )
        if len(rated) == 1:
            return (
                f"Only {printed[f'{name}.highest.district']} has a figure for {label} this year: "
                f"{printed[f'{name}.highest.percent']}."
            )
        if printed[f"{name}.lowest.percent"] == printed[f"{name}.highest.percent"]:
            return (
                f"{capital(label)} was {printed[f'{name}.highest.percent']} in each of the "
                f"{fmt.count(len(rated))} districts with a figure."
            )
        return (
            f"{capital(label)} varied between districts, from "
            f"{printed[f'{name}.lowest.percent']} in {printed[f'{name}.lowest.district']} to "
            f"{printed[f'{name}.highest.percent']} in {printed[f'{name}.highest.district']}."
        )

    return sentence


def decision_sheets(data: dict, printed: dict) -> str:
    measure = data["decision_sheets_on_time"]
    if not measure["denominator"]:
        return "No decision sheet was due in the year."
    if measure["denominator"] == 1:
        on_time = "was" if measure["numerator"] else "was not"
        return f"The one decision sheet due {on_time} distributed within one working day of the conference."
    sheets = counted(measure["denominator"], "decision sheet")
    if not measure["numerator"]:
        return f"None of the {sheets} was distributed within one working day of the conference."
    return (
        f"{fmt.count(measure['numerator'])} of the {sheets} "
        f"({printed['decision_sheets_on_time.percent']}) were distributed within one working day of "
        "the conference."
    )
