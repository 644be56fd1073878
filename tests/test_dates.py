"""The shared helpers every door uses (iro_service.dates, iro_service.records): ages, reporting
years, working days, and saving a record with its history."""

from datetime import date

import pytest

from iro_service.dates import (
    add_working_days,
    age_on,
    reporting_year_of,
    subtract_working_days,
    working_day_on_or_after,
    working_day_on_or_before,
)
from iro_service.records import save_with_history

from .factories import ChildFactory, UserFactory


def test_age_on_counts_whole_years_and_none_before_birth():
    assert age_on(date(2010, 6, 15), date(2020, 6, 14)) == 9
    assert age_on(date(2010, 6, 15), date(2020, 6, 15)) == 10
    assert age_on(date(2012, 2, 29), date(2013, 2, 28)) == 0  # a leap day birthday
    assert age_on(date(2012, 2, 29), date(2013, 3, 1)) == 1
    assert age_on(date(2020, 1, 2), date(2020, 1, 1)) is None  # not yet born
    assert age_on(None, date(2020, 1, 1)) is None


def test_the_reporting_year_is_named_by_the_31_march_it_ends_on():
    assert reporting_year_of(date(2011, 4, 1)) == 2012
    assert reporting_year_of(date(2012, 3, 31)) == 2012
    assert reporting_year_of(date(2012, 4, 1)) == 2013


def test_working_days_skip_weekends_and_bank_holidays_both_ways():
    christmas_eve = date(2024, 12, 24)  # a Tuesday; 25 and 26 December are bank holidays
    assert add_working_days(christmas_eve, 1) == date(2024, 12, 27)
    assert subtract_working_days(date(2024, 12, 27), 1) == christmas_eve
    assert working_day_on_or_after(date(2024, 12, 25)) == date(2024, 12, 27)
    assert working_day_on_or_before(date(2024, 12, 26)) == christmas_eve
    with pytest.raises(ValueError, match="negative"):
        add_working_days(christmas_eve, -1)


@pytest.mark.django_db
def test_save_with_history_names_who_and_why_and_saves_only_the_fields_given():
    child, user = ChildFactory(first_name="Robin", last_name="Ashdown"), UserFactory()
    child.first_name, child.last_name = "Robyn", "Not saved"

    save_with_history(child, by=user, reason="Name corrected", update_fields=["first_name"])

    child.refresh_from_db()
    assert (child.first_name, child.last_name) == ("Robyn", "Ashdown")
    latest = child.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (user, "Name corrected")
    save_with_history(child, by=user, reason="")  # no reason: not the last save's again
    assert child.history.latest().history_change_reason is None
