"""Adding and changing a child through the pages: clear messages, nothing half-saved."""

import pytest
from django.urls import reverse

from children.forms import ChildForm, ChildSearchForm
from children.models import Child, Household
from people.models import Role
from people.templatetags.govuk import is_optional
from plans.forms import PlanCategoryForm, PlanEndForm

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
    response = clients[Role.AUDITOR].get(reverse("children:history", args=[world.child.pk]))
    changes = [change for entry in response.context["entries"] for change in entry.changes]
    assert ("First name", "Robin", "Robyn") in changes
    assert "First name: Robin" in response.text and "changed to</span> Robyn" in response.text
    assert world.users[Role.IRO].display_name in response.text


def test_search_by_date_of_birth_and_by_id(clients, world):
    client = clients[Role.IRO]
    dob = world.child.date_of_birth
    response = client.post(
        reverse("children:search"),
        {"born_on_day": dob.day, "born_on_month": dob.month, "born_on_year": dob.year},
        follow=True,
    )
    assert "Robin Ashdown" in response.text
    response = client.post(
        reverse("children:search"), {"q": world.child.local_id.lower()}, follow=True
    )
    assert "Robin Ashdown" in response.text and "Sky Ashdown" not in response.text


def test_empty_search_asks_for_something_to_search(clients):
    response = clients[Role.IRO].post(reverse("children:search"), {"q": ""})
    assert "Enter a name, child ID or date of birth" in response.text


def _without(data: dict, name: str) -> dict:
    """The form data with one field left blank (a date's three boxes too)."""
    return {
        key: value for key, value in data.items() if key != name and not key.startswith(f"{name}_")
    }


def _form_cases(world):
    return [
        (ChildForm, _form(world), {"households": Household.objects.all()}),
        (
            ChildSearchForm,
            {"q": "Ashdown", "born_on_day": "1", "born_on_month": "6", "born_on_year": "2015"},
            {},
        ),
        (
            PlanCategoryForm,
            {
                "changed_on_day": "3",
                "changed_on_month": "5",
                "changed_on_year": "2026",
                "to_category": "EMO",
            },
            {},
        ),
        (
            PlanEndForm,
            {
                "end_date_day": "3",
                "end_date_month": "5",
                "end_date_year": "2026",
                "reason": "moved_away",
            },
            {},
        ),
    ]


def test_a_field_labelled_optional_can_be_left_blank_and_no_other_can(world):
    """ "(optional)" on a label is a promise: leave that field blank and the form still goes
    through. A field not so marked is needed, alone or as one of a group."""
    for form_class, data, kwargs in _form_cases(world):
        assert form_class(data, **kwargs).is_valid(), form_class
        form = form_class(data, **kwargs)
        group = getattr(form, "conditionally_required", ())
        for name in form.fields:
            blank = _without(data, name)
            if is_optional(form[name]):
                assert form_class(blank, **kwargs).is_valid(), (form_class, name)
            elif name in group:
                for other in group:
                    blank = _without(blank, other)
                assert not form_class(blank, **kwargs).is_valid(), (form_class, name)
            else:
                assert not form_class(blank, **kwargs).is_valid(), (form_class, name)


def test_child_form_says_a_date_of_birth_or_an_expected_date_is_needed(clients, world):
    page = clients[Role.IRO].get(reverse("children:create")).text
    assert "Date of birth (optional)" not in page
    assert "Expected date of birth (optional)" not in page
    assert "Leave this blank for an unborn child, and enter the expected date of birth" in page
    assert "Needed if there is no date of birth." in page
    for optional in ("UPN (optional)", "NHS number (optional)", "Household (optional)"):
        assert optional in page, optional
    for required in ("Child ID", "First name", "Last name", "District", "Gender"):
        assert f"{required} (optional)" not in page, required
    # and the error, on the page, says the same rule
    response = clients[Role.IRO].post(
        reverse("children:create"),
        _without(_without(_form(world), "date_of_birth"), "expected_date_of_birth"),
    )
    assert ChildForm.BORN_OR_EXPECTED in response.text


def test_search_form_does_not_call_either_box_optional(clients):
    page = clients[Role.IRO].get(reverse("children:search")).text
    assert "(optional)" not in page
    assert "Enter a name or child ID, a date of birth, or both." in page


@pytest.mark.parametrize(
    ("form_class", "message"),
    [
        (PlanCategoryForm, "Enter the date of the change"),
        (PlanEndForm, "Enter the date the plan ended"),
    ],
)
def test_plan_forms_ask_for_a_missing_date_in_plain_words(form_class, message):
    form = form_class({})
    assert not form.is_valid()
    date_field = next(name for name in form.fields if "date" in name or name == "changed_on")
    assert form.errors[date_field] == [message]
    assert not any(is_optional(form[name]) for name in form.fields if name != "is_pre_birth")
