"""The API answers through the same access rules as the pages."""

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Role

from .factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_api_needs_sign_in(world):
    response = Client().get(reverse("api:child-detail", args=[world.child.pk]))
    assert response.status_code == 403


def test_api_child_detail_includes_plans(clients, world):
    PlanFactory(child=world.child)
    data = clients[Role.AUDITOR].get(reverse("api:child-detail", args=[world.child.pk])).json()
    assert data["local_id"] == world.child.local_id
    assert data["plans"][0]["latest_category"] == "NEG"


def test_api_hides_another_districts_child(clients, world):
    client = clients["other_district_manager"]
    assert client.get(reverse("api:child-detail", args=[world.child.pk])).status_code == 404
    found = client.get(reverse("api:child-search"), {"q": "Ashdown"}).json()
    assert found == []


def test_api_search_refuses_an_empty_or_bad_query(clients):
    client = clients[Role.IRO]
    response = client.get(reverse("api:child-search"))
    assert response.status_code == 400
    assert "Give q" in str(response.json())
    response = client.get(reverse("api:child-search"), {"born_on": "31/02/2015"})
    assert response.status_code == 400 and "born_on" in response.json()


def test_schema_and_docs_are_served_without_a_cdn(clients):
    client = clients[Role.IRO]
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"/api/children/" in schema.content
    docs = client.get(reverse("api:docs")).text
    assert "swagger-ui" in docs and "cdn" not in docs.lower()
