"""`manage.py compute_indicators`: JSON with every required key; bad input refused clearly."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ..factories import PlanFactory

pytestmark = pytest.mark.django_db

REQUIRED = [
    "ni64",
    "ni65",
    "ni67",
    "plans_started",
    "plans_ended",
    "plans_open_at_end",
    "plans_ending_by_duration",
    "initial_conference_timeliness",
]


def _run(*args) -> dict:
    out = StringIO()
    call_command("compute_indicators", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_has_every_required_key_in_the_required_shape(world):
    PlanFactory(
        child=world.child,
        start_date=dt.date(2009, 1, 5),
        end_date=dt.date(2011, 6, 1),
        end_reason="other",
    )
    PlanFactory(child=world.south_child, start_date=dt.date(2011, 8, 1), initial_category="EMO")
    data = _run("--year", "2012")
    for key in REQUIRED:
        assert key in data, key
    assert data["ni64"]["numerator"] == 1 and data["ni64"]["denominator"] == 1
    assert data["plans_started"] == 1 and data["plans_ended"] == 1
    assert data["plans_open_at_end"] == {
        "total": 1,
        "by_category": {"NEG": 0, "PHY": 0, "EMO": 1, "SAB": 0, "MUL": 0},
    }
    assert set(data["plans_ending_by_duration"]) == set("ABCDEF")
    assert data["plans_ending_by_duration"]["E"] == 1
    assert {"numerator", "denominator"} <= set(data["initial_conference_timeliness"])


def test_district_option_limits_the_figures(world):
    PlanFactory(child=world.south_child, start_date=dt.date(2011, 8, 1))
    assert _run("--year", "2012", "--district", "northbridge")["plans_started"] == 0
    assert _run("--year", "2012", "--district", "Southmoor")["plans_started"] == 1


def test_date_range(world):
    PlanFactory(child=world.child, start_date=dt.date(2011, 8, 1))
    data = _run("--from", "2011-08-01", "--to", "2011-08-31")
    assert data["period"] == {"start": "2011-08-01", "end": "2011-08-31"}
    assert data["plans_started"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2012", "--district", "Atlantis"], "No district called 'Atlantis'"),
        (["--from", "2012-13-01", "--to", "2012-12-31"], "is not a date"),
        (["--from", "2012-03-01", "--to", "2012-01-01"], "cannot end before it starts"),
        (["--from", "2012-03-01"], "--from needs --to"),
        (["--year", "12"], "between 1990 and 2100"),
    ],
)
def test_bad_input_gets_a_clear_message(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_indicators", *args, "--json", stdout=StringIO())
