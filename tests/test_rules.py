"""Statutory date rules, tested without a database (style.md rule 1)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from conferences import rules as conference_rules
from iro_service.dates import add_months, add_working_days, is_working_day, working_days_between
from plans import rules as plan_rules


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2011, 11, 30), 3, date(2012, 2, 29)),  # leap year month end
        (date(2011, 8, 31), 6, date(2012, 2, 29)),
        (date(2012, 11, 30), 3, date(2013, 2, 28)),  # not a leap year
        (date(2012, 1, 31), 1, date(2012, 2, 29)),
        (date(2012, 2, 29), 12, date(2013, 2, 28)),
        (date(2024, 3, 15), 6, date(2024, 9, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2024, 12, 25))  # Christmas Day
    assert not is_working_day(date(2024, 12, 26))  # Boxing Day
    assert not is_working_day(date(2024, 5, 6))  # early May bank holiday
    assert not is_working_day(date(2024, 3, 29))  # Good Friday
    assert not is_working_day(date(2024, 4, 1))  # Easter Monday (England, not Scotland)
    assert not is_working_day(date(2024, 6, 1))  # Saturday
    assert is_working_day(date(2024, 3, 28))


def test_first_working_day_after_is_day_one():
    assert add_working_days(date(2024, 6, 3), 1) == date(2024, 6, 4)  # Monday -> Tuesday
    assert add_working_days(date(2024, 6, 7), 1) == date(2024, 6, 10)  # Friday -> Monday


def test_initial_conference_target_skips_easter():
    # Strategy discussion Thursday 21 March 2024. Good Friday 29 March and Easter Monday
    # 1 April are not counted: day 15 is Monday 15 April, not Thursday 11 April.
    due = conference_rules.initial_conference_due_by(strategy_discussion_on=date(2024, 3, 21))
    assert due == date(2024, 4, 15)
    assert working_days_between(date(2024, 3, 21), due) == 15


def test_initial_conference_target_over_christmas():
    due = conference_rules.initial_conference_due_by(strategy_discussion_on=date(2024, 12, 20))
    # 23, 24, 27, 30, 31 Dec; 2, 3, 6, 7, 8, 9, 10, 13, 14, 15 Jan (1 Jan is a holiday)
    assert due == date(2025, 1, 15)


def test_working_days_between_is_zero_for_same_or_earlier_day():
    assert working_days_between(date(2024, 6, 3), date(2024, 6, 3)) == 0
    assert working_days_between(date(2024, 6, 3), date(2024, 6, 1)) == 0


def test_add_working_days_refuses_negative():
    with pytest.raises(ValueError):
        add_working_days(date(2024, 6, 3), -1)


def test_first_review_within_three_months_of_plan_start():
    assert plan_rules.first_review_due_by(plan_start=date(2011, 11, 30)) == date(2012, 2, 29)


def test_pre_birth_first_review_is_the_sooner_of_the_two_rules():
    # Plan 1 March 2024, baby born 4 March: 20 working days after birth (2 April, after
    # Easter) is sooner than 3 months (1 June).
    due = plan_rules.first_review_due_by(
        plan_start=date(2024, 3, 1), born_on=date(2024, 3, 4), pre_birth_working_days=20
    )
    assert due == date(2024, 4, 3)
    # Born late in the three months: the three-month rule is sooner.
    due = plan_rules.first_review_due_by(
        plan_start=date(2024, 3, 1), born_on=date(2024, 5, 20), pre_birth_working_days=20
    )
    assert due == date(2024, 6, 1)


def test_later_reviews_within_six_months():
    assert plan_rules.later_review_due_by(previous_review_on=date(2011, 8, 31)) == date(2012, 2, 29)
    assert plan_rules.later_review_due_by(previous_review_on=date(2024, 1, 10), months=5) == date(
        2024, 6, 10
    )


def test_review_on_its_due_date_is_on_time_and_a_day_later_is_late():
    due = date(2012, 2, 29)
    assert plan_rules.review_was_on_time(held_on=due, due_by=due)
    assert not plan_rules.review_was_on_time(held_on=due + timedelta(days=1), due_by=due)


@pytest.mark.parametrize(
    ("start", "end", "band"),
    [
        (date(2011, 4, 1), date(2011, 6, 30), "A"),
        (date(2011, 4, 1), date(2011, 7, 1), "B"),  # exactly 3 months
        (date(2011, 4, 1), date(2011, 10, 1), "C"),
        (date(2011, 4, 1), date(2012, 4, 1), "D"),
        (date(2010, 3, 31), date(2012, 3, 31), "E"),  # exactly two years: NI 64 counts it
        (date(2010, 4, 1), date(2012, 3, 31), "D"),  # a day short of two years
        (date(2009, 3, 31), date(2012, 3, 31), "F"),
    ],
)
def test_duration_bands(start, end, band):
    assert plan_rules.duration_band(start=start, end=end) == band


def test_plan_of_exactly_two_years_lasted_two_years():
    assert plan_rules.lasted_at_least(start=date(2010, 2, 28), end=date(2012, 2, 28), months=24)
    assert not plan_rules.lasted_at_least(start=date(2010, 2, 28), end=date(2012, 2, 27), months=24)


def test_paperwork_deadlines():
    held = datetime(2024, 3, 28, 10, 0, tzinfo=UTC)
    due = conference_rules.report_share_due_by(conference_at=held, hours_before=48)
    assert due == datetime(2024, 3, 26, 10, 0, tzinfo=UTC)
    # Decision sheet within one working day: Thursday before Easter -> Tuesday after.
    assert conference_rules.decision_sheet_due_by(held_on=date(2024, 3, 28)) == date(2024, 4, 2)
    assert conference_rules.minutes_due_by(held_on=date(2024, 6, 3)) == date(2024, 6, 24)
    assert conference_rules.adjourned_review_reconvene_by(adjourned_on=date(2024, 2, 1)) == date(
        2024, 2, 29
    )
    assert plan_rules.first_core_group_due_by(plan_start=date(2024, 6, 3)) == date(2024, 6, 17)
