"""Quality assurance, escalations and parent/carer feedback (quality-assurance.md; §7.2-§7.4)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from children.models import Child
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
    return forms.filter(conference__district=district) if district else forms


def qa_completion(*, period: Period, district: District | None = None, by_district: bool = False):
    """QA forms completed in the period / conferences held in it (§7.2)."""
    if not by_district:
        held = conferences_held(period=period, district=district)["total"]
        return ratio(qa_forms_in(period, district).count(), held)
    # Forms by their conferences' districts: each form has one conference and a conference
    # one form, so the forms' conferences are counted, read through their index (in_array).
    forms = dict(
        Conference.objects.filter(id__in_array=qa_forms_in(period, None).values("conference_id"))
        .values_list("district")
        .annotate(n=Count("id"))
        .order_by()
    )
    held = held_conferences(period).values_list("district").annotate(n=Count("id")).order_by()
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
    themes["children_over_ten_participated"] = _children_over_ten_participated(forms)
    return themes


def _children_over_ten_participated(forms: QuerySet[QAForm]) -> int:
    """Children who took part in the forms' conferences and were 11 or older on the day.

    The forms are a year's thousands; the conferences, their children and the children's
    records are millions at England's scale. The places of the forms' conferences are read
    through their index (`in_array`), and each place's child's birth date and conference's
    date by primary key (subqueries, not joins: with nested loops off, as every measure runs,
    a join would hash every child and every conference), counted in the database."""
    born = Child.objects.filter(pk=OuterRef("child_id")).order_by().values("date_of_birth")
    held_on = Conference.objects.filter(pk=OuterRef("conference_id")).order_by().values("date")
    return (
        ConferenceChild.objects.filter(
            PARTICIPATED, conference_id__in_array=forms.values("conference_id")
        )
        .alias(age=AgeInYears(Subquery(born), Subquery(held_on)))
        .filter(age__gt=10)
        .count()
    )


def feedback_in(period: Period, district: District | None) -> QuerySet[FeedbackQuestionnaire]:
    answers = FeedbackQuestionnaire.objects.filter(received_on__range=(period.start, period.end))
    return answers.filter(conference__district=district) if district else answers


def feedback_returns(*, period: Period, district: District | None = None) -> dict:
    """Parent/carer questionnaires received per month, by the kind of conference they are
    about, and as a share of conferences held (§7.3).

    The period's questionnaires are few (thousands) and the conferences many (a million at
    England's scale): their conferences' kinds are read through the index (in_array), not
    joined."""
    questionnaires = feedback_in(period, district)
    answers = list(questionnaires.values_list("received_on", "conference_id"))
    kinds = dict(
        Conference.objects.filter(id__in_array=questionnaires.values("conference_id"))
        .order_by()
        .values_list("id", "kind")
    )
    initial_kinds = {*INITIAL_KINDS, Conference.Kind.TRANSFER_IN}
    months: dict[str, dict] = {}
    for received_on, conference_id in answers:
        key = received_on.isoformat()[:7]  # YYYY-MM
        if key not in months:
            months[key] = {"month": key, "initial": 0, "review": 0}
        month = months[key]
        month["initial" if kinds[conference_id] in initial_kinds else "review"] += 1
    by_month = [months[key] for key in sorted(months)]
    initial = sum(month["initial"] for month in by_month)
    totals = {"total": len(answers), "initial": initial, "review": len(answers) - initial}
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
