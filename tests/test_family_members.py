"""Parents and carers on a household, and the child's social worker: who invitations go to."""

import pytest

from children.models import FamilyMember
from people.models import Role

pytestmark = pytest.mark.django_db

MOTHER = {
    "name": "Dana Ashdown",
    "relationship": "mother",
    "has_parental_responsibility": "on",
    "email": "dana@example.org",
    "postal_address": "",
}


def test_business_support_adds_and_changes_a_parent_and_it_keeps_history(clients, world):
    household = world.child.household
    client = clients[Role.BUSINESS_SUPPORT]
    answer = client.post(f"/children/households/{household.pk}/family/add/", MOTHER)
    assert answer.url == f"/children/households/{household.pk}/"
    member = FamilyMember.objects.get()
    assert member.has_parental_responsibility and member.household == household
    page = client.get(answer.url).content.decode()
    assert "Dana Ashdown" in page and "Email: dana@example.org" in page
    client.post(
        f"/children/households/{household.pk}/family/{member.pk}/",
        {**MOTHER, "email": "", "postal_address": "1 Mill Lane"},
    )
    member.refresh_from_db()
    assert member.email == "" and member.postal_address == "1 Mill Lane"
    assert [h.history_change_reason for h in member.history.order_by("history_date")] == [
        "Parent or carer added",
        "Parent or carer updated",
    ]


def test_a_parent_without_a_name_is_refused_and_nothing_saved(clients, world):
    answer = clients[Role.BUSINESS_SUPPORT].post(
        f"/children/households/{world.child.household.pk}/family/add/", {**MOTHER, "name": ""}
    )
    assert "Enter the family member&#x27;s name" in answer.content.decode()
    assert not FamilyMember.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [(Role.AUDITOR, 403), (Role.DISTRICT_MANAGER, 403), ("other_district_manager", 403)],
)
def test_only_editors_of_children_add_parents(clients, world, who, status):
    url = f"/children/households/{world.child.household.pk}/family/add/"
    assert clients[who].post(url, MOTHER).status_code == status
    assert not FamilyMember.objects.exists()


def test_the_social_worker_is_recorded_on_the_child(clients, world):
    client = clients[Role.BUSINESS_SUPPORT]
    child = world.child
    form = client.get(f"/children/{child.pk}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "date_of_birth_day": child.date_of_birth.day,
            "date_of_birth_month": child.date_of_birth.month,
            "date_of_birth_year": child.date_of_birth.year,
            "social_worker_name": "Sam Okafor",
            "social_worker_email": "sam.okafor@council.example",
            "team_manager_name": "Pat Reid",
            "team_manager_email": "pat.reid@council.example",
        }
    )
    data.pop("date_of_birth", None)
    data.pop("expected_date_of_birth", None)
    data["disabilities"] = data.get("disabilities") or []
    answer = client.post(f"/children/{child.pk}/edit/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    child.refresh_from_db()
    assert (child.social_worker_name, child.team_manager_email) == (
        "Sam Okafor",
        "pat.reid@council.example",
    )
    assert "Sam Okafor" in client.get(f"/children/{child.pk}/").content.decode()
