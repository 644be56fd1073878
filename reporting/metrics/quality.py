"""Quality assurance, escalations and parent/carer feedback (quality-assurance.md; §7.2-§7.4)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from conferences.models import Conference, ConferenceChild
from people.models import District
from quality_assurance.models import (
    Escalation,
    FeedbackQuestionnaire,
    QAForm,
    YesNoNA,
    YesPartlyNo,
)
from quality_assurance.questions import (
    BOOLEAN_QUESTIONS,
    FEEDBACK_QUESTIONS,
    YES_NO_NA_QUESTIONS,
)

from .conferences import INITIAL_KINDS, conferences_held, held_conferences
from .periods import Period, ratio
from .sql import AgeInYears

# The questions, from the one list the form and the generators read too.
PARTICIPATED = ~Q(participation__in=["", ConferenceChild.Participation.NONE])


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def qa_forms_in(period: Period, district: District | None) -> QuerySet[QAForm]:
    # An aware datetime range, so the completed_at index is used (a __date lookup cannot).
    forms = QAForm.objects.filter(
        completed_at__gte=_local_midnight(period.start),
        completed_at__lt=_local_midnight(period.end + timedelta(days=1)),
    )
    return forms.filter(conference__household__district=district) if district else forms


def qa_completion(*, period: Period, district: District | None = None, by_district: bool = False):
    """QA forms completed in the period / conferences held in it (§7.2)."""
    if not by_district:
        held = conferences_held(period=period, district=district)["total"]
        return ratio(qa_forms_in(period, district).count(), held)
    forms = dict(
        qa_forms_in(period, None)
        .values_list("conference__household__district")
        .annotate(n=Count("id"))
        .order_by()
    )
    held = (
        held_conferences(period)
        .values_list("household__district")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {district_id: ratio(forms.get(district_id, 0), n) for district_id, n in held}


def qa_themes(*, period: Period, district: District | None = None) -> dict:
    """Counts for every question of the chair's QA form, and the children aged over ten
    (11 or older at the conference) who took part, computed from their records (§7.2)."""
    forms = qa_forms_in(period, district)
    aggregates = {"forms": Count("id")}
    for question in YES_NO_NA_QUESTIONS:
        for answer in YesNoNA.values:
            aggregates[f"{question}__{answer}"] = Count("id", filter=Q(**{question: answer}))
    for question in BOOLEAN_QUESTIONS:
        aggregates[f"{question}__yes"] = Count("id", filter=Q(**{question: True}))
        aggregates[f"{question}__no"] = Count("id", filter=Q(**{question: False}))
    for field, choices in (
        ("report_quality", QAForm.ReportQuality),
        ("parent_contribution", QAForm.Contribution),
    ):
        for value in choices.values:
            aggregates[f"{field}__{value}"] = Count("id", filter=Q(**{field: value}))
    counts = forms.aggregate(**aggregates)
    themes: dict = {"forms": counts.pop("forms")}
    for key, value in counts.items():
        question, answer = key.split("__")
        themes.setdefault(question, {})[answer] = value
    themes["children_over_ten_participated"] = (
        ConferenceChild.objects.filter(conference__qa_form__in=forms)
        .annotate(age=AgeInYears(F("child__date_of_birth"), F("conference__date")))
        .filter(PARTICIPATED, age__gt=10)
        .count()
    )
    return themes


def feedback_in(period: Period, district: District | None) -> QuerySet[FeedbackQuestionnaire]:
    answers = FeedbackQuestionnaire.objects.filter(received_on__range=(period.start, period.end))
    return answers.filter(conference__household__district=district) if district else answers


def feedback_returns(*, period: Period, district: District | None = None) -> dict:
    """Parent/carer questionnaires received per month, by the kind of conference they are
    about, and as a share of conferences held (§7.3)."""
    answers = feedback_in(period, district)
    initial = Q(conference__kind__in=[*INITIAL_KINDS, Conference.Kind.TRANSFER_IN])
    rows = (
        answers.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(initial=Count("id", filter=initial), review=Count("id", filter=~initial))
        .order_by("month")
    )
    by_month = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "initial": row["initial"],
            "review": row["review"],
        }
        for row in rows
    ]
    totals = answers.aggregate(
        total=Count("id"), initial=Count("id", filter=initial), review=Count("id", filter=~initial)
    )
    held = conferences_held(period=period, district=district)["total"]
    return {**totals, "by_month": by_month, "return_rate": ratio(totals["total"], held)}


def feedback_answers(*, period: Period, district: District | None = None) -> dict:
    """How parents and carers answered each question, and the stress they felt (§7.4)."""
    aggregates = {
        f"{question}__{answer}": Count("id", filter=Q(**{question: answer}))
        for question in FEEDBACK_QUESTIONS
        for answer in YesPartlyNo.values
    }
    aggregates.update(
        {f"stress_level__{n}": Count("id", filter=Q(stress_level=n)) for n in range(1, 6)}
    )
    answers: dict = {}
    for key, value in feedback_in(period, district).aggregate(**aggregates).items():
        question, answer = key.split("__")
        answers.setdefault(question, {})[answer] = value
    return answers


def escalations(*, period: Period, district: District | None = None) -> dict:
    """Escalations raised in the period: by status, level reached, theme; overdue ones open
    past their response date at the period end (§7.1, §7.2, §10.2)."""
    raised = Escalation.objects.filter(raised_on__range=(period.start, period.end))
    if district is not None:
        raised = raised.filter(district=district)
    counts = raised.aggregate(
        total=Count("id"),
        overdue=Count(
            "id", filter=Q(status=Escalation.Status.OPEN, response_due_by__lt=period.end)
        ),
        **{f"status__{v}": Count("id", filter=Q(status=v)) for v in Escalation.Status.values},
        **{f"level__{v}": Count("id", filter=Q(level=v)) for v in Escalation.Level.values},
        **{f"theme__{v}": Count("id", filter=Q(theme=v)) for v in Escalation.Theme.values},
    )
    result: dict = {"total": counts.pop("total"), "overdue": counts.pop("overdue")}
    for key, value in counts.items():
        group, name = key.split("__")
        result.setdefault(f"by_{group}", {})[name] = value
    return result
