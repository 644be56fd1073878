"""Timescales and guesses for escalations under the Problem Resolution Protocol. Pure
functions: dates and answers in, dates and themes out (no ORM, no clock).

Each level's response is due ESCALATION_LEVEL_WORKING_DAYS working days after the escalation
reached it (rules.escalation_response_due_by); the whole protocol is due
ESCALATION_TOTAL_WORKING_DAYS working days after it was raised.
"""

from collections.abc import Mapping
from datetime import date

from iro_service.dates import add_working_days

from .rules import escalation_response_due_by

__all__ = [
    "escalation_response_due_by",
    "protocol_due_by",
    "next_level",
    "theme_from_answers",
]

# The Problem Resolution Protocol's levels, lowest first (models.Escalation.Level values).
FIRST_LEVEL, LAST_LEVEL = 1, 5


def protocol_due_by(*, raised_on: date, working_days: int = 20) -> date:
    """The whole protocol is due `working_days` working days after the escalation was raised."""
    return add_working_days(raised_on, working_days)


def next_level(level: int) -> int | None:
    """The level above, or None at the top (the director)."""
    return level + 1 if level < LAST_LEVEL else None


# A QA form's answers that point to a theme, in the order a chair would weigh them: the first
# one answered "no" (or "inadequate", or False) gives the escalation's theme.
THEME_BY_ANSWER = (
    ("plan_outcome_focused", "no", "plan_quality"),
    ("core_groups_monthly", "no", "core_groups"),
    ("visits_within_timescale", "no", "visits"),
    ("report_shared_in_time", "no", "reports"),
    ("s47_completed_before_conference", "no", "assessment"),
    ("assessment_updated", "no", "assessment"),
    ("report_quality", "inadequate", "assessment"),
    ("report_analyses_impact", False, "assessment"),
)


def theme_from_answers(answers: Mapping[str, object]) -> str:
    """The likeliest theme of an escalation raised from a QA form; "other" when nothing in
    the answers points to one. The chair may change it."""
    for question, concerning, theme in THEME_BY_ANSWER:
        if answers.get(question) == concerning:
            return theme
    return "other"
