"""Pure rules of a themed audit: no ORM, no clock."""

from datetime import date

from iro_service.dates import add_months

from .questions import ANSWER_LABELS, CHECKLIST_KEYS

# §7.7.1: "made subject to a child protection plan for a second or subsequent time within
# twelve months of the previous plan being ceased".
REPEAT_WITHIN_MONTHS = 12
# NI 64's "two years or more" (indicators.md: start + 2 years <= the date).
LONG_PLAN_MONTHS = 24


def repeat_within_window(*, previous_end: date | None, start: date) -> bool:
    """Whether a plan started within 12 months of the previous plan ending (inclusive: a plan
    starting exactly 12 months on is in, as "within" is read for the other timescales). A
    previous plan with no end recorded is not one that was ceased, so it is out."""
    return previous_end is not None and start <= add_months(previous_end, REPEAT_WITHIN_MONTHS)


def answered(answers: dict, key: str) -> bool:
    return (answers.get(key) or {}).get("answer") in ANSWER_LABELS


def case_status(*, answers: dict, findings: str) -> str:
    """Completed when every checklist question has an answer; in progress when anything has
    been written; otherwise not started. (Values of AuditCase.Status.)"""
    done = [key for key in CHECKLIST_KEYS if answered(answers, key)]
    if len(done) == len(CHECKLIST_KEYS):
        return "completed"
    notes = any((answers.get(key) or {}).get("note") for key in CHECKLIST_KEYS)
    if done or notes or findings.strip():
        return "in_progress"
    return "not_started"
