"""`manage.py due_list`: what is due as at a date, after a census import, with due dates worked
out here by hand (month ends, leap days, bank holidays, a changed setting)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from census.importer import import_census

from ..census.builders import census, child, episode, plan, s47, write

pytestmark = pytest.mark.django_db

FILE = census(
    2024,
    # on a plan since 30 November 2023, no review yet: 3 months is 29 February 2024 (leap year)
    child(
        "LEAP",
        episode(
            "2023-11-01",
            s47("2023-11-01", target="2023-11-22", conference="2023-11-30"),
            plan("2023-11-30"),
        ),
    ),
    # reviewed 31 August 2023: six months on is 29 February 2024
    child(
        "MONTHEND",
        episode(
            "2023-01-03",
            s47("2023-01-03", target="2023-01-24", conference="2023-02-28"),
            plan("2023-02-28", reviews=("2023-05-25", "2023-08-31")),
        ),
    ),
    # ended before the date: not due
    child(
        "ENDED",
        episode(
            "2023-01-03",
            s47("2023-01-03", target="2023-01-24", conference="2023-01-20"),
            plan("2023-01-20", end="2024-01-15", reviews=("2023-04-20",)),
        ),
    ),
    # enquiry from 18 March 2024 awaiting its conference: the census target (Easter 2024 is
    # 29 March to 1 April) is 10 April
    child("AWAIT", episode("2024-03-18", s47("2024-03-18", target="2024-04-10"))),
    # no conference needed: not awaiting
    child(
        "NOTREQ", episode("2024-02-01", s47("2024-02-01", target="2024-02-21", not_required=True))
    ),
)


def due(*args) -> dict:
    out = StringIO()
    call_command("due_list", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_due_list_after_a_census_import(tmp_path):
    import_census([write(tmp_path, "cin.xml", FILE)], district_name="Wyre")
    listed = due("--on", "2024-03-31")
    assert listed["reviews"] == [
        {"child": "LEAP", "due_by": "2024-02-29"},
        {"child": "MONTHEND", "due_by": "2024-02-29"},
    ]
    assert listed["initial_conferences"] == [{"child": "AWAIT", "target": "2024-04-10"}]
    assert due("--on", "2024-03-31", "--district", "wyre") == listed


def test_a_date_before_a_review_gives_the_review_due_then(tmp_path):
    import_census([write(tmp_path, "cin.xml", FILE)])
    listed = due("--on", "2023-07-01")
    # MONTHEND then had one review (25 May 2023): due 25 November; ENDED was open, reviewed
    # 20 April 2023: due 20 October. Neither LEAP nor AWAIT had begun.
    assert listed["reviews"] == [
        {"child": "ENDED", "due_by": "2023-10-20"},
        {"child": "MONTHEND", "due_by": "2023-11-25"},
    ]
    assert listed["initial_conferences"] == []


def test_a_stricter_local_target_moves_the_reviews(tmp_path, settings):
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, "LATER_REVIEW_MONTHS": 5}
    import_census([write(tmp_path, "cin.xml", FILE)])
    reviews = {row["child"]: row["due_by"] for row in due("--on", "2024-03-31")["reviews"]}
    assert reviews == {"LEAP": "2024-02-29", "MONTHEND": "2024-01-31"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "31/03/2024"], "is not a date: use YYYY-MM-DD"),
        (["--district", "Atlantis"], "No district called 'Atlantis'"),
    ],
)
def test_bad_input_gets_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("due_list", *args, "--json", stdout=StringIO())
