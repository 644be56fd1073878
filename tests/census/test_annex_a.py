"""Annex A lists 5 and 7: Ofsted's columns and value labels, the six months they cover, the
district a list is limited to, and the CSV and Excel files."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from census import annex_a
from conferences.models import Conference, S47Enquiry
from plans.models import ProtectionVisit

from ..factories import (
    ChildFactory,
    DistrictFactory,
    HouseholdFactory,
    LookedAfterEpisodeFactory,
)
from .cases import case, enquiry, held

D = dt.date
ON = D(2024, 3, 31)


COMMON = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unborn Child Expected Date of Birth",
    "Does the Child have a Disability",
)


def test_list_5_columns_follow_annex_a():
    assert annex_a.LIST_5_COLUMNS == (
        *COMMON,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        "Allocated Team",
        "Allocated Worker",
    )


def test_list_7_columns_follow_annex_a():
    assert annex_a.LIST_7_COLUMNS == (
        *COMMON,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        "Allocated Team",
        "Allocated Worker",
    )


def test_value_labels():
    assert annex_a.GENDER_LABELS == {
        "1": "a) Male",
        "2": "b) Female",
        "0": "c) Not stated/recorded",
        "9": "d) Neither",
    }
    labels = annex_a.ETHNICITY_LABELS
    assert (labels["WBRI"], labels["MWAS"], labels["NOBT"]) == ("a) WBRI", "h) MWAS", "t) NOBT")
    assert annex_a.CATEGORY_LABELS["NEG"] == "a) Neglect"


def _rows(rows, columns) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


@pytest.mark.django_db
def test_list_7_values_and_labels():
    district = DistrictFactory(name="Preston", code="preston")
    kid = ChildFactory(
        local_id="C7",
        gender="2",
        ethnicity="MWAS",
        date_of_birth=D(2016, 5, 10),
        disabilities=["AUT"],
        household=HouseholdFactory(district=district),
    )
    case(kid, discussed=D(2019, 1, 7), conference_on=D(2019, 1, 28), end=D(2019, 9, 2))
    plan = case(
        kid,
        discussed=D(2023, 5, 2),
        conference_on=D(2023, 5, 22),
        category="NEG",
        reviews=[D(2023, 8, 14), D(2024, 2, 12)],
        changes=[(D(2024, 2, 12), "EMO")],
    )
    ProtectionVisit.objects.create(plan=plan, visited_on=D(2024, 3, 18), child_seen=True)
    ProtectionVisit.objects.create(plan=plan, visited_on=D(2024, 3, 4), child_seen_alone=True)
    ProtectionVisit.objects.create(plan=plan, visited_on=D(2024, 4, 2), child_seen=True)

    LookedAfterEpisodeFactory(child=kid, started_on=D(2023, 12, 1), legal_status="L1")

    (row,) = _rows(annex_a.list_7_rows(on=ON), annex_a.LIST_7_COLUMNS)
    assert row == {
        "Child Unique ID": "C7",
        "Gender": "b) Female",
        "Ethnicity": "h) MWAS",
        "Date of Birth": D(2016, 5, 10),
        "Age of Child (Years)": 7,
        "Unborn Child Expected Date of Birth": None,
        "Does the Child have a Disability": "a) Yes",
        "Child Protection Plan Start Date": D(2023, 5, 22),
        "Initial Category of Abuse": "a) Neglect",
        "Latest Category of Abuse": "d) Emotional abuse",
        "Date of the Last Statutory Visit": D(2024, 3, 18),  # the April one is after the date
        "Was the Child Seen Alone?": "b) No",
        "Date of latest review conference": D(2024, 2, 12),
        "Child Protection Plan End Date": None,
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)": "Y",
        "Number of Previous Child Protection Plans": 1,
        "Allocated Team": "Preston",
        "Allocated Worker": "",
    }


@pytest.mark.django_db
def test_list_7_covers_plans_open_in_the_six_months_to_the_date():
    for local_id, end in (("OPEN", None), ("ENDED", D(2023, 11, 1)), ("OLD", D(2023, 9, 29))):
        kid = ChildFactory(local_id=local_id)
        case(kid, discussed=D(2023, 1, 9), conference_on=D(2023, 1, 30), end=end)
    rows = _rows(annex_a.list_7_rows(on=ON), annex_a.LIST_7_COLUMNS)
    assert [(r["Child Unique ID"], r["Child Protection Plan End Date"]) for r in rows] == [
        ("ENDED", D(2023, 11, 1)),
        ("OPEN", None),
    ]


@pytest.mark.django_db
def test_list_5_values_and_labels():
    unborn = ChildFactory(local_id="A", date_of_birth=None, expected_date_of_birth=D(2024, 5, 1))
    case(unborn, discussed=D(2024, 1, 8), conference_on=D(2024, 1, 26))
    again = ChildFactory(local_id="B", disabilities=["NONE"])
    enquiry(again, D(2023, 5, 2), outcome=S47Enquiry.Outcome.NO_HARM)  # in the year before
    conference = held(again, Conference.Kind.INITIAL, D(2024, 2, 29), outcome="no_plan")
    enquiry(again, D(2024, 2, 1), outcome=S47Enquiry.Outcome.CONFERENCE, conference=conference)
    enquiry(ChildFactory(local_id="C"), D(2024, 3, 4), outcome=S47Enquiry.Outcome.NO_HARM)
    enquiry(ChildFactory(local_id="D"), D(2024, 3, 25))
    enquiry(ChildFactory(local_id="OLD"), D(2023, 9, 30))
    lone = ChildFactory(local_id="E")
    held(lone, Conference.Kind.INITIAL, D(2024, 3, 11), outcome="plan_started", category="NEG")
    rows = _rows(annex_a.list_5_rows(on=ON), annex_a.LIST_5_COLUMNS)
    assert [r["Child Unique ID"] for r in rows] == ["A", "B", "C", "D", "E"]
    by_id = {r["Child Unique ID"]: r for r in rows}
    unnecessary = "Was an Initial Child Protection Conference deemed unnecessary?"
    on = "Date of Initial Child Protection Conference"
    result = "Did the Initial Child Protection Conference Result in a Child Protection Plan"
    enquiries, icpcs = (
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
    )
    a, b, c, d, e = (by_id[i] for i in "ABCDE")
    assert (a["Unborn Child Expected Date of Birth"], a["Date of Birth"]) == (D(2024, 5, 1), None)
    assert (
        a["Age of Child (Years)"] is None
        and a["Does the Child have a Disability"] == "c) Not recorded"
    )
    assert (a[unnecessary], a[on], a[result]) == ("b) No", D(2024, 1, 26), "a) Yes")
    assert a["Strategy discussion initiating Section 47 Enquiry Start Date"] == D(2024, 1, 8)
    assert (b[unnecessary], b[on], b[result]) == ("b) No", D(2024, 2, 29), "b) No")
    assert (b[enquiries], b[icpcs], b["Does the Child have a Disability"]) == (1, 0, "b) No")
    assert (c[unnecessary], c[on], c[result]) == ("a) Yes", None, "")
    assert (d[unnecessary], d[on], d[result]) == ("", None, "")
    assert (
        e[on],
        e[result],
        e["Strategy discussion initiating Section 47 Enquiry Start Date"],
    ) == (
        D(2024, 3, 11),
        "a) Yes",
        None,
    )


@pytest.mark.django_db
def test_a_district_list_holds_only_that_districts_children():
    north, south = DistrictFactory(name="North", code="n"), DistrictFactory(name="South", code="s")
    for local_id, district in (("N1", north), ("S1", south)):
        kid = ChildFactory(local_id=local_id, household=HouseholdFactory(district=district))
        case(kid, discussed=D(2024, 1, 8), conference_on=D(2024, 1, 26))
    for rows in (
        annex_a.list_5_rows(on=ON, district=north),
        annex_a.list_7_rows(on=ON, district=north),
    ):
        assert [row[0] for row in rows] == ["N1"]


@pytest.mark.django_db
def test_csv_and_excel_files():
    kid = ChildFactory(local_id="C7", date_of_birth=D(2016, 5, 10))
    case(kid, discussed=D(2024, 1, 8), conference_on=D(2024, 1, 26))
    rows = list(annex_a.list_7_rows(on=ON))

    text = "".join(annex_a.csv_lines(annex_a.LIST_7_COLUMNS, rows))
    header, line = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == annex_a.LIST_7_COLUMNS
    assert line[:4] == ["C7", "c) Not stated/recorded", "t) NOBT", "10/05/2016"]
    assert line[7] == "26/01/2024" and line[13] == ""

    book = load_workbook(
        io.BytesIO(annex_a.xlsx_bytes(annex_a.LIST_7_TITLE, annex_a.LIST_7_COLUMNS, rows))
    )
    sheet = book["List 7"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == annex_a.LIST_7_COLUMNS
    assert values[1][0] == "C7" and values[1][3].date() == D(2016, 5, 10)
    assert sheet.cell(row=2, column=4).number_format == "DD/MM/YYYY"
