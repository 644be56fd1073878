"""Statutory and local timescales around conferences. Pure functions: dates in, dates out.

Sources: Working Together (15 working days to the initial conference); the CIN census
InitialCPCtarget; §9.4 (reports shared 24 h / 48 h before); §7.7.2 (decision sheet within one
working day); domain.md timescales table (minutes, adjourned reviews).
"""

from datetime import date, datetime, timedelta

from iro_service.dates import add_working_days


def initial_conference_due_by(*, strategy_discussion_on: date, working_days: int = 15) -> date:
    """The 15th working day after the (last) strategy discussion; the next working day is day 1."""
    return add_working_days(strategy_discussion_on, working_days)


def report_share_due_by(*, conference_at: datetime, hours_before: int) -> datetime:
    """The social worker's report reaches parents at least 24 h (initial) or 48 h (review) before."""
    return conference_at - timedelta(hours=hours_before)


def decision_sheet_due_by(*, held_on: date, working_days: int = 1) -> date:
    """The chair's decision sheet is distributed within one working day of the conference."""
    return add_working_days(held_on, working_days)


def minutes_due_by(*, held_on: date, working_days: int = 15) -> date:
    """Minutes signed off and distributed within 15 working days."""
    return add_working_days(held_on, working_days)


def adjourned_review_reconvene_by(*, adjourned_on: date, days: int = 28) -> date:
    """An adjourned review is reconvened within 28 days (§6.3.1)."""
    return adjourned_on + timedelta(days=days)
