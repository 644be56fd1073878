"""Each role against each page, including the ones that must be refused (style.md rule 6)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Role

from .factories import PlanFactory

READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
EDITORS = {Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT}
PLAN_MANAGERS = {Role.IRO, Role.SENIOR_IRO}


def _child_pages(world):
    child = world.child
    return [
        reverse("children:detail", args=[child.pk]),
        reverse("children:history", args=[child.pk]),
        reverse("children:household", args=[child.household.pk]),
    ]


@pytest.mark.django_db
def test_every_page_needs_sign_in(world):
    anonymous = Client()
    plan = PlanFactory(child=world.child)
    pages = [
        reverse("children:search"),
        reverse("children:create"),
        reverse("children:edit", args=[world.child.pk]),
        reverse("plans:end", args=[plan.pk]),
        *_child_pages(world),
    ]
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_every_role_can_search_and_read_a_child_in_their_scope(clients, world, role):
    client = clients[role]
    assert client.get(reverse("children:search")).status_code == 200
    response = client.post(reverse("children:search"), {"q": "Ashdown"}, follow=True)
    assert "Robin Ashdown" in response.text
    for url in _child_pages(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_district_manager_cannot_see_another_districts_child(clients, world):
    manager = clients["other_district_manager"]
    for url in _child_pages(world):
        assert manager.get(url).status_code == 404, url
    response = manager.post(reverse("children:search"), {"q": "Ashdown"}, follow=True)
    assert "Robin Ashdown" not in response.text
    assert "No children found" in response.text
    # ...and sees their own district's child
    response = manager.get(reverse("children:detail", args=[world.south_child.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_missing_child_and_a_forbidden_child_look_the_same(clients, world):
    manager = clients["other_district_manager"]
    forbidden = manager.get(reverse("children:detail", args=[world.child.pk]))
    missing = manager.get(reverse("children:detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_only_editors_may_add_or_change_a_child(clients, world, role):
    client = clients[role]
    for url in (reverse("children:create"), reverse("children:edit", args=[world.child.pk])):
        expected = 200 if role in EDITORS else 403
        assert client.get(url).status_code == expected, url
    response = client.post(reverse("children:edit", args=[world.child.pk]), {"first_name": "X"})
    if role not in EDITORS:
        assert response.status_code == 403
        world.child.refresh_from_db()
        assert world.child.first_name == "Robin"


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_only_iros_may_change_or_end_a_plan(clients, world, role):
    plan = PlanFactory(child=world.sibling, start_date=dt.date(2024, 1, 10))
    client = clients[role]
    expected = 200 if role in PLAN_MANAGERS else 403
    for url in (
        reverse("plans:change_category", args=[plan.pk]),
        reverse("plans:end", args=[plan.pk]),
    ):
        assert client.get(url).status_code == expected, url
    response = client.post(
        reverse("plans:end", args=[plan.pk]),
        {"end_date_day": "1", "end_date_month": "7", "end_date_year": "2024", "reason": "other"},
    )
    plan.refresh_from_db()
    assert (plan.end_date is not None) == (role in PLAN_MANAGERS)
    assert response.status_code == (302 if role in PLAN_MANAGERS else 403)


@pytest.mark.django_db
def test_plan_pages_of_another_district_are_not_found_for_iros_scope(clients, world):
    # IROs work across the authority; the district boundary applies to district managers,
    # who may not record plans at all: their refusal is 403 before any lookup.
    plan = PlanFactory(child=world.child)
    response = clients["other_district_manager"].get(reverse("plans:end", args=[plan.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_only_the_senior_iro_uses_the_reference_data_admin(clients, role):
    response = clients[role].get(reverse("admin:index"))
    if role == Role.SENIOR_IRO:
        assert response.status_code == 200
        assert "Districts" in response.text and "Venues" in response.text
        assert clients[role].get(reverse("admin:people_district_changelist")).status_code == 200
        # Accounts and case records are not reference data
        assert clients[role].get(reverse("admin:people_user_changelist")).status_code == 403
    else:
        assert response.status_code == 302
        assert clients[role].get(reverse("admin:people_district_changelist")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        (Role.SENIOR_IRO, ["Find a child", "Add a child", "Reference data"], []),
        (Role.IRO, ["Find a child", "Add a child"], ["Reference data"]),
        (Role.BUSINESS_SUPPORT, ["Find a child", "Add a child", "Paperwork"], ["Reference data"]),
        (
            Role.DISTRICT_MANAGER,
            ["Find a child", "Overdue visits"],
            ["Add a child", "Reference data", "Paperwork"],
        ),
        (Role.DIRECTORATE_MANAGER, ["Find a child"], ["Add a child", "Reference data"]),
        (Role.AUDITOR, ["Find a child"], ["Add a child", "Reference data"]),
    ],
)
def test_navigation_shows_what_the_role_may_use(clients, role, visible, hidden):
    text = clients[role].get(reverse("children:search")).text
    nav = text[text.index('id="navigation"') : text.index("</nav>")]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav


@pytest.mark.django_db
def test_detail_page_offers_only_the_actions_the_role_may_take(clients, world):
    PlanFactory(child=world.child)
    url = reverse("children:detail", args=[world.child.pk])
    assert "End plan" in clients[Role.IRO].get(url).text
    assert "Change details" in clients[Role.BUSINESS_SUPPORT].get(url).text
    auditor_page = clients[Role.AUDITOR].get(url).text
    assert "End plan" not in auditor_page
    assert "Change details" not in auditor_page


@pytest.mark.django_db
def test_a_plan_starts_only_from_a_conference_decision(clients, world):
    # The page that started a plan without a conference is gone (conferences part 2).
    assert clients[Role.IRO].get(f"/plans/start/{world.child.pk}/").status_code == 404
    page = clients[Role.IRO].get(reverse("children:detail", args=[world.child.pk])).text
    assert "A plan starts when a conference decides it" in page


@pytest.mark.django_db
def test_sign_in_and_sign_out(world):
    client = Client()
    response = client.post(reverse("login"), {"username": "iro", "password": "wrong"})
    assert "Enter a correct username and password" in response.text
    response = client.post(
        reverse("login"), {"username": "iro", "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "conferences:work_list"
    )  # an IRO lands on their next 4 weeks
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out" in response.text
    assert client.get(reverse("children:search")).status_code == 302


@pytest.mark.django_db
def test_sign_out_needs_a_post(clients):
    assert clients[Role.IRO].get(reverse("logout")).status_code == 405
