"""The chair's QA form (quality-assurance.md; §7.2): one per held conference, started as a
draft, pre-filled from the record, saved as the chair goes and completed once.

What the record already says is worked out here and kept in QAForm.prefilled, so a chair's
correction of it can be seen later:

- held_within_timescale (initial conferences): held on or before the date it had to be held
  by (the conference's own due_by, else its section 47 enquiry's initial_conference_due_by).
- report_shared_in_time: report_shared_at on or before report_share_due_by, when both are
  recorded.
- parents_attended: a parent or carer in the register, in person or remotely; "no" when the
  register was kept without one.
- core_groups_monthly and visits_within_timescale (reviews): for each child's plan open at
  the conference, the recorded core groups (visits) since the household's previous held
  conference (or the plan's start) are replayed against the plan rules (plans.rules: the first
  core group within 10 working days, then monthly; a visit within 10 working days of the
  last). "No" if any came after its due date in that time, or one was overdue on the
  conference's day; "yes" otherwise; "not applicable" when no child had a plan. The replay
  uses the rules rather than the plan's stored next_core_group_due_by / next_visit_due_by,
  which hold today's next date, not the one due at the conference.

Questions not asked at the conference's kind are stored as "not applicable". Where the record
does not say (no share time recorded, no register kept, no target date), nothing is
pre-filled and the chair is asked. Each child's age and participation come from the
conference's own records and are shown, not asked.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from conferences.models import Attendance, Conference, ConferenceChild
from iro_service.records import save_with_history
from people.access import can_fill_qa_form
from people.models import User
from plans import rules as plan_rules
from plans.models import ChildProtectionPlan

from ..models import QAForm, YesNoNA
from ..questions import (
    BOOLEAN,
    CHOICE,
    QA_BY_FIELD,
    QA_NOTE_FIELDS,
    QA_QUESTIONS,
    YES_NO_NA,
    Question,
    qa_questions_for,
)

YES, NO, NA = YesNoNA.YES.value, YesNoNA.NO.value, YesNoNA.NOT_APPLICABLE.value
# Boolean fields that cannot be empty: a draft holds "no" until the chair says otherwise.
NOT_NULL_BOOLEANS = ("good_practice_observed", "escalation_needed")


@dataclass(frozen=True)
class Prefill:
    answer: str | bool
    because: str


@dataclass(frozen=True)
class ChildFact:
    row: ConferenceChild
    age: int | None

    @property
    def child(self):
        return self.row.child

    @property
    def participation(self) -> str:
        return self.row.get_participation_display()


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _moment(at: datetime) -> str:
    local = timezone.localtime(at)
    return f"{local:%H:%M} on {_day(local.date())}"


def age_on(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def children_facts(conference: Conference) -> list[ChildFact]:
    """Each child considered: their age on the conference's day and how they took part."""
    rows = conference.child_outcomes.select_related("child").order_by(
        "child__date_of_birth", "child__first_name"
    )
    return [ChildFact(row, age_on(row.child.date_of_birth, conference.date)) for row in rows]


# --- What the record says ------------------------------------------------------------------


def _held_within_timescale(conference: Conference) -> Prefill | None:
    due = conference.due_by
    if due is None:
        dues = [
            e.initial_conference_due_by
            for e in conference.enquiries.all()
            if e.initial_conference_due_by is not None
        ]
        due = min(dues) if dues else None
    if due is None:
        return None
    held = conference.date
    if held <= due:
        return Prefill(YES, f"Held on {_day(held)}; it had to be held by {_day(due)}.")
    return Prefill(NO, f"Held on {_day(held)}, after {_day(due)}, the date it had to be held by.")


def _report_shared_in_time(conference: Conference) -> Prefill | None:
    shared, due = conference.report_shared_at, conference.report_share_due_by
    if shared is None or due is None:
        return None
    if shared <= due:
        return Prefill(YES, f"Shared at {_moment(shared)}; due by {_moment(due)}.")
    return Prefill(NO, f"Shared at {_moment(shared)}, after {_moment(due)}.")


def _parents_attended(conference: Conference) -> Prefill | None:
    register = list(conference.attendance.all())
    if not register:
        return None
    family = [a for a in register if a.agency == Attendance.Agency.FAMILY]
    present = [a for a in family if a.status in Attendance.PRESENT]
    if present:
        # A name, else the role on the register (the mother), else what they are.
        names = [
            a.name or (f"the {a.role.lower()}" if a.role else "a parent or carer") for a in present
        ]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return Prefill(True, f"The register shows {listed} present.")
    return Prefill(False, "The register shows no parent or carer present.")


