"""The chair's side of a conference (workflows.md, "Holding"): the attendance register and
its quorum, each child's decision and outline plan, the optional Signs of Safety record, and
recording the conference as held or adjourned.

Every write locks the conference row and checks the version the person was editing: two
people editing the same conference are never silently overwritten (the second is refused with
who changed it, and sees the change). A plan starts, changes category or ceases here, through
the plan services, on the conference's date; the measures count what this stores.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.records import save_with_history
from people.models import User
from plans import services as plan_services
from plans.models import ChildProtectionPlan, PlanTarget

from .. import rules
from ..models import (
    Attendance,
    Category,
    Conference,
    ConferenceChild,
    Dissent,
    SafetyScale,
    SignsOfSafety,
)

Outcome = ConferenceChild.Outcome
INITIAL_OUTCOMES = (Outcome.PLAN_STARTED, Outcome.NO_PLAN)
REVIEW_OUTCOMES = (Outcome.PLAN_CONTINUED, Outcome.PLAN_CEASED)


class EditConflict(ValidationError):
    """Someone else saved the conference after the person started editing it."""

    def __init__(self, conference: Conference, since_version: int):
        self.conference = conference
        self.changes = changes_since(conference, since_version)
        latest = self.changes[0] if self.changes else None
        who = latest.history_user.display_name if latest and latest.history_user else "Someone"
        when = timezone.localtime(latest.history_date) if latest else None
        super().__init__(
            f"{who} changed this conference"
            + (f" at {when:%H:%M} on {when:%d %B %Y}" if when else "")
            + " while you were editing it. Their changes are shown; check your answers "
            "against them and save again."
        )


def changes_since(conference: Conference, version: int) -> list:
    """The conference's history rows saved after `version`, newest first."""
    return list(
        conference.history.filter(version__gt=version)
        .select_related("history_user")
        .order_by("-history_date")
    )


def _locked(conference: Conference, *, version: int | None) -> Conference:
    locked = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("household", "chair")
        .get(pk=conference.pk)
    )
    if version is not None and locked.version != version:
        raise EditConflict(locked, version)
    return locked


def _bump(conference: Conference, *, by: User, reason: str, fields: Iterable[str] = ()) -> None:
    conference.version += 1
    save_with_history(
        conference, by=by, reason=reason, update_fields={"version", *fields}, clean=False
    )


# --- The attendance register -------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One line of the register: an invitee (invitee_id) or someone else present."""

    name: str
    agency: str
    role: str
    status: str
    invitee_id: int | None = None


def register_rows_for(conference: Conference) -> list[AttendanceRow]:
    """The register as it stands, or, before anyone has kept it, one line per invitee with no
    status chosen: nobody re-types who was invited."""
    recorded = list(conference.attendance.order_by("id"))
    if recorded:
        return [AttendanceRow(r.name, r.agency, r.role, r.status, r.invitee_id) for r in recorded]
    return [
        AttendanceRow(i.name, i.agency, i.role, "", i.pk)
        for i in conference.invitees.order_by("agency", "name")
    ]


def quorum_of(conference: Conference) -> rules.Quorum:
    present = conference.attendance.filter(status__in=Attendance.PRESENT).values_list(
        "agency", flat=True
    )
    return rules.quorum(present, other_needed=settings.IRO_QUORUM_OTHER_AGENCIES)


def _register_errors(rows: Sequence[AttendanceRow], invitee_ids: set[int]) -> dict:
    errors: dict[str, list[str]] = {}
    agencies, statuses = set(Attendance.Agency.values), set(Attendance.Status.values)
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        problems = []
        if not row.name.strip():
            problems.append("give their name")
        if row.agency not in agencies:
            problems.append("choose their agency")
        if row.status not in statuses:
            problems.append("say whether they came, in person or remotely, or not")
        if row.invitee_id is not None:
            if row.invitee_id not in invitee_ids:
                problems.append("they are not invited to this conference")
            elif row.invitee_id in seen:
                problems.append("they are on the register twice")
            seen.add(row.invitee_id)
        if problems:
            errors[f"row_{number}"] = [f"Line {number} of the register: {', '.join(problems)}."]
    if not rows:
        errors["rows"] = ["Add at least one person to the register."]
    return errors


