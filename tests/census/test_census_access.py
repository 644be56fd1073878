"""Each role against the census and Annex A pages, including those who must be refused
(style.md rule 6), and what bad input says."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from people.models import Role

from .cases import case

READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
CENSUS = {Role.SENIOR_IRO, Role.DIRECTORATE_MANAGER}
ANNEX_A = {Role.SENIOR_IRO, Role.DIRECTORATE_MANAGER, Role.DISTRICT_MANAGER}
ANNEX_QUERY = {
    "annex_list": "7",
    "on_day": "31",
    "on_month": "3",
    "on_year": "2024",
    "file_format": "csv",
}


@pytest.fixture
def plans(world):
    for kid in (world.child, world.south_child):
        case(kid, discussed=dt.date(2024, 1, 8), conference_on=dt.date(2024, 1, 26))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2024, 6, 3, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.django_db
def test_the_pages_need_sign_in():
    for name in ("census:index", "census:cin_census", "census:annex_a"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_who_may_download_what(clients, plans, role):
    client = clients[role]
    page = client.get(reverse("census:index"))
    assert page.status_code == (200 if role in ANNEX_A else 403)
    if role in ANNEX_A:
        assert ("Download the census XML" in page.text) == (role in CENSUS)

    census = client.get(reverse("census:cin_census"), {"year": "2024"})
    assert census.status_code == (200 if role in CENSUS else 403)
    if role in CENSUS:
        assert census["Content-Type"] == "application/xml"
        assert 'filename="cin-census-2024.xml"' in census["Content-Disposition"]
        assert b"<LAchildID>" in b"".join(census.streaming_content)

    annex = client.get(reverse("census:annex_a"), ANNEX_QUERY)
    assert annex.status_code == (200 if role in ANNEX_A else 403)


@pytest.mark.django_db
def test_a_district_manager_lists_only_their_own_district(clients, world, plans):
    manager = clients[Role.DISTRICT_MANAGER]  # Northbridge
    response = manager.get(reverse("census:annex_a"), ANNEX_QUERY)
    text = b"".join(response.streaming_content).decode()
    assert world.child.local_id in text and world.south_child.local_id not in text
    assert "annex-a-list-7-2024-03-31-north.csv" in response["Content-Disposition"]
    # Another district is not found, as if it did not exist; so is a made-up one.
    for district in (world.south.pk, 999999):
        refused = manager.get(reverse("census:annex_a"), {**ANNEX_QUERY, "district": district})
        assert refused.status_code == 404
    own = manager.get(reverse("census:annex_a"), {**ANNEX_QUERY, "district": world.north.pk})
    assert own.status_code == 200


@pytest.mark.django_db
def test_the_whole_authority_or_one_district_for_the_senior_iro(clients, world, plans):
    senior = clients[Role.SENIOR_IRO]
    everyone = b"".join(senior.get(reverse("census:annex_a"), ANNEX_QUERY).streaming_content)
    assert world.child.local_id.encode() in everyone
    assert world.south_child.local_id.encode() in everyone
    south = senior.get(reverse("census:annex_a"), {**ANNEX_QUERY, "district": world.south.pk})
    text = b"".join(south.streaming_content)
    assert world.south_child.local_id.encode() in text and world.child.local_id.encode() not in text


@pytest.mark.django_db
def test_excel_download(clients, plans):
    response = clients[Role.DIRECTORATE_MANAGER].get(
        reverse("census:annex_a"), {**ANNEX_QUERY, "annex_list": "5", "file_format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "20x4"}, "Enter the census year as 4 numbers, like 2024"),
        ({"year": ""}, "Enter the census year, like 2024"),
        ({"year": "2026"}, "The census year must be 2025 or earlier"),
    ],
)
def test_a_bad_census_year_is_explained(clients, query, message):
    response = clients[Role.SENIOR_IRO].get(reverse("census:cin_census"), query)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert f'<a href="#id_year">{message}</a>' in response.text
    assert response.text.count(message) == 2  # in the summary and by the field


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on_month": "13"}, "Date of the list must be a real date"),
        ({"on_day": ""}, "Date of the list must include a day"),
        ({"on_year": "2025"}, "Date of the list must be today or in the past"),
        ({"annex_list": "6"}, "Select a valid choice"),
        ({"file_format": ""}, "Select CSV or Excel"),
        ({"district": "999999"}, "Select a district from the list"),
    ],
)
def test_bad_list_choices_are_explained(clients, change, message):
    response = clients[Role.SENIOR_IRO].get(reverse("census:annex_a"), {**ANNEX_QUERY, **change})
    assert response.status_code == 400
    assert "There is a problem" in response.text and message in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_the_navigation_offers_the_page_to_those_who_may_use_it(clients, role):
    text = clients[role].get(reverse("children:search")).text
    nav = text[text.index('id="navigation"') : text.index("</nav>")]
    assert ("Census and Annex A" in nav) == (role in ANNEX_A)