def _plans_at(conference: Conference) -> list[ChildProtectionPlan]:
    child_ids = conference.child_outcomes.values_list("child_id", flat=True)
    on = conference.date
    plans = ChildProtectionPlan.objects.filter(child_id__in=child_ids, start_date__lt=on)
    return [p for p in plans.select_related("child") if p.end_date is None or p.end_date >= on]


def _previous_conference_on(conference: Conference) -> date | None:
    before = (
        Conference.objects.filter(
            household_id=conference.household_id,
            status=Conference.Status.HELD,
            date__lt=conference.date,
        )
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return before


def _late_contact(dates: list[date], *, since: date, on: date, next_due) -> date | None:
    """The first due date missed between `since` and `on`, or None if all were in time."""
    due = next_due(None)
    for held in sorted(d for d in dates if d <= on):
        if held > due and held > since:
            return due
        due = next_due(held)
    return due if due < on else None


def _contacts(conference: Conference, *, what: str) -> Prefill:
    plans = _plans_at(conference)
    if not plans:
        return Prefill(NA, "No child had a child protection plan.")
    timescales = settings.IRO_TIMESCALES
    previous = _previous_conference_on(conference)
    missed = []
    for plan in plans:
        since = max(plan.start_date, previous) if previous else plan.start_date
        if what == "core_groups":
            dates = list(plan.core_groups.values_list("held_on", flat=True))
            first_due = plan.first_core_group_due_by

            def next_due(last, plan=plan, first_due=first_due):
                if last is None and first_due is not None:
                    return first_due
                return plan_rules.next_core_group_due_by(
                    plan_start=plan.start_date,
                    last_held_on=last,
                    first_working_days=timescales["FIRST_CORE_GROUP_WORKING_DAYS"],
                    interval_months=timescales["CORE_GROUP_INTERVAL_MONTHS"],
                )

        else:
            dates = list(plan.visits.values_list("visited_on", flat=True))

            def next_due(last, plan=plan):
                return plan_rules.next_visit_due_by(
                    plan_start=plan.start_date,
                    last_visit_on=last,
                    working_days=timescales["CP_VISIT_WORKING_DAYS"],
                )

        late = _late_contact(dates, since=since, on=conference.date, next_due=next_due)
        if late is not None:
            missed.append(f"{plan.child.first_name}'s was due by {_day(late)}")
    noun = "core group" if what == "core_groups" else "visit"
    if missed:
        return Prefill(NO, f"A {noun} was late: " + "; ".join(missed) + ".")
    return Prefill(YES, f"Every {noun} recorded since the last conference was in time.")


def prefill_for(conference: Conference) -> dict[str, Prefill]:
    """What the record says for each pre-fillable question asked at this conference."""
    found: dict[str, Prefill | None] = {
        "report_shared_in_time": _report_shared_in_time(conference),
        "parents_attended": _parents_attended(conference),
    }
    if conference.is_initial:
        found["held_within_timescale"] = _held_within_timescale(conference)
    else:
        found["core_groups_monthly"] = _contacts(conference, what="core_groups")
        found["visits_within_timescale"] = _contacts(conference, what="visits")
    return {name: fact for name, fact in found.items() if fact is not None}


def prefilled_facts(form: QAForm) -> dict[str, Prefill]:
    return {
        name: Prefill(value["answer"], value.get("because", ""))
        for name, value in (form.prefilled or {}).items()
    }


# --- Checking answers ----------------------------------------------------------------------


def _value(question: Question, value):
    """The stored value of an answer, or raise ValidationError with a plain message."""
    if question.kind == YES_NO_NA:
        value = "" if value is None else str(value).strip().lower()
        if value not in ("", *YesNoNA.values):
            raise ValidationError("Answer yes, no or not applicable.")
        return value
    if question.kind == BOOLEAN:
        if isinstance(value, bool) or value is None:
            return value
        text = str(value).strip().lower()
        if text in ("yes", "true"):
            return True
        if text in ("no", "false"):
            return False
        if text == "":
            return None
        raise ValidationError("Answer yes or no.")
    choices = QAForm._meta.get_field(question.field).choices
    value = "" if value is None else str(value).strip().lower()
    if value not in ("", *(v for v, _ in choices)):
        labels = ", ".join(label.lower() for _, label in choices)
        raise ValidationError(f"Choose one of: {labels}.")
    return value


def _apply(form: QAForm, answers: dict) -> None:
    """Check every answer given (any subset) and put it on the form; raise field errors."""
    conference = form.conference
    errors: dict[str, list[str]] = {}
    for name, raw in answers.items():
        if name in QA_NOTE_FIELDS:
            form.good_practice_note = "" if raw is None else str(raw).strip()
            continue
        question = QA_BY_FIELD.get(name)
        if question is None:
            errors[name] = ["This is not a question on the QA form."]
            continue
        try:
            value = _value(question, raw)
        except ValidationError as error:
            errors[name] = error.messages
            continue
        if not question.applies(conference):
            if value not in ("", NA, None):
                kind = "an initial" if question.applies_to == "review" else "a review"
                errors[name] = [f"This question is not asked at {kind} conference."]
            continue
        if name in NOT_NULL_BOOLEANS and value is None:
            value = False
        setattr(form, name, value)
    if errors:
        raise ValidationError(errors)


def _missing(form: QAForm) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for question in qa_questions_for(form.conference):
        value = getattr(form, question.field)
        if value in ("", None):
            word = {
                YES_NO_NA: "Answer yes, no or not applicable",
                BOOLEAN: "Answer yes or no",
                CHOICE: "Choose an answer",
            }[question.kind]
            errors[question.field] = [f"{word}: {question.label[:1].lower()}{question.label[1:]}"]
    if form.good_practice_observed and not form.good_practice_note.strip():
        errors["good_practice_note"] = ["Describe the good practice you saw"]
    return errors


def _refuse_unless_allowed(by: User, conference: Conference) -> None:
    if not can_fill_qa_form(by, conference):
        raise PermissionDenied("Only the conference's chair or the Senior IRO fills its QA form.")


def _locked_form(form: QAForm) -> QAForm:
    locked = QAForm.objects.select_for_update(of=("self",)).get(pk=form.pk)
    locked.conference = form.conference
    if locked.completed_at is not None:
        raise ValidationError("This QA form has already been completed; it cannot be changed.")
    return locked


# --- The service ---------------------------------------------------------------------------


@transaction.atomic
def qa_form_start(conference: Conference, *, by: User) -> QAForm:
    """The conference's QA form: its draft (or completed form) if one exists, else a new draft
    pre-filled from the record."""
    _refuse_unless_allowed(by, conference)
    locked = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    if locked.status != Conference.Status.HELD:
        raise ValidationError("A QA form is filled in only after the conference is held.")
    existing = QAForm.objects.filter(conference=locked).first()
    if existing is not None:
        return existing
    form = QAForm(conference=conference, completed_by=by, started_at=timezone.now())
    for question in QA_QUESTIONS:
        if question.kind == YES_NO_NA and not question.applies(conference):
            setattr(form, question.field, NA)
    facts = prefill_for(conference)
    for name, fact in facts.items():
        setattr(form, name, fact.answer)
    form.prefilled = {
        name: {"answer": fact.answer, "because": fact.because} for name, fact in facts.items()
    }
    return save_with_history(form, by=by, reason="QA form started, pre-filled from the record")


@transaction.atomic
def qa_form_save_draft(form: QAForm, answers: dict, *, by: User) -> QAForm:
    """Save any of the answers given, each checked; the form stays a draft."""
    _refuse_unless_allowed(by, form.conference)
    locked = _locked_form(form)
    _apply(locked, answers)
    return save_with_history(locked, by=by, reason="QA form draft saved")


@transaction.atomic
def qa_form_complete(form: QAForm, answers: dict, *, by: User, now: datetime) -> QAForm:
    """Save the last answers and complete the form: every question asked at the conference
    must be answered. A completed form cannot be completed (or changed) again."""
    _refuse_unless_allowed(by, form.conference)
    locked = _locked_form(form)
    _apply(locked, answers)
    errors = _missing(locked)
    if errors:
        raise ValidationError(errors)
    locked.completed_at = now
    locked.completed_by = by
    return save_with_history(locked, by=by, reason="QA form completed")
