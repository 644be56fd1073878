"""The dates a booking stores: pure rules, no database (style.md rule 1)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conferences import rules
from iro_service.dates import subtract_working_days

LONDON = ZoneInfo("Europe/London")
DEFAULTS = {
    "FIRST_REVIEW_MONTHS": 3,
    "LATER_REVIEW_MONTHS": 6,
    "PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS": 20,
    "REPORT_SHARED_HOURS_INITIAL": 24,
    "REPORT_SHARED_HOURS_REVIEW": 48,
    "REVIEW_INVITATION_WEEKS": 4,
    "REVIEW_REPORT_REQUEST_WEEKS": 6,
    "REPORT_CHASE_WORKING_DAYS": 5,
    "MEETING_LENGTH_MINUTES": 120,
    "DECISION_SHEET_WORKING_DAYS": 1,
    "MINUTES_WORKING_DAYS": 15,
}


@pytest.mark.parametrize(
    ("start", "reviews", "expected"),
    [
        (dt.date(2023, 11, 30), [], dt.date(2024, 2, 29)),  # leap year month end
        (dt.date(2022, 11, 30), [], dt.date(2023, 2, 28)),
        (dt.date(2024, 1, 10), [dt.date(2024, 4, 10)], dt.date(2024, 10, 10)),
        (dt.date(2024, 2, 29), [dt.date(2024, 8, 31)], dt.date(2025, 2, 28)),
        # a review on the day the plan started is the initial conference, not a review
        (dt.date(2024, 1, 10), [dt.date(2024, 1, 10)], dt.date(2024, 4, 10)),
    ],
)
def test_next_review_is_three_months_then_six(start, reviews, expected):
    assert (
        rules.next_review_due_by(plan_start=start, reviews_held=reviews, timescales=DEFAULTS)
        == expected
    )


def test_a_stricter_local_target_moves_later_reviews():
    strict = {**DEFAULTS, "LATER_REVIEW_MONTHS": 5}
    due = rules.next_review_due_by(
        plan_start=dt.date(2024, 1, 10), reviews_held=[dt.date(2024, 4, 10)], timescales=strict
    )
    assert due == dt.date(2024, 9, 10)


def test_pre_birth_plan_review_within_twenty_working_days_of_the_birth_if_sooner():
    # plan 1 March 2024, born 4 March: 20 working days after is 3 April (Good Friday 29 March, Easter Monday 1 April)
    due = rules.next_review_due_by(
        plan_start=dt.date(2024, 3, 1),
        reviews_held=[],
        timescales=DEFAULTS,
        born_on=dt.date(2024, 3, 4),
    )
    assert due == dt.date(2024, 4, 3)


def test_initial_target_skips_weekends_and_bank_holidays():
    # Discussion Thursday 19 December 2024: 25, 26 Dec and 1 Jan are bank holidays.
    assert rules.initial_conference_due_by(strategy_discussion_on=dt.date(2024, 12, 19)) == dt.date(
        2025, 1, 14
    )


def test_strategy_discussion_for_target_inverts_the_target_rule():
    target = rules.initial_conference_due_by(strategy_discussion_on=dt.date(2024, 12, 19))
    assert rules.strategy_discussion_for_target(
        target=target, started_on=dt.date(2025, 1, 2), working_days=15
    ) == dt.date(2024, 12, 19)


def test_review_booking_dates_invite_four_weeks_and_ask_for_reports_six_weeks_before():
    starts = dt.datetime(2027, 3, 17, 10, 0, tzinfo=LONDON)
    dates = rules.booking_dates(
        starts_at=starts,
        held_on=starts.date(),
        booked_on=dt.date(2027, 1, 4),
        is_review=True,
        timescales=DEFAULTS,
    )
    assert dates.invitations_due_by == dt.date(2027, 2, 17)
    assert dates.reports_requested_by == dt.date(2027, 2, 3)
    assert dates.reports_due_by == subtract_working_days(dt.date(2027, 3, 17), 5)
    assert dates.report_share_due_by == starts - dt.timedelta(hours=48)
    assert dates.ends_at == starts + dt.timedelta(hours=2)


def test_initial_booking_invites_and_asks_at_once_and_shares_a_day_before():
    starts = dt.datetime(2027, 3, 17, 10, 0, tzinfo=LONDON)
    dates = rules.booking_dates(
        starts_at=starts,
        held_on=starts.date(),
        booked_on=dt.date(2027, 3, 8),
        is_review=False,
        timescales=DEFAULTS,
    )
    assert dates.invitations_due_by == dt.date(2027, 3, 8)
    assert dates.reports_requested_by == dt.date(2027, 3, 8)
    assert dates.report_share_due_by == starts - dt.timedelta(hours=24)


def test_a_late_booked_review_is_invited_on_the_day_it_is_booked():
    starts = dt.datetime(2027, 3, 17, 10, 0, tzinfo=LONDON)
    dates = rules.booking_dates(
        starts_at=starts,
        held_on=starts.date(),
        booked_on=dt.date(2027, 3, 1),
        is_review=True,
        timescales=DEFAULTS,
    )
    assert dates.invitations_due_by == dt.date(2027, 3, 1)


def test_booking_warnings_name_bank_holidays_and_too_little_time_to_share():
    christmas = dt.datetime(2026, 12, 25, 10, 0, tzinfo=LONDON)
    warnings = rules.booking_warnings(
        held_on=christmas.date(),
        now=christmas - dt.timedelta(hours=30),
        report_share_due=christmas - dt.timedelta(hours=48),
    )
    assert warnings[0].startswith("Friday 25 December 2026 is not a working day")
    assert "too little time to share" in warnings[1]
    assert (
        rules.booking_warnings(
            held_on=dt.date(2026, 12, 23),
            now=christmas - dt.timedelta(days=10),
            report_share_due=christmas - dt.timedelta(days=4),
        )
        == []
    )
