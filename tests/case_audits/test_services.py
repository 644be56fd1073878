"""Answering an audit's cases, its progress, and completing it (irreversible)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from case_audits import services
from case_audits.models import AuditCase, CaseAudit
from case_audits.rules import case_status, repeat_within_window
from case_audits.selectors import progress
from people.models import Role

from .helpers import ALL_YES, NOW, chosen_audit

pytestmark = pytest.mark.django_db


def _answer_all(audit, senior):
    for case in audit.cases.all():
        services.audit_case_save(case=case, answers=ALL_YES, findings="Fine.", by=senior)


def test_repeat_window_is_inclusive_and_needs_an_ended_plan():
    ended = dt.date(2026, 3, 15)
    assert repeat_within_window(previous_end=ended, start=dt.date(2027, 3, 15))
    assert not repeat_within_window(previous_end=ended, start=dt.date(2027, 3, 16))
    assert not repeat_within_window(previous_end=None, start=dt.date(2027, 3, 16))


def test_case_status_follows_the_answers():
    assert case_status(answers={}, findings="") == "not_started"
    assert case_status(answers={"targets_clear": {"answer": "no"}}, findings="") == "in_progress"
    assert case_status(answers={}, findings="Drift.") == "in_progress"
    assert case_status(answers=ALL_YES, findings="") == "completed"


def test_answers_are_saved_with_history_and_progress_counts(world):
    senior = world.users[Role.SENIOR_IRO]
    audit = chosen_audit(world)
    first, second, _ = audit.cases.order_by("position")
    assert progress(audit) == {"done": 0, "total": 3}

    services.audit_case_save(case=first, answers=ALL_YES, findings="Clear plan.", by=senior)
    partly = {"targets_clear": {"answer": "partly", "note": "No timescales."}}
    services.audit_case_save(case=second, answers=partly, findings="", by=senior)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.answers["optimism_avoided"] == {"answer": "yes", "note": "Seen in the file."}
    assert first.status == AuditCase.Status.COMPLETED
    assert second.status == AuditCase.Status.IN_PROGRESS
    assert second.answers["targets_clear"]["note"] == "No timescales."
    assert progress(audit) == {"done": 1, "total": 3}
    last = first.history.first()
    assert last.history_user == senior and last.history_change_reason == "Case findings recorded"


def test_an_answer_outside_yes_partly_no_is_refused(world):
    audit = chosen_audit(world)
    case = audit.cases.first()
    with pytest.raises(ValidationError):
        services.audit_case_save(
            case=case,
            answers={"targets_clear": {"answer": "maybe"}},
            findings="",
            by=world.users[Role.SENIOR_IRO],
        )


def test_completing_is_refused_while_a_case_is_unanswered_and_nothing_changes(world):
    senior = world.users[Role.SENIOR_IRO]
    audit = chosen_audit(world)
    first = audit.cases.order_by("position").first()
    services.audit_case_save(case=first, answers=ALL_YES, findings="", by=senior)
    services.audit_findings_save(audit=audit, overall_findings="Drift.", actions="", by=senior)

    with pytest.raises(ValidationError) as refused:
        services.audit_complete(audit=audit, by=senior, now=NOW)

    assert "2 cases have not been completed" in refused.value.messages[0]
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.IN_PROGRESS
    assert audit.completed_on is None and audit.completed_by is None


def test_completing_needs_overall_findings(world):
    senior = world.users[Role.SENIOR_IRO]
    audit = chosen_audit(world)
    _answer_all(audit, senior)
    with pytest.raises(ValidationError) as refused:
        services.audit_complete(audit=audit, by=senior, now=NOW)
    assert refused.value.messages == ["Enter the audit's overall findings."]


def test_a_completed_audit_refuses_every_change(world):
    senior = world.users[Role.SENIOR_IRO]
    audit = chosen_audit(world)
    _answer_all(audit, senior)
    services.audit_findings_save(audit=audit, overall_findings="Drift.", actions="", by=senior)
    services.audit_complete(audit=audit, by=senior, now=NOW)
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.COMPLETED
    assert audit.completed_on == NOW.date() and audit.completed_by == senior

    case = audit.cases.first()
    with pytest.raises(ValidationError, match="completed"):
        services.audit_case_save(case=case, answers={}, findings="changed", by=senior)
    with pytest.raises(ValidationError, match="completed"):
        services.audit_findings_save(audit=audit, overall_findings="x", actions="", by=senior)
    with pytest.raises(ValidationError, match="completed"):
        services.audit_complete(audit=audit, by=senior, now=NOW)
    case.refresh_from_db()
    assert case.findings == "Fine."
    assert audit.history.count() == 3  # started, findings, completed


@pytest.mark.parametrize(
    "role", [Role.IRO, Role.BUSINESS_SUPPORT, Role.AUDITOR, Role.DISTRICT_MANAGER]
)
def test_only_the_senior_iro_starts_or_answers_audits(world, role):
    audit = chosen_audit(world)
    with pytest.raises(PermissionDenied):
        services.audit_case_save(
            case=audit.cases.first(), answers=ALL_YES, findings="", by=world.users[role]
        )
    with pytest.raises(PermissionDenied):
        services.audit_start(
            by=world.users[role],
            theme="chosen",
            on=NOW.date(),
            name="x",
            child_ids=[str(world.child.pk)],
            local_ids=[world.child.local_id],
        )