@transaction.atomic
def attendance_record(
    *, conference: Conference, rows: Sequence[AttendanceRow], version: int, by: User
) -> Conference:
    """Keep the register: one row per invitee is updated in place, others are added. Lines
    are never removed (the register is evidence): a person who did not come is marked so."""
    conference = _locked(conference, version=version)
    if conference.status not in (Conference.Status.BOOKED, Conference.Status.HELD):
        raise ValidationError(
            f"This conference is {conference.get_status_display().lower()}: "
            "its register cannot be changed."
        )
    if conference.decision_sheet_signed_off_at is not None:
        raise ValidationError(
            "The decision sheet has been signed off with this register on it, so the register "
            "can no longer be changed."
        )
    invitee_ids = set(conference.invitees.values_list("pk", flat=True))
    errors = _register_errors(rows, invitee_ids)
    if errors:
        raise ValidationError(errors)
    existing = list(conference.attendance.order_by("id"))
    by_invitee = {r.invitee_id: r for r in existing if r.invitee_id}
    others = [r for r in existing if not r.invitee_id]
    for row in rows:
        record = by_invitee.get(row.invitee_id) if row.invitee_id else None
        if record is None and not row.invitee_id and others:
            record = others.pop(0)
        if record is None:
            record = Attendance(conference=conference, invitee_id=row.invitee_id)
        values = {"name": row.name.strip(), "agency": row.agency, "role": row.role.strip()}
        values["status"] = row.status
        if record.pk and all(getattr(record, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(record, key, value)
        save_with_history(record, by=by, reason="Attendance register kept")
    conference.quorate = quorum_of(conference).quorate
    _bump(conference, by=by, reason="Attendance register kept", fields={"quorate"})
    return conference


# --- Each child's decision ---------------------------------------------------------------


@dataclass(frozen=True)
class DissentInput:
    agency: str
    reason: str
    name: str = ""


@dataclass(frozen=True)
class TargetInput:
    description: str
    due_by: date
    who: str = ""


@dataclass(frozen=True)
class ChildDecision:
    """What the conference decided for one child, and the outline plan."""

    child_id: int
    outcome: str
    category: str = ""
    cease_reason: str = ""
    participation: str = ""
    views: str = ""
    decision_note: str = ""
    dissents: tuple[DissentInput, ...] = ()
    targets: tuple[TargetInput, ...] = ()
    # An existing target of the child's plan (id) -> achieved, partly achieved or not.
    target_reviews: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SignsOfSafetyInput:
    worries_harm: str = ""
    complicating_factors: str = ""
    working_well: str = ""
    danger_statements: str = ""
    safety_goals: str = ""
    scales: tuple[tuple[str, int], ...] = ()  # (participant, 0-10)


@dataclass
class Considered:
    """A child considered, with what the decision needs: the row, the open plan, its targets."""

    row: ConferenceChild
    plan: ChildProtectionPlan | None
    targets: list[PlanTarget]


def considered_children(conference: Conference) -> list[Considered]:
    """The children the conference considers, each with their open plan and its targets still
    to be reviewed, in a fixed number of queries whatever the household's size."""
    rows = list(
        conference.child_outcomes.select_related("child").order_by(
            "child__date_of_birth", "child__id"
        )
    )
    plans = {
        p.child_id: p
        for p in ChildProtectionPlan.objects.filter(
            child__in=[r.child_id for r in rows], end_date__isnull=True
        )
    }
    targets: dict[int, list[PlanTarget]] = {}
    for target in PlanTarget.objects.filter(plan__in=plans.values(), reviewed_at__isnull=True):
        targets.setdefault(target.plan_id, []).append(target)
    result = []
    for row in rows:
        plan = plans.get(row.child_id)
        result.append(Considered(row, plan, targets.get(plan.pk, []) if plan else []))
    return result


def decision_errors(
    conference: Conference, considered: Considered, decision: ChildDecision
) -> dict[str, list[str]]:
    """What is wrong with one child's decision, keyed by field; empty when it can be saved.
    The pages check each child's answers with this as they are given, the service again."""
    errors: dict[str, list[str]] = {}
    child, plan = considered.row.child, considered.plan

    def refuse(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    allowed = REVIEW_OUTCOMES if conference.is_review else INITIAL_OUTCOMES
    if decision.outcome not in allowed:
        refuse(
            "outcome",
            "Choose whether the plan continues or ceases"
            if conference.is_review
            else f"Choose whether {child.first_name} needs a child protection plan",
        )
    if decision.outcome in (Outcome.PLAN_STARTED, Outcome.PLAN_CONTINUED):
        if decision.category not in Category.values:
            refuse("category", "Choose the category of abuse")
    if decision.outcome == Outcome.PLAN_CEASED and not decision.cease_reason:
        refuse("cease_reason", "Choose why the plan ceases")
    if conference.is_review and plan is None:
        refuse("outcome", f"{child.first_name} has no open plan to review")
    if decision.outcome == Outcome.PLAN_STARTED and plan is not None:
        refuse(
            "outcome",
            f"{child.first_name} already has a plan, from {plan.start_date:%d %B %Y}: "
            "hold a review instead",
        )
    participation = ConferenceChild.Participation.values
    if decision.participation not in participation or not decision.participation:
        refuse("participation", f"Say how {child.first_name} took part, or that they did not")
    for number, dissent in enumerate(decision.dissents, start=1):
        if dissent.agency not in Attendance.Agency.values or not dissent.reason.strip():
            refuse("dissents", f"Dissent {number}: give the agency and the reason")
    keeps_plan = decision.outcome in (Outcome.PLAN_STARTED, Outcome.PLAN_CONTINUED)
    for number, target in enumerate(decision.targets, start=1):
        if not keeps_plan:
            refuse("targets", "Targets are set only for a plan that starts or continues")
            break
        if not target.description.strip():
            refuse("targets", f"Target {number}: say what must change")
        if target.due_by <= conference.date:
            refuse("targets", f"Target {number}: the date must be after the conference")
    if decision.outcome == Outcome.PLAN_STARTED and not decision.targets:
        refuse("targets", "Set at least one target of the outline plan")
    reviewable = {t.pk for t in considered.targets}
    for target_id, progress in decision.target_reviews.items():
        if target_id not in reviewable:
            refuse("target_reviews", "A target reviewed is not one of this plan's")
        elif progress not in dict(PlanTarget.REVIEW_CHOICES):
            refuse("target_reviews", "Say whether each target was achieved, partly or not")
    if conference.is_review and reviewable - set(decision.target_reviews):
        refuse(
            "target_reviews", "Say whether each of the plan's targets was achieved, partly or not"
        )
    return errors


def _check_hold(conference: Conference, *, today: date) -> None:
    if conference.status != Conference.Status.BOOKED:
        raise ValidationError(
            f"This conference is {conference.get_status_display().lower()}, "
            "so it cannot be recorded as held."
        )
    if conference.date > today:
        raise ValidationError(
            f"The conference is on {conference.date:%d %B %Y}: it can be recorded as held on "
            "the day or after. To change its date, rearrange it."
        )


def _inquorate_before(conference: Conference) -> bool:
    """Was the household's last conference before this one inquorate?"""
    previous = (
        Conference.objects.filter(
            household=conference.household,
            status__in=[Conference.Status.HELD, Conference.Status.ADJOURNED],
            scheduled_for__lt=conference.scheduled_for,
        )
        .exclude(pk=conference.pk)
        .order_by("-scheduled_for")
        .values_list("quorate", flat=True)
        .first()
    )
    return previous is False


@transaction.atomic
def conference_hold(
    *,
    conference: Conference,
    version: int,
    decisions: Sequence[ChildDecision],
    by: User,
    proceeded_inquorate: bool = False,
    signs_of_safety: SignsOfSafetyInput | None = None,
    now: datetime | None = None,
) -> Conference:
    """Record the conference as held with each child's decision. Refused, with nothing saved,
    if anything is missing or wrong: every child needs a decision; an inquorate conference
    goes ahead only with an interim plan (else adjourn it)."""
    now = now or timezone.now()
    conference = _locked(conference, version=version)
    _check_hold(conference, today=timezone.localdate(now))
    quorum = quorum_of(conference)
    if not conference.attendance.exists():
        raise ValidationError({"register": ["Keep the attendance register first."]})
    if not quorum.quorate and not proceeded_inquorate:
        raise ValidationError(
            {
                "proceeded_inquorate": [
                    f"The conference is not quorate (it needs {quorum.shortfall}): adjourn it, "
                    "or say it went ahead with an interim plan."
                ]
            }
        )
    considered = considered_children(conference)
    by_child = {c.row.child_id: c for c in considered}
    given = {d.child_id: d for d in decisions}
    errors: dict[str, list[str]] = {}
    for child_id, item in by_child.items():
        decision = given.get(child_id)
        if decision is None:
            errors.setdefault(f"child_{child_id}", []).append(
                f"Record the decision for {item.row.child.full_name}."
            )
            continue
        for messages in decision_errors(conference, item, decision).values():
            errors.setdefault(f"child_{child_id}", []).extend(
                f"{item.row.child.full_name}: {m}." for m in messages
            )
    if set(given) - set(by_child):
        errors.setdefault("children", []).append("A decision is for a child not considered here.")
    if errors:
        raise ValidationError(errors)

    for child_id, item in by_child.items():
        _record_decision(conference, item, given[child_id], by=by)
    if signs_of_safety is not None and settings.IRO_SIGNS_OF_SAFETY:
        _record_signs_of_safety(conference, signs_of_safety, by=by)
    decision_sheet_due, minutes_due = rules.paperwork_due(
        held_on=conference.date, timescales=settings.IRO_TIMESCALES
    )
    conference.status = Conference.Status.HELD
    conference.quorate = quorum.quorate
    conference.proceeded_inquorate = not quorum.quorate
    conference.inquorate_again = not quorum.quorate and _inquorate_before(conference)
    conference.held_recorded_at = now
    conference.held_recorded_by = by
    conference.decision_sheet_due_by = decision_sheet_due
    conference.minutes_due_by = minutes_due
    _bump(
        conference,
        by=by,
        reason="Conference held",
        fields={
            "status",
            "quorate",
            "proceeded_inquorate",
            "inquorate_again",
            "held_recorded_at",
            "held_recorded_by",
            "decision_sheet_due_by",
            "minutes_due_by",
        },
    )
    return conference


def _record_decision(
    conference: Conference, item: Considered, decision: ChildDecision, *, by: User
) -> None:
    row, plan, held_on = item.row, item.plan, conference.date
    if decision.outcome == Outcome.PLAN_STARTED:
        plan = plan_services.plan_start(
            child=row.child,
            start_date=held_on,
            category=decision.category,
            initial_conference=conference,
            is_pre_birth=conference.kind == Conference.Kind.PRE_BIRTH_INITIAL,
            by=by,
        )
    elif decision.outcome == Outcome.PLAN_CONTINUED:
        if decision.category != plan.latest_category:
            plan_services.plan_change_category(
                plan=plan,
                changed_on=held_on,
                to_category=decision.category,
                conference=conference,
                by=by,
            )
        plan.refresh_from_db()
        plan.next_review_due_by = plan_services.plan_next_review_due(plan, last_review_on=held_on)
        save_with_history(
            plan, by=by, reason="Reviewed", update_fields=["next_review_due_by"], clean=False
        )
    elif decision.outcome == Outcome.PLAN_CEASED:
        plan = plan_services.plan_end(
            plan=plan, end_date=held_on, reason=decision.cease_reason, by=by
        )
    for target in item.targets:
        if target.pk in decision.target_reviews:
            target.progress = decision.target_reviews[target.pk]
            target.reviewed_at = conference
            save_with_history(target, by=by, reason="Reviewed at the conference")
    for target in decision.targets:
        save_with_history(
            PlanTarget(
                plan=plan,
                description=target.description.strip(),
                due_by=target.due_by,
                who=target.who.strip(),
                set_at=conference,
            ),
            by=by,
            reason="Set at the conference",
        )
    for dissent in decision.dissents:
        save_with_history(
            Dissent(decision=row, agency=dissent.agency, name=dissent.name, reason=dissent.reason),
            by=by,
            reason="Dissent recorded",
        )
    keeps_plan = decision.outcome in (Outcome.PLAN_STARTED, Outcome.PLAN_CONTINUED)
    row.outcome = decision.outcome
    row.category = decision.category if keeps_plan else ""
    row.cease_reason = decision.cease_reason if decision.outcome == Outcome.PLAN_CEASED else ""
    row.participation = decision.participation
    row.views = decision.views.strip()
    row.decision_note = decision.decision_note.strip()
    if keeps_plan:
        plan.refresh_from_db()
        row.next_review_due_by = plan.next_review_due_by
        row.first_core_group_due_by = (
            plan.first_core_group_due_by
            if decision.outcome == Outcome.PLAN_STARTED
            else plan.next_core_group_due_by
        )
    save_with_history(row, by=by, reason="Decision recorded")


def _record_signs_of_safety(conference: Conference, data: SignsOfSafetyInput, *, by: User) -> None:
    errors = [
        f"Safety scale for {name or 'a participant'}: give a name and a number from 0 to 10."
        for name, score in data.scales
        if not name.strip() or not 0 <= score <= 10
    ]
    if errors:
        raise ValidationError({"signs_of_safety": errors})
    record = save_with_history(
        SignsOfSafety(
            conference=conference,
            worries_harm=data.worries_harm,
            complicating_factors=data.complicating_factors,
            working_well=data.working_well,
            danger_statements=data.danger_statements,
            safety_goals=data.safety_goals,
        ),
        by=by,
        reason="Signs of Safety record",
    )
    for name, score in data.scales:
        save_with_history(
            SafetyScale(record=record, participant=name.strip(), score=score),
            by=by,
            reason="Safety scale",
        )


# --- Adjourning --------------------------------------------------------------------------


@transaction.atomic
def conference_adjourn(
    *,
    conference: Conference,
    version: int,
    reason: str,
    note: str = "",
    by: User,
    now: datetime | None = None,
) -> Conference:
    """Adjourn a conference on or after its day: it must reconvene within the adjourned
    conference setting (28 days), and goes onto the list to book with that date. (Before the
    day, a conference is rearranged instead.)"""
    now = now or timezone.now()
    conference = _locked(conference, version=version)
    if conference.status != Conference.Status.BOOKED:
        raise ValidationError(
            f"This conference is {conference.get_status_display().lower()}, "
            "so it cannot be adjourned."
        )
    if conference.date > timezone.localdate(now):
        raise ValidationError(
            "A conference is adjourned on the day. To move it before then, rearrange it."
        )
    if reason not in Conference.AdjournmentReason.values:
        raise ValidationError({"reason": ["Choose why the conference was adjourned."]})
    if reason == Conference.AdjournmentReason.OTHER and not note.strip():
        raise ValidationError({"note": ["Say why the conference was adjourned."]})
    quorum = quorum_of(conference) if conference.attendance.exists() else None
    conference.status = Conference.Status.ADJOURNED
    conference.adjournment_reason = reason
    conference.adjournment_note = note.strip()
    conference.reconvene_by = rules.adjourned_review_reconvene_by(
        adjourned_on=conference.date, days=settings.IRO_TIMESCALES["ADJOURNED_REVIEW_DAYS"]
    )
    conference.quorate = quorum.quorate if quorum else None
    conference.inquorate_again = bool(
        quorum and not quorum.quorate and _inquorate_before(conference)
    )
    _bump(
        conference,
        by=by,
        reason="Conference adjourned",
        fields={
            "status",
            "adjournment_reason",
            "adjournment_note",
            "reconvene_by",
            "quorate",
            "inquorate_again",
        },
    )
    return conference
