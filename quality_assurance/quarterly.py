"""The quarterly quality assurance report for the district/IRO cluster meetings (§8.1).

Per quarter (April to June, July to September, October to December, January to March: the
reporting year's quarters) and per district or for the whole authority: QA forms completed,
their themes, escalations, parent/carer feedback and children's participation.

Every figure comes from the measures the dashboard and the annual report use
(reporting.metrics.MEASURES), called for a Period of one quarter, so the three cannot
disagree. The one count of our own is how the children counted as taking part did so
(`participation_modes`): no measure splits them by mode, and it counts the same children as
qa_themes' children_over_ten_participated.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DateField, F
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from annual_report.tables import FEEDBACK_LABELS
from conferences.models import Conference, ConferenceChild
from iro_service.dates import reporting_year_of
from people.models import District
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from reporting.formatting import percent, percent_text
from reporting.metrics import MEASURES, Period
from reporting.metrics.quality import qa_forms_in
from reporting.metrics.sql import AgeInYears
from reporting.tables import Row, Table, escalation_tables, feedback_table, qa_themes_table

# A quarter is three calendar months (a fact of the calendar, not a timescale setting).
QUARTER_MONTHS = 3
# The measures the report shows, by their names in reporting.metrics.MEASURES.
REPORT_MEASURES = (
    "conferences_held",
    "qa_completion",
    "qa_themes",
    "escalations",
    "feedback_returns",
    "feedback_answers",
)
FINANCIAL_QUARTER = {4: 1, 7: 2, 10: 3, 1: 4}  # the month a quarter starts -> its number


# --- Quarters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """Three calendar months starting in January, April, July or October. `period` is the
    whole quarter, or for the quarter still running its start to today."""

    start: date
    today: date

    @property
    def end(self) -> date:
        return self.start + relativedelta(months=QUARTER_MONTHS) - timedelta(days=1)

    @property
    def is_complete(self) -> bool:
        return self.end < self.today

    @property
    def period(self) -> Period:
        return Period(self.start, self.end if self.is_complete else self.today)

    @property
    def key(self) -> str:
        """What the address carries: the first month, "2012-01"."""
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        """ "January to March 2012 (quarter 4 of 2011/12)", "so far" while it runs."""
        year = reporting_year_of(self.start)
        months = f"{self.start:%B} to {self.end:%B %Y}"
        number = FINANCIAL_QUARTER[self.start.month]
        so_far = ", so far" if not self.is_complete else ""
        return f"{months} (quarter {number} of {year - 1}/{str(year)[-2:]}{so_far})"


def quarter_containing(day: date, *, today: date) -> Quarter:
    return Quarter(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), today)


def last_complete_quarter(today: date) -> Quarter:
    current = quarter_containing(today, today=today)
    return quarter_containing(current.start - timedelta(days=1), today=today)


def _quarter_starts(queryset, field: str) -> set[date]:
    starts = (
        queryset.annotate(quarter=TruncQuarter(field, output_field=DateField()))
        .values_list("quarter", flat=True)
        .distinct()
        .order_by()
    )
    return {_as_date(start) for start in starts if start is not None}


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def available_quarters(today: date) -> list[Quarter]:
    """The quarters that have something to report, newest first: a conference held, a QA form
    completed, an escalation raised or a questionnaire received. The last complete quarter is
    always among them (the page's default), and nothing after today is."""
    starts = (
        _quarter_starts(
            Conference.objects.filter(status=Conference.Status.HELD, date__lte=today), "date"
        )
        | _quarter_starts(
            QAForm.objects.filter(completed_at__isnull=False, completed_at__date__lte=today),
            "completed_at",
        )
        | _quarter_starts(Escalation.objects.filter(raised_on__lte=today), "raised_on")
        | _quarter_starts(
            FeedbackQuestionnaire.objects.filter(received_on__lte=today), "received_on"
        )
    )
    starts.add(last_complete_quarter(today).start)
    return [Quarter(start, today) for start in sorted(starts, reverse=True)]


# --- The report's figures --------------------------------------------------------------------


def participation_modes(period: Period, district: District | None = None) -> dict[str, int]:
    """Children aged over ten (11 or older at the conference) at the conferences whose QA form
    was completed in the period, by how they took part: the children qa_themes counts as
    "children over ten who participated", split by mode, with those who did not take part or
    whose participation was not recorded."""
    rows = (
        ConferenceChild.objects.filter(conference__qa_form__in=qa_forms_in(period, district))
        .annotate(age=AgeInYears(F("child__date_of_birth"), F("conference__date")))
        .filter(age__gt=10)
        .values_list("participation")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(ConferenceChild.Participation.values, 0)
    counts.update(dict(rows))
    return counts


def district_rows(period: Period) -> list[dict]:
    """For the whole authority's report: each district's headline figures, from the same
    measures called for that district."""
    completion = MEASURES["qa_completion"](period=period, by_district=True)
    rows = []
    for district in District.objects.order_by("name"):
        escalations = MEASURES["escalations"](period=period, district=district)
        feedback = MEASURES["feedback_returns"](period=period, district=district)
        themes = MEASURES["qa_themes"](period=period, district=district)
        qa = completion.get(district.pk, {"numerator": 0, "denominator": 0, "percent": None})
        rows.append(
            {
                "district": district.name,
                "district_id": district.pk,
                "qa_completion": qa,
                "escalations_raised": escalations["total"],
                "escalations_resolved": escalations["by_status"]["resolved"],
                "feedback_returned": feedback["total"],
                "children_over_ten_participated": themes["children_over_ten_participated"],
            }
        )
    return rows


def report_figures(quarter: Quarter, district: District | None = None) -> dict:
    """Everything the report shows for a quarter and a district (None: the whole authority),
    as JSON-ready data, with when it was computed."""
    period = quarter.period
    data: dict = {
        "period": period.as_dict(),
        "quarter": quarter.key,
        "district": district.name if district is not None else None,
    }
    for name in REPORT_MEASURES:
        data[name] = MEASURES[name](period=period, district=district)
    data["participation"] = participation_modes(period, district)
    if district is None:
        data["districts"] = district_rows(period)
    data["computed_at"] = timezone.now().isoformat()
    return data


# --- The report's tables (reporting.tables.Table: the page, the PDF and the chart share them)


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    tables: tuple
    summary: str = ""


def _share(numerator: int, total: int):
    return percent(round(100 * numerator / total, 2)) if total else None


def completion_table(data: dict) -> Table:
    held, qa = data["conferences_held"], data["qa_completion"]
    rows = (
        Row("Initial conferences held (including pre-birth)", (held["initial"],)),
        Row("Review conferences held", (held["review"],)),
        Row("Transfer-in conferences held", (held["transfer_in"],)),
        Row("All conferences held", (held["total"],)),
        Row("QA forms completed", (qa["numerator"],)),
        Row("Conferences with a completed QA form", (percent(qa["percent"]),)),
    )
    return Table(
        name="qa_completion",
        caption="Conferences held and QA forms completed",
        row_heading="Measure",
        columns=("Number",),
        rows=rows,
        note="The completion rate is the QA forms completed in the quarter out of the "
        "conferences held in it.",
    )


def ratings_table(data: dict) -> Table:
    themes = data["qa_themes"]
    rows = []
    for field, choices, name in (
        ("report_quality", QAForm.ReportQuality, "Social worker's report"),
        ("parent_contribution", QAForm.Contribution, "Parents' contribution"),
    ):
        answered = sum(themes[field].values())
        for value, label in choices.choices:
            count = themes[field][value]
            rows.append(Row(f"{name}: {label.lower()}", (count, _share(count, answered))))
    return Table(
        name="qa_ratings",
        caption="How chairs rated the report and the parents' contribution",
        row_heading="Rating",
        columns=("Forms", "Percent"),
        rows=tuple(rows),
        note="Percent is of the forms that gave a rating.",
    )


def feedback_kind_table(data: dict) -> Table:
    returns = data["feedback_returns"]
    return Table(
        name="feedback_kind",
        caption="Parent and carer questionnaires returned, by the kind of conference",
        row_heading="Conference",
        columns=("Questionnaires",),
        rows=(
            Row("After an initial or transfer-in conference", (returns["initial"],)),
            Row("After a review conference", (returns["review"],)),
            Row("All questionnaires", (returns["total"],)),
            Row("Returned per conference held", (percent(returns["return_rate"]["percent"]),)),
        ),
    )


def feedback_answers_table(data: dict) -> Table:
    answers = data["feedback_answers"]
    rows = []
    for question, label in FEEDBACK_LABELS.items():
        counts = answers[question]
        total = sum(counts.values())
        rows.append(
            Row(
                label,
                (
                    counts["yes"],
                    counts["partly"],
                    counts["no"],
                    _share(counts["yes"], total),
                ),
            )
        )
    return Table(
        name="feedback_answers",
        caption="How parents and carers answered the questionnaire",
        row_heading="Question",
        columns=("Yes", "Partly", "No", "Percent yes"),
        rows=tuple(rows),
    )


def stress_table(data: dict) -> Table:
    stress = data["feedback_answers"]["stress_level"]
    total = sum(stress.values())
    labels = {1: "1 (not stressful)", 2: "2", 3: "3", 4: "4", 5: "5 (very stressful)"}
    rows = tuple(
        Row(label, (stress[str(n)], _share(stress[str(n)], total))) for n, label in labels.items()
    )
    return Table(
        name="feedback_stress",
        caption="How stressful parents and carers found the conference",
        row_heading="Stress",
        columns=("Questionnaires", "Percent"),
        rows=rows,
    )


def participation_table(data: dict) -> Table:
    modes = data["participation"]
    labels = dict(ConferenceChild.Participation.choices)
    took_part = [m for m in labels if m not in ("", ConferenceChild.Participation.NONE)]
    rows = [Row(labels[mode], (modes[mode],)) for mode in took_part]
    rows.append(Row("All who took part", (data["qa_themes"]["children_over_ten_participated"],)))
    rows.append(Row(labels[ConferenceChild.Participation.NONE], (modes["none"],)))
    rows.append(Row(labels[""], (modes[""],)))
    return Table(
        name="participation",
        caption="Children aged over ten, by how they took part in their conference",
        row_heading="How they took part",
        columns=("Children",),
        rows=tuple(rows),
        note="Children aged 11 or older on the day, at the conferences whose QA form was "
        "completed in the quarter.",
    )


def districts_table(data: dict) -> Table:
    rows = tuple(
        Row(
            row["district"],
            (
                row["qa_completion"]["denominator"],
                row["qa_completion"]["numerator"],
                percent(row["qa_completion"]["percent"]),
                row["escalations_raised"],
                row["escalations_resolved"],
                row["feedback_returned"],
                row["children_over_ten_participated"],
            ),
        )
        for row in data["districts"]
    )
    return Table(
        name="districts",
        caption="Each district's figures for the quarter",
        row_heading="District",
        columns=(
            "Conferences held",
            "QA forms completed",
            "Completion rate",
            "Escalations raised",
            "Escalations resolved",
            "Questionnaires returned",
            "Children over ten who took part",
        ),
        rows=rows,
    )


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _completion_summary(qa: dict) -> str:
    forms = _count(qa["numerator"], "QA form")
    verb = "was" if qa["numerator"] == 1 else "were"
    if not qa["denominator"]:
        return f"{forms} {verb} completed; no conferences were held in the quarter."
    held = _count(qa["denominator"], "conference")
    return f"{forms} {verb} completed for {held} held: {percent_text(qa['percent'])}."


def sections(data: dict) -> list[Section]:
    qa, themes = data["qa_completion"], data["qa_themes"]
    escalations, returns = data["escalations"], data["feedback_returns"]
    result = [
        Section(
            "completion",
            "QA forms completed",
            (completion_table(data),),
            _completion_summary(qa),
        ),
        Section(
            "themes",
            "Themes from the QA forms",
            (qa_themes_table(data), ratings_table(data)),
            f"The answers on the {_count(themes['forms'], 'form')} completed in the quarter.",
        ),
        Section(
            "escalations",
            "Escalations",
            escalation_tables(data, within="the quarter"),
            f"{_count(escalations['total'], 'escalation')} raised in the quarter, "
            f"{escalations['by_status']['resolved']:,} of them resolved.",
        ),
        Section(
            "feedback",
            "Parent and carer feedback",
            (
                feedback_table(data),
                feedback_kind_table(data),
                feedback_answers_table(data),
                stress_table(data),
            ),
            f"{_count(returns['total'], 'questionnaire')} returned in the quarter.",
        ),
        Section(
            "participation",
            "Children's participation",
            (participation_table(data),),
            f"{_count(themes['children_over_ten_participated'], 'child', 'children')} aged "
            "over ten took part in their conference.",
        ),
    ]
    if "districts" in data:
        result.append(Section("districts", "Districts", (districts_table(data),)))
    return result
