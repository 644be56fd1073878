"""QA themes count the children who took part in the year's quality-assured conferences and
were 11 or older on the day of the conference (quality-assurance.md; §7.2), counted in the
database from each place, its child and its conference."""

import datetime as dt

import pytest

from conferences.models import ConferenceChild
from reporting.metrics import Period, quality

from ..factories import LONDON, ChildFactory, ConferenceChildFactory, ConferenceFactory
from ..quality.test_quarterly_report import QAFormFactory

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)
HELD = dt.datetime(2024, 6, 10, 10, tzinfo=LONDON)
TOOK_PART = ConferenceChild.Participation.ATTENDED


def _place(conference, born: dt.date, participation: str) -> None:
    child = ChildFactory(household=conference.household, date_of_birth=born)
    ConferenceChildFactory(conference=conference, child=child, participation=participation)


def test_children_who_took_part_and_were_eleven_on_the_day_are_counted():
    conference = ConferenceFactory(scheduled_for=HELD)
    QAFormFactory(conference=conference, completed_at=HELD + dt.timedelta(days=2))
    _place(conference, dt.date(2013, 6, 10), TOOK_PART)  # 11 on the day: counted
    _place(conference, dt.date(2013, 6, 11), ConferenceChild.Participation.PICTURE)  # 10
    _place(conference, dt.date(2010, 1, 1), ConferenceChild.Participation.NONE)
    _place(conference, dt.date(2010, 1, 1), "")  # not recorded
    # Took part, aged 12, but the form was completed in the year before.
    earlier = ConferenceFactory(scheduled_for=HELD - dt.timedelta(days=90))
    QAFormFactory(conference=earlier, completed_at=HELD - dt.timedelta(days=80))
    _place(earlier, dt.date(2012, 1, 1), TOOK_PART)
    # Took part, aged 12, at a conference without a QA form.
    _place(ConferenceFactory(scheduled_for=HELD), dt.date(2012, 1, 1), TOOK_PART)

    assert quality.qa_themes(period=YEAR)["children_over_ten_participated"] == 1
