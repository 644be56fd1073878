"""Odd input refused (issue 12): dates of birth that cannot be true, hidden text-direction
characters in names, and a census file with a DOCTYPE. Each through the pages, the API and
the import command where the input can come in that way, with a clear message and nothing
saved."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import CharField
from django.urls import reverse
from rest_framework import serializers

from census.importer import CensusRefused, import_census
from census.reader import has_doctype
from children.models import Child, FamilyMember
from conferences.api.holding import DissentSerializer, RegisterLineSerializer, TargetSerializer
from conferences.api.inputs import InviteeAddSerializer
from conferences.api.strategy import StrategyAttendanceInput
from conferences.forms_holding import RegisterRowForm
from conferences.forms_invitations import InviteeForm
from conferences.forms_strategy import AttendanceRowForm
from conferences.models import Invitee
from iro_service.validators import (
    BIDI_MESSAGE,
    date_of_birth_problem,
    expected_date_problem,
    has_bidi_controls,
    validate_no_bidi_controls,
)
from people.models import Role
from plans.api.serializers import VisitInputSerializer
from plans.contacts_forms import VisitForm
from quality_assurance.api.escalations import RespondInSerializer
from quality_assurance.forms_escalations import AddresseeFields, RespondForm
from quality_assurance.models import Escalation

from ..census.builders import census, child, episode, write
from ..conferences.invitation_world import book
from ..factories import LONDON

TODAY = dt.date(2026, 5, 10)
RLO = "\u202e"
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", RLO, "\u2066", "\u2067", "\u2068", "\u2069"]
BIDI += ["\u200e", "\u200f"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 5, 10, 12, tzinfo=LONDON), tick=False):
        yield


def child_form(world, **overrides) -> dict:
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
        "district": str(world.north.pk),
        "household": str(world.child.household.pk),
    }
    data.update(overrides)
    return data


def born(day: int, month: int, year: int, field: str = "date_of_birth") -> dict:
    return {f"{field}_day": str(day), f"{field}_month": str(month), f"{field}_year": str(year)}


NO_BIRTH = {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""}


# --- Dates of birth ---------------------------------------------------------------------------


def test_the_date_rules():
    assert date_of_birth_problem(TODAY, today=TODAY) is None
    assert date_of_birth_problem(dt.date(2001, 5, 10), today=TODAY) is None  # 25 today
    assert "within the last 25 years" in date_of_birth_problem(dt.date(2001, 5, 9), today=TODAY)
    assert "today or in the past" in date_of_birth_problem(dt.date(2026, 5, 11), today=TODAY)
    assert expected_date_problem(dt.date(2027, 3, 10), today=TODAY) is None  # 10 months
    assert "next 10 months" in expected_date_problem(dt.date(2027, 3, 11), today=TODAY)
    assert expected_date_problem(dt.date(2026, 4, 1), today=TODAY) is None  # birth not yet recorded


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        (born(1, 1, 1800), "date_of_birth", "Date of birth must be within the last 25 years"),
        (born(1, 1, 2099), "date_of_birth", "Date of birth must be today or in the past"),
        (
            {**NO_BIRTH, **born(1, 1, 2099, "expected_date_of_birth")},
            "expected_date_of_birth",
            "Expected date of birth must be within the next 10 months",
        ),
        (
            {**NO_BIRTH, **born(1, 1, 1800, "expected_date_of_birth")},
            "expected_date_of_birth",
            "Expected date of birth must be within the last 25 years",
        ),
    ],
)
def test_a_date_of_birth_that_cannot_be_true_is_refused(clients, world, dates, field, message):
    response = clients[Role.BUSINESS_SUPPORT].post(
        reverse("children:create"), child_form(world, **dates)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.text
    assert f'href="#id_{field}' in response.text  # the error summary links to the field
    assert not Child.objects.filter(local_id="C900001").exists()


@pytest.mark.django_db
def test_an_unborn_child_due_in_nine_months_is_accepted(clients, world):
    response = clients[Role.BUSINESS_SUPPORT].post(
        reverse("children:create"),
        child_form(world, **NO_BIRTH, **born(10, 2, 2027, "expected_date_of_birth")),
    )
    assert response.status_code == 302
    assert Child.objects.get(local_id="C900001").is_unborn


@pytest.mark.django_db
def test_an_old_record_can_still_be_corrected_without_retyping_its_date(clients, world):
    """A date from before the rules is checked only when someone changes it."""
    Child.objects.filter(pk=world.child.pk).update(date_of_birth=dt.date(1999, 1, 1))
    data = child_form(world, local_id=world.child.local_id, first_name="Robyn")
    data.update(born(1, 1, 1999))
    response = clients[Role.IRO].post(reverse("children:edit", args=[world.child.pk]), data)
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.first_name == "Robyn"
    data.update(born(1, 1, 1998))
    response = clients[Role.IRO].post(reverse("children:edit", args=[world.child.pk]), data)
    assert response.status_code == 200
    world.child.refresh_from_db()
    assert world.child.date_of_birth == dt.date(1999, 1, 1)


# --- Hidden text-direction characters in names ------------------------------------------------


@pytest.mark.parametrize("character", BIDI)
def test_each_direction_control_is_found(character):
    assert has_bidi_controls(f"Ash{character}down")


def test_names_in_any_script_are_fine():
    for name in ("Zoë O'Brien-Łukasz", "محمد علي", "יוסף כהן", "李小龍", "Siân"):
        assert not has_bidi_controls(name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field", ["first_name", "last_name", "social_worker_name", "team_manager_name"]
)
def test_a_childs_names_with_a_direction_control_are_refused(clients, world, field):
    response = clients[Role.BUSINESS_SUPPORT].post(
        reverse("children:create"), child_form(world, **{field: f"Morgan{RLO}nav"})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [BIDI_MESSAGE]
    assert "There is a problem" in response.text
    assert not Child.objects.filter(local_id="C900001").exists()


@pytest.mark.django_db
def test_a_parents_name_with_a_direction_control_is_refused(clients, world):
    household = world.child.household
    response = clients[Role.BUSINESS_SUPPORT].post(
        f"/children/households/{household.pk}/family/add/",
        {"name": f"Dana{RLO}hsA", "relationship": "mother", "email": "dana@example.org"},
    )
    assert response.status_code == 200
    assert "hidden characters that change the direction of text" in response.text
    assert not FamilyMember.objects.exists()


@pytest.mark.django_db
def test_an_invitees_name_with_a_direction_control_is_refused_by_the_api(clients, world):
    conference = book(world)
    url = reverse("api:conference-invitees", args=[conference.pk])
    before = Invitee.objects.count()
    for fields in (
        {"name": f"Dr Rowan{RLO}elaH"},
        {"name": "Dr Rowan Hale", "manager_name": "Pat\u2066Lee\u2069"},
    ):
        response = clients[Role.BUSINESS_SUPPORT].post(
            url,
            {"agency": "gp", "role": "GP", "email": "hale@example.org", **fields},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert BIDI_MESSAGE in str(response.json())
    assert Invitee.objects.count() == before
    plain = clients[Role.BUSINESS_SUPPORT].post(
        url,
        {"name": "Dr Rowan Hale", "agency": "gp", "role": "GP", "email": "hale@example.org"},
        content_type="application/json",
    )
    assert plain.status_code == 201


@pytest.mark.django_db
def test_an_escalations_addressee_with_a_direction_control_is_refused_by_the_api(clients, world):
    response = clients[Role.IRO].post(
        "/api/escalations/",
        {
            "child": world.child.pk,
            "theme": "visits",
            "concern": "No visits for six weeks.",
            "what_must_change": "Visits every ten working days.",
            "level": 1,
            "addressed_to_name": f"Sam{RLO}laicoS",
            "addressed_to_email": "sam@council.example",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["addressed_to_name"] == [BIDI_MESSAGE]
    assert not Escalation.objects.exists()


# Every person's name typed anywhere: the pages' forms, the API's inputs and the records.
# (Lookup names such as a district's or a venue's, and an uploaded file's name, are not people.)
NOT_PEOPLE = {("conferences", "venue")}
PERSON_NAME = re.compile(r"(^|_)name$|^who$|^visited_by$")
NOT_A_PERSON_FIELD = {"original_name", "username"}


def _person_name_fields():
    for model in apps.get_models():
        label = (model._meta.app_label, model._meta.model_name)
        if model._meta.app_label not in PROJECT_APPS or label in NOT_PEOPLE:
            continue
        if model._meta.model_name.startswith("historical"):
            continue  # history copies its model's fields
        for field in model._meta.get_fields():
            if (
                isinstance(field, CharField)
                and PERSON_NAME.search(field.name)
                and field.name not in NOT_A_PERSON_FIELD
                and not field.choices
            ):
                yield f"{model._meta.label}.{field.name}", field


# Staff names are checked on the accounts pages (people/forms_accounts.py).
PROJECT_APPS = {"children", "conferences", "plans", "quality_assurance"}


def test_every_persons_name_on_a_record_refuses_direction_controls():
    fields = dict(_person_name_fields())
    assert len(fields) >= 14  # children, family, invitees, attendance, dissent, targets, ...
    missing = [
        name for name, field in fields.items() if validate_no_bidi_controls not in field.validators
    ]
    assert missing == []
    for name, field in fields.items():
        with pytest.raises(ValidationError) as refused:
            field.run_validators(f"Ash{RLO}nwod")
        assert refused.value.messages == [BIDI_MESSAGE], name


@pytest.mark.parametrize(
    "form_field",
    [
        RegisterRowForm.base_fields["name"],  # who came to a conference
        AttendanceRowForm.base_fields["name"],  # who came to a strategy meeting
        InviteeForm.base_fields["name"],
        InviteeForm.base_fields["manager_name"],
        AddresseeFields.base_fields["addressed_to_name"],  # an escalation's addressee
        RespondForm.base_fields["responder_name"],
        VisitForm.base_fields["visited_by"],
    ],
    ids=lambda field: field.label,
)
def test_a_pages_name_field_says_why_a_direction_control_is_refused(form_field):
    with pytest.raises(ValidationError) as refused:
        form_field.clean(f"Sam{RLO}laicoS")
    assert refused.value.messages == [BIDI_MESSAGE]
    assert form_field.clean("Siân Ní Bhriain") == "Siân Ní Bhriain"


@pytest.mark.parametrize(
    "serializer, field",
    [
        (RegisterLineSerializer, "name"),
        (DissentSerializer, "name"),
        (TargetSerializer, "who"),
        (StrategyAttendanceInput, "name"),
        (InviteeAddSerializer, "manager_name"),
        (RespondInSerializer, "responder_name"),
        (VisitInputSerializer, "visited_by"),
    ],
)
def test_an_api_name_field_says_why_a_direction_control_is_refused(serializer, field):
    with pytest.raises(serializers.ValidationError) as refused:
        serializer().fields[field].run_validation(f"Sam{RLO}laicoS")
    assert refused.value.detail == [BIDI_MESSAGE]
    assert serializer().fields[field].run_validation("Siân Ní Bhriain") == "Siân Ní Bhriain"


# --- A census file with a DOCTYPE -------------------------------------------------------------

GOOD = census(2024, child("C100", episode("2023-06-01")))
WITH_DOCTYPE = GOOD.replace("<Message>", '<!DOCTYPE Message [<!ENTITY name "x">]>\n<Message>', 1)


@pytest.mark.parametrize(
    "text",
    [
        WITH_DOCTYPE,
        "\ufeff" + WITH_DOCTYPE,
        GOOD.replace("<Message>", "<!-- exported -->\n<!doctype Message>\n<Message>", 1),
        GOOD.replace("<Message>", "<!--" + "x" * 70_000 + "-->\n<Message>", 1),
    ],
)
def test_a_doctype_is_found_before_parsing(text):
    assert has_doctype(io.BytesIO(text.encode("utf-8")))


def test_a_census_file_without_one_is_fine():
    assert not has_doctype(io.BytesIO(GOOD.encode("utf-8")))
    assert not has_doctype(io.BytesIO(GOOD.encode("utf-16")))
    assert has_doctype(io.BytesIO(WITH_DOCTYPE.encode("utf-16")))


@pytest.mark.django_db
def test_a_census_file_with_a_doctype_is_refused_and_nothing_imported(tmp_path):
    path = write(tmp_path, "doctype.xml", WITH_DOCTYPE)
    with pytest.raises(CensusRefused) as refused:
        import_census([path])
    [issue] = refused.value.issues
    assert issue.element == "DOCTYPE" and "DOCTYPE declaration" in issue.reason
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_the_import_command_says_why_a_file_with_a_doctype_is_refused(tmp_path):
    path = write(tmp_path, "doctype.xml", WITH_DOCTYPE)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_cin_census", str(path), stderr=stderr)
    assert "DOCTYPE declaration, which a CIN census file never has" in stderr.getvalue()
    assert not Child.objects.exists()
    # The same file without it imports.
    call_command("import_cin_census", str(write(tmp_path, "good.xml", GOOD)), stdout=io.StringIO())
    assert Child.objects.filter(local_id="C100").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "element", "reason"),
    [
        ({"born": "1800-01-01"}, "PersonBirthDate", "more than 25 years before the census date"),
        ({"born": "2099-01-01"}, "PersonBirthDate", "is after the census date 2024-03-31"),
        (
            {"born": None, "expected": "2099-01-01"},
            "ExpectedPersonBirthDate",
            "more than 10 months after the census date",
        ),
    ],
)
def test_the_import_refuses_a_date_of_birth_that_cannot_be_true(tmp_path, dates, element, reason):
    text = census(2024, child("C100", episode("2023-06-01"), **dates))
    with pytest.raises(CensusRefused) as refused:
        import_census([write(tmp_path, "dates.xml", text)])
    [issue] = refused.value.issues
    assert (issue.child_id, issue.element) == ("C100", element)
    assert reason in issue.reason
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_the_import_takes_an_unborn_child_due_after_the_census_date(tmp_path):
    text = census(2024, child("C100", episode("2023-06-01"), born=None, expected="2024-07-01"))
    import_census([write(tmp_path, "unborn.xml", text)])
    assert Child.objects.get(local_id="C100").is_unborn
