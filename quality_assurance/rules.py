"""Timescales of quality assurance. Pure functions: dates in, dates out (no ORM, no clock).

Source: the Problem Resolution Protocol (§7.2, §10.2; IRO Handbook 6.2; domain.md timescales
table): each level of an escalation has a response deadline in working days, 5 by default
(the ESCALATION_LEVEL_WORKING_DAYS setting); unanswered by then, it moves up a level.
"""

from datetime import date

from iro_service.dates import add_working_days


def escalation_response_due_by(*, level_reached_on: date, working_days: int = 5) -> date:
    """The response is due `working_days` working days after the escalation reached its level
    (the next working day is day 1); the day after that, it moves up a level."""
    return add_working_days(level_reached_on, working_days)
