"""Adding and changing a child through the pages: clear messages, nothing half-saved."""

import pytest
from django.urls import reverse

from children.models import Child
from people.models import Role

pytestmark = pytest.mark.django_db


def _form(world, **overrides):
    data = {
        "local_id": "C900001",
        "first_name": "Morgan",
        "last_name": "Fairhill",
        "date_of_birth_day": "14",
        "date_of_birth_month": "2",
        "date_of_birth_year": "2016",
        "gender": "2",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],
        "upn": "",
        "nhs_number": "",
        "district": str(world.north.pk),
        "household": str(world.child.household.pk),
    }
    data.update(overrides)
    return data


def test_adding_a_child_keeps_who_added_them(clients, world):
    response = clients[Role.BUSINESS_SUPPORT].post(
        reverse("children:create"), _form(world, upn="b801 2000 05001", nhs_number="943 476 5919")
    )
    child = Child.objects.get(local_id="C900001")
    assert response.status_code == 302 and response.url == reverse(
        "children:detail", args=[child.pk]
    )
    assert child.upn == "B801200005001" and child.nhs_number == "9434765919"
    record = child.history.get()
    assert record.history_user == world.users[Role.BUSINESS_SUPPORT]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"upn": "A801200005001"}, "upn", "UPN check letter does not match"),
        ({"nhs_number": "9434765918"}, "nhs_number", "NHS number check digit does not match"),
        ({"local_id": ""}, "local_id", "Enter the child ID"),
        (
            {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
            "date_of_birth",
            "Enter a date of birth, or an expected date of birth",
        ),
        ({"date_of_birth_day": "31"}, "date_of_birth", "Date of birth must be a real date"),
        ({"date_of_birth_month": ""}, "date_of_birth", "must include a month"),
        ({"disabilities": ["NONE", "HEAR"]}, "disabilities", "either no disability"),
        ({"district": str(0)}, "district", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    clients, world, overrides, field, message
):
    response = clients[Role.IRO].post(reverse("children:create"), _form(world, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.text
    assert not Child.objects.filter(first_name="Morgan").exists()


def test_duplicate_child_id_is_refused(clients, world):
    response = clients[Role.IRO].post(
        reverse("children:create"), _form(world, local_id=world.child.local_id)
    )
    assert "A child with this child ID already exists" in response.text
    assert Child.objects.filter(local_id=world.child.local_id).count() == 1


def test_household_in_another_district_is_refused(clients, world):
    response = clients[Role.IRO].post(
        reverse("children:create"), _form(world, district=str(world.south.pk))
    )
    assert "The household is in another district" in response.text
    assert not Child.objects.filter(first_name="Morgan").exists()


def test_unborn_child_needs_only_an_expected_date(clients, world):
    response = clients[Role.IRO].post(
        reverse("children:create"),
        _form(
            world,
            date_of_birth_day="",
            date_of_birth_month="",
            date_of_birth_year="",
            expected_date_of_birth_day="1",
            expected_date_of_birth_month="9",
            expected_date_of_birth_year="2026",
        ),
    )
    assert response.status_code == 302
    child = Child.objects.get(local_id="C900001")
    assert child.is_unborn


def test_changing_a_child_shows_in_the_history(clients, world):
    editor = clients[Role.IRO]
    data = _form(world, local_id=world.child.local_id, first_name="Robyn", last_name="Ashdown")
    response = editor.post(reverse("children:edit", args=[world.child.pk]), data)
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.first_name == "Robyn"
    page = clients[Role.AUDITOR].get(reverse("children:history", args=[world.child.pk])).text
    assert "First name: Robin → Robyn" in page
    assert world.users[Role.IRO].display_name in page


def test_search_by_date_of_birth_and_by_id(clients, world):
    client = clients[Role.IRO]
    dob = world.child.date_of_birth
    response = client.get(
        reverse("children:search"),
        {"born_on_day": dob.day, "born_on_month": dob.month, "born_on_year": dob.year},
    )
    assert "Robin Ashdown" in response.text
    response = client.get(reverse("children:search"), {"q": world.child.local_id.lower()})
    assert "Robin Ashdown" in response.text and "Sky Ashdown" not in response.text


def test_empty_search_asks_for_something_to_search(clients):
    response = clients[Role.IRO].get(reverse("children:search"), {"q": ""})
    assert "Enter a name, child ID or date of birth" in response.text
