"""compute_all runs a fixed number of SQL queries, however many records there are (style.md
rule 3: measures aggregate in SQL, no Python loop over rows; the benchmark of `make bench`).

The synthetic authority of devdata/bench at two sizes gives the same, pinned count. The
count grows with the months of the period (monthly_stock asks per month end), never with the
records nor with the districts (district_breakdown groups by district).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import ConferenceChild
from devdata.bench.synthetic import PLANS_PER_YEAR, Spec, build
from people.models import District
from plans.models import ChildProtectionPlan
from reporting.metrics import Period, compute_all

# For a reporting year (twelve month ends). If a change to the
# measures changes these, check that the new count does not depend on the data, then update.
# Late reviews take 6: the stored late reviews, then their children, outcomes, conferences,
# first bookings and the districts, each by primary key (reviews.late_reviews).
# Plans open on dates take 2 however many dates (plans.plans_open_on_dates), and the period's
# stock is counted once (plans._stock): the twelve month ends, the period's start, its end
# and the rate per 10,000 read it.
# The QA themes' children over ten take 1 (quality._children_over_ten_participated).
AUTHORITY_QUERIES = 46  # the additive rates once, by district (metrics.ADDITIVE_RATES)
DISTRICT_QUERIES = 39
YEAR = 2025
YEARS = 4  # of history: enough for plans of every length, and a quick build


@pytest.mark.django_db
@pytest.mark.parametrize("scale", [0.01, 0.03])
def test_compute_all_query_count_does_not_grow_with_the_data(scale):
    build(Spec(year=YEAR, years=YEARS, scale=scale, seed=11))
    connection.check_constraints()  # the deferred foreign keys, before the test rolls back
    # The data does grow with the scale: years of plans, and each child's conferences.
    plans = ChildProtectionPlan.objects.count()
    assert 0.8 * PLANS_PER_YEAR * YEARS * scale < plans < 1.2 * PLANS_PER_YEAR * YEARS * scale
    assert ConferenceChild.objects.count() > 3 * plans
    period = Period.year(YEAR)

    with CaptureQueriesContext(connection) as authority:
        compute_all(period=period)
    with CaptureQueriesContext(connection) as district:
        compute_all(period=period, district=District.objects.order_by("name").first())

    # On PostgreSQL, three more: nested loops off before the measures, and back on after, and
    # whether other connections may share the steps (metrics/together.py; in a test's
    # transaction, which has written, they may not).
    setting = 3 if connection.vendor == "postgresql" else 0
    assert (len(authority), len(district)) == (
        AUTHORITY_QUERIES + setting,
        DISTRICT_QUERIES + setting,
    )


@pytest.mark.django_db
def test_synthetic_year_looks_like_lancashire_at_the_same_scale():
    """Scale 0.1 is Lancashire's size: the benchmark times realistic data, not noise."""
    build(Spec(year=YEAR, years=YEARS, scale=0.03, seed=5))
    result = compute_all(period=Period.year(YEAR))
    expected_started = PLANS_PER_YEAR * 0.03  # Lancashire's 720 a year, times 0.3
    assert 0.7 * expected_started < result["plans_started"] < 1.3 * expected_started
    assert 0.6 * expected_started < result["plans_open_at_end"]["total"] < 1.2 * expected_started
    assert result["ni64"]["percent"] < 15
    assert 5 < result["ni65"]["percent"] < 25
    assert result["ni67"]["percent"] > 80
    assert result["late_reviews"]
    assert result["conferences_held"]["initial"] and result["conferences_held"]["review"]
    assert result["qa_completion"]["numerator"] and result["feedback_returns"]["total"]
