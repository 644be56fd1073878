"""Fixtures of the annual report's tests: PDFs go to a temporary MEDIA_ROOT, the figures cache
starts empty, PDFs are made where their task is queued (not in a thread), and `year_records`
gives 2011/12 a few plans, conferences and a team."""

import datetime as dt

import pytest
from django.core.cache import cache

from conferences.models import Conference
from people.models import Role

from ..factories import (
    ConferenceChildFactory,
    ConferenceFactory,
    IROProfileFactory,
    PlanFactory,
    UserFactory,
)

YEAR = 2012


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Eager tasks make the PDF where they are queued, so a test sees it made when its commit
    # callbacks run; the background thread of `make run` is tested on its own (test_progress).
    settings.ANNUAL_REPORT_PDF_IN_THREAD = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year_records(world):
    """2011/12: plans open, started and ended, an initial and a review conference, and the
    team (the Senior IRO persona with a profile, and one IRO)."""
    senior = world.users[Role.SENIOR_IRO]
    IROProfileFactory(
        user=senior,
        is_senior=True,
        qualification_year=1983,
        began_as_iro_year=2011,
        began_as_senior_year=2011,
    )
    iro = UserFactory(username="iro_two", first_name="Avery", last_name="Holt", role=Role.IRO)
    IROProfileFactory(user=iro, qualification_year=1995, began_as_iro_year=2004)
    plans = [
        PlanFactory(
            child=world.child,
            start_date=dt.date(2009, 5, 4),
            end_date=dt.date(2011, 9, 1),
            end_reason="other",
        ),
        PlanFactory(child=world.sibling, start_date=dt.date(2011, 6, 13), initial_category="EMO"),
        PlanFactory(
            child=world.south_child, start_date=dt.date(2011, 10, 3), initial_category="PHY"
        ),
    ]
    initial = ConferenceFactory(
        household=world.sibling.household,
        kind=Conference.Kind.INITIAL,
        chair=iro,
        scheduled_for=dt.datetime(2011, 6, 13, 10, tzinfo=dt.UTC),
    )
    ConferenceChildFactory(conference=initial, child=world.sibling)
    review = ConferenceFactory(
        household=world.sibling.household,
        kind=Conference.Kind.REVIEW,
        chair=iro,
        scheduled_for=dt.datetime(2011, 9, 5, 10, tzinfo=dt.UTC),
    )
    ConferenceChildFactory(conference=review, child=world.sibling)
    return plans
