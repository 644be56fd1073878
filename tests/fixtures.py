"""Personas: one signed-in user per role, two districts, and a child in each district.

As in healthchecks' tests: an owner, a colleague and an outsider. Here the outsider is the
district manager of the other district, who must not see the first district's child.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from people.models import Role

from .factories import ChildFactory, DistrictFactory, HouseholdFactory, UserFactory

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    north: object
    south: object
    child: object  # in the north district
    sibling: object  # same household as child
    south_child: object
    users: dict


@pytest.fixture
def world(db) -> World:
    north = DistrictFactory(name="Northbridge", code="north")
    south = DistrictFactory(name="Southmoor", code="south")
    household = HouseholdFactory(district=north, reference="H-N-1")
    child = ChildFactory(household=household, first_name="Robin", last_name="Ashdown")
    sibling = ChildFactory(household=household, first_name="Sky", last_name="Ashdown")
    south_child = ChildFactory(
        household=HouseholdFactory(district=south, reference="H-S-1"),
        first_name="Ellis",
        last_name="Brackwater",
    )
    users = {
        role: UserFactory(username=role.value, role=role, first_name=role.label.split()[0])
        for role in Role
        if role != Role.DISTRICT_MANAGER
    }
    users[Role.DISTRICT_MANAGER] = UserFactory(
        username="district_manager", role=Role.DISTRICT_MANAGER, district=north
    )
    users["other_district_manager"] = UserFactory(
        username="other_district_manager", role=Role.DISTRICT_MANAGER, district=south
    )
    return World(north, south, child, sibling, south_child, users)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(world) -> dict:
    """A logged-in test client per persona, keyed like `world.users`."""
    return {key: client_for(user) for key, user in world.users.items()}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing every persona's password with PBKDF2 would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
