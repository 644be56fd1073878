"""The core group and visit rules (§7.2), against dates worked out by hand from a calendar
with the England and Wales bank holidays. Pure functions: no database."""

from datetime import date

import pytest

from plans import rules

DEFAULTS = {
    "FIRST_CORE_GROUP_WORKING_DAYS": 10,
    "CORE_GROUP_INTERVAL_MONTHS": 1,
    "CP_VISIT_WORKING_DAYS": 10,
}


@pytest.mark.parametrize(
    ("plan_start", "due"),
    [
        (date(2024, 6, 3), date(2024, 6, 17)),  # two plain weeks
        # Thu 21 March 2024: Good Friday 29 March and Easter Monday 1 April are not counted.
        (date(2024, 3, 21), date(2024, 4, 8)),
        # Fri 18 December 2026: Christmas, Boxing Day's substitute (Mon 28) and New Year's Day.
        (date(2026, 12, 18), date(2027, 1, 6)),
        # A plan started on a Saturday: the Monday after is the first working day.
        (date(2025, 5, 3), date(2025, 5, 19)),
    ],
)
def test_the_first_core_group_is_due_within_ten_working_days(plan_start, due):
    assert rules.next_core_group_due_by(plan_start=plan_start, last_held_on=None) == due
    assert rules.first_core_group_due_by(plan_start=plan_start) == due


@pytest.mark.parametrize(
    ("last_held_on", "due"),
    [
        (date(2024, 12, 15), date(2025, 1, 15)),  # over the year end
        (date(2024, 1, 31), date(2024, 2, 29)),  # a leap year's February
        (date(2025, 1, 31), date(2025, 2, 28)),  # and a common year's
        (date(2024, 3, 31), date(2024, 4, 30)),  # a 30-day month
        (date(2024, 2, 29), date(2024, 3, 29)),  # Good Friday: a calendar month, not working days
    ],
)
def test_later_core_groups_are_due_within_a_calendar_month_of_the_last(last_held_on, due):
    assert (
        rules.next_core_group_due_by(plan_start=date(2023, 11, 1), last_held_on=last_held_on) == due
    )


def test_a_longer_core_group_interval_setting_is_followed_to_the_month_end():
    assert rules.next_core_group_due_by(
        plan_start=date(2024, 10, 1), last_held_on=date(2024, 12, 31), interval_months=2
    ) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("last_visit_on", "due"),
    [
        (None, date(2025, 4, 25)),  # none yet: from the plan start, over Easter 2025
        (date(2025, 5, 1), date(2025, 5, 16)),  # over the May Day bank holiday (Mon 5 May)
        (date(2025, 5, 3), date(2025, 5, 19)),  # a Saturday visit: counted from the Monday on
        # Fri 19 December 2025: 22, 23, 24, 29, 30, 31 December, 2, 5, 6, 7 January.
        (date(2025, 12, 19), date(2026, 1, 7)),
    ],
)
def test_visits_are_due_every_ten_working_days(last_visit_on, due):
    assert rules.next_visit_due_by(plan_start=date(2025, 4, 9), last_visit_on=last_visit_on) == due


def test_the_visit_interval_is_a_setting():
    assert rules.next_visit_due_by(
        plan_start=date(2025, 4, 9), last_visit_on=date(2025, 5, 1), working_days=5
    ) == date(2025, 5, 9)


def test_a_core_group_or_visit_on_its_due_date_resets_the_clock_from_that_date():
    """'Within' is inclusive: held on the due date, the next is a month from then."""
    first = rules.first_core_group_due_by(plan_start=date(2024, 6, 3))
    assert rules.next_core_group_due_by(plan_start=date(2024, 6, 3), last_held_on=first) == date(
        2024, 7, 17
    )


def test_contact_dates_read_the_timescale_settings():
    dates = rules.contact_dates(
        plan_start=date(2024, 3, 21),
        last_core_group_on=None,
        last_visit_on=None,
        timescales=DEFAULTS,
    )
    assert dates == rules.ContactDates(
        first_core_group_due_by=date(2024, 4, 8),
        next_core_group_due_by=date(2024, 4, 8),
        next_visit_due_by=date(2024, 4, 8),
    )
    stricter = {
        "FIRST_CORE_GROUP_WORKING_DAYS": 5,
        "CORE_GROUP_INTERVAL_MONTHS": 1,
        "CP_VISIT_WORKING_DAYS": 5,
    }
    dates = rules.contact_dates(
        plan_start=date(2024, 3, 21),
        last_core_group_on=date(2024, 1, 31),
        last_visit_on=date(2024, 3, 28),
        timescales=stricter,
    )
    # Five working days from Thu 21 March 2024: 22, 25, 26, 27, 28 March.
    assert dates.first_core_group_due_by == date(2024, 3, 28)
    assert dates.next_core_group_due_by == date(2024, 2, 29)
    # From Thu 28 March: Good Friday and Easter Monday skipped: 2, 3, 4, 5, 8 April.
    assert dates.next_visit_due_by == date(2024, 4, 8)
