"""Formula injection (issue 12): a child ID or a name typed as a spreadsheet formula arrives as
text in every download: Annex A as CSV and as Excel, the dashboard's tables and the monthly
lists (iro_service/spreadsheets.py, the one writer)."""

import csv
import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from iro_service import spreadsheets
from people.models import Role

from ..census.cases import case
from ..factories import LONDON, IROProfileFactory, PlanFactory

PAYLOAD = '=HYPERLINK("//x.y")'
ANNEX_QUERY = {"annex_list": "7", "on_day": "31", "on_month": "3", "on_year": "2024"}


def csv_rows(response) -> list[list[str]]:
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    "text", [PAYLOAD, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "\uff1d1+1"]
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert spreadsheets.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Robin Ashdown", "C7", "-3", "-4.5%", "+44", "", "a=b"])
def test_other_text_and_plain_numbers_are_left_alone(text):
    assert spreadsheets.neutralise(text) == text


def test_numbers_and_dates_are_not_text():
    row = next(spreadsheets.csv_lines([[-5, 2.5, dt.date(2024, 3, 31), None, PAYLOAD]]))
    assert row == '-5,2.5,2024-03-31,,"\'=HYPERLINK(""//x.y"")"\r\n'


@pytest.fixture
def annex_world(world):
    world.child.local_id = PAYLOAD
    world.child.save()
    case(world.child, discussed=dt.date(2024, 1, 8), conference_on=dt.date(2024, 1, 26))
    with time_machine.travel(dt.datetime(2024, 6, 3, 12, tzinfo=dt.UTC), tick=False):
        yield world


@pytest.mark.django_db
def test_a_child_id_typed_as_a_formula_is_text_in_the_annex_a_csv(clients, annex_world):
    response = clients[Role.SENIOR_IRO].get(
        reverse("census:annex_a"), {**ANNEX_QUERY, "file_format": "csv"}
    )
    assert response.status_code == 200
    header, *rows = csv_rows(response)
    assert header[0] == "Child Unique ID"
    assert [row[0] for row in rows] == ["'" + PAYLOAD]


@pytest.mark.django_db
def test_a_child_id_typed_as_a_formula_is_a_text_cell_in_the_annex_a_workbook(clients, annex_world):
    response = clients[Role.SENIOR_IRO].get(
        reverse("census:annex_a"), {**ANNEX_QUERY, "file_format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["List 7"]
    cell = sheet.cell(row=2, column=1)
    assert cell.value == PAYLOAD  # exactly as typed, for Ofsted
    assert cell.data_type == "s"
    assert cell.quotePrefix  # stays text if someone edits the cell
    # Nowhere in the file is there a formula.
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    # Dates are still dates.
    assert sheet.cell(row=2, column=4).is_date


@pytest.mark.django_db
def test_a_child_id_typed_as_a_formula_is_text_in_the_monthly_lists(clients, world):
    world.child.local_id = PAYLOAD
    world.child.first_name = "@SUM(A1"
    world.child.save()
    PlanFactory(child=world.child, start_date=dt.date(2024, 11, 1))
    with time_machine.travel(dt.datetime(2026, 5, 10, 15, tzinfo=LONDON), tick=False):
        response = clients[Role.SENIOR_IRO].get(
            reverse("reporting:monthly_list_csv", args=["plans-over-12-months"]),
            {"on": "2026-04-30"},
        )
    assert response.status_code == 200
    header, row = csv_rows(response)
    assert header[:2] == ["Child", "Child ID"]
    assert row[0].startswith("'@SUM(A1")
    assert row[1] == "'" + PAYLOAD
    assert row[3] == "2024-11-01"  # a date, not text made safe


@pytest.mark.django_db
def test_a_name_typed_as_a_formula_is_text_in_a_dashboard_table(clients, world):
    iro = world.users[Role.IRO]
    iro.first_name, iro.last_name = "=1+2", "Chair"
    iro.save()
    IROProfileFactory(user=iro)  # in post: listed in the caseload table
    with time_machine.travel(dt.datetime(2026, 5, 10, 15, tzinfo=LONDON), tick=False):
        response = clients[Role.SENIOR_IRO].get(reverse("reporting:table_csv", args=["caseloads"]))
    assert response.status_code == 200
    labels = [row[0] for row in csv_rows(response)[1:]]
    assert labels, "the caseload table lists the IROs"
    assert all(not label.startswith(("=", "+", "-", "@")) for label in labels)
    assert any(label.startswith("'=1+2") for label in labels)
