"""Writes for themed audits: start one from a theme's list, answer its cases, record its
overall findings, complete it. Every change is saved with its history (who and why); a
completed audit refuses every change; nothing is deleted."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.records import save_with_history
from people.models import User

from .access import can_edit_case_audits
from .models import AuditCase, CaseAudit, Theme
from .questions import ANSWER_LABELS, CHECKLIST_KEYS
from .rules import case_status
from .selectors import candidates_for

COMPLETED_REFUSAL = "This audit has been completed and can no longer be changed."


def _require_editor(user: User) -> None:
    if not can_edit_case_audits(user):
        raise PermissionDenied("Only the Senior IRO starts and answers case audits.")


@transaction.atomic
def audit_start(
    *,
    by: User,
    theme: str,
    on: date,
    name: str,
    child_ids: list[str],
    local_ids: list[str] | None = None,
) -> CaseAudit:
    """Start an audit of the chosen cases of a theme's list as at a date. The list is drawn
    again here, and only cases on it are taken: the cases are stored, so the audit stays as it
    started whatever later happens to the records."""
    _require_editor(by)
    if theme not in Theme.values:
        raise ValidationError({"theme": "Choose what the audit is about."})
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the audit."})
    wanted = {str(pk) for pk in child_ids}
    chosen = [
        c
        for c in candidates_for(user=by, theme=theme, on=on, local_ids=local_ids)
        if c.key in wanted
    ]
    if not chosen:
        raise ValidationError({"cases": "Choose at least one case to audit."})
    audit = save_with_history(
        CaseAudit(name=name.strip(), theme=theme, list_taken_on=on, started_by=by),
        by=by,
        reason="Audit started",
    )
    for position, candidate in enumerate(chosen, start=1):
        save_with_history(
            AuditCase(audit=audit, child=candidate.child, plan=candidate.plan, position=position),
            by=by,
            reason="Case chosen for the audit",
        )
    return audit


def _locked_open(audit: CaseAudit) -> CaseAudit:
    """The audit, locked for the change, refusing one already completed (by anyone)."""
    locked = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if locked.is_completed:
        raise ValidationError(COMPLETED_REFUSAL)
    return locked


def clean_answers(answers: dict) -> dict:
    """Only the checklist's questions, each with an answer of yes, partly or no (or none yet)
    and a note."""
    cleaned = {}
    for key in CHECKLIST_KEYS:
        given = answers.get(key) or {}
        answer = given.get("answer") or ""
        if answer and answer not in ANSWER_LABELS:
            raise ValidationError({key: "Choose yes, partly or no."})
        cleaned[key] = {"answer": answer, "note": (given.get("note") or "").strip()}
    return cleaned


@transaction.atomic
def audit_case_save(*, case: AuditCase, answers: dict, findings: str, by: User) -> AuditCase:
    """Save a case's checklist answers and findings; its status follows from them."""
    _require_editor(by)
    _locked_open(case.audit)
    case.answers = clean_answers(answers)
    case.findings = findings.strip()
    case.status = case_status(answers=case.answers, findings=case.findings)
    return save_with_history(
        case,
        by=by,
        reason="Case findings recorded",
        update_fields=["answers", "findings", "status"],
    )


@transaction.atomic
def audit_findings_save(
    *, audit: CaseAudit, overall_findings: str, actions: str, by: User
) -> CaseAudit:
    _require_editor(by)
    locked = _locked_open(audit)
    locked.overall_findings = overall_findings.strip()
    locked.actions = actions.strip()
    return save_with_history(
        locked,
        by=by,
        reason="Overall findings recorded",
        update_fields=["overall_findings", "actions"],
    )


def completion_problems(audit: CaseAudit) -> list[str]:
    """Why the audit cannot be completed yet, in plain English (empty when it can)."""
    problems = []
    left = audit.cases.exclude(status=AuditCase.Status.COMPLETED).count()
    if left:
        cases = "1 case has" if left == 1 else f"{left} cases have"
        problems.append(f"{cases} not been completed: answer every question for each case.")
    if not audit.overall_findings.strip():
        problems.append("Enter the audit's overall findings.")
    return problems


@transaction.atomic
def audit_complete(*, audit: CaseAudit, by: User, now: datetime | None = None) -> CaseAudit:
    """Complete the audit: irreversible. Refused, changing nothing, while a case is unanswered
    or the overall findings are missing."""
    _require_editor(by)
    locked = _locked_open(audit)
    problems = completion_problems(locked)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    locked.status = CaseAudit.Status.COMPLETED
    locked.completed_by = by
    locked.completed_at = now
    locked.completed_on = timezone.localdate(now)
    return save_with_history(
        locked,
        by=by,
        reason="Audit completed",
        update_fields=["status", "completed_by", "completed_at", "completed_on"],
    )
