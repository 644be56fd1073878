"""manage.py load_demo_data: an invented authority, one sign-in per role, safe to run twice."""

import random
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.conf import global_settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from children.models import Child
from iro_service.demo_base import DEMO_USERNAMES
from iro_service.demo_children import plan_households
from people.models import Role, User
from plans.models import ChildProtectionPlan

TODAY = "2026-03-31"
PASSWORD = "demo-Test-password-7"
# The module's demo data is hashed before the per-test settings apply, so the tests accept
# the fast hasher it is hashed with as well as Django's defaults.
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]


def _run_command() -> str:
    out = StringIO()
    call_command("load_demo_data", "--today", TODAY, stdout=out)
    return out.getvalue()


def _printed_passwords(output: str) -> dict[str, str]:
    """Username -> password, read from the command's sign-in table."""
    usernames = set(DEMO_USERNAMES.values())
    rows = (line.split() for line in output.splitlines())
    return {row[-2]: row[-1] for row in rows if len(row) >= 3 and row[-2] in usernames}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _children_in(seed: int) -> list[tuple]:
    households = plan_households(random.Random(seed), date.fromisoformat(TODAY))
    return [
        (child.first_name, child.last_name, child.date_of_birth)
        for household in households
        for child in household.children
    ]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for this module, in a transaction rolled back afterwards: it takes
    seconds to generate, and case records refuse to be deleted."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEMO_PASSWORD", PASSWORD)
        with override_settings(PASSWORD_HASHERS=HASHERS), transaction.atomic():
            yield _run_command()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _accept_the_module_hashers(settings):
    settings.PASSWORD_HASHERS = [
        *settings.PASSWORD_HASHERS,
        *(hasher for hasher in HASHERS if hasher not in settings.PASSWORD_HASHERS),
    ]


@pytest.mark.django_db
def test_one_demo_user_per_role_signs_in_with_the_printed_password(demo_output):
    printed = _printed_passwords(demo_output)

    assert printed == {username: PASSWORD for username in DEMO_USERNAMES.values()}
    for role, username in DEMO_USERNAMES.items():
        user = authenticate(username=username, password=printed[username])
        assert user is not None
        assert user.role == role
    assert "http://127.0.0.1:8000" in demo_output


@pytest.mark.django_db
def test_staff_beyond_the_demo_accounts_cannot_sign_in(demo_output):
    assert User.objects.filter(role=Role.IRO).count() == 6
    others = User.objects.exclude(username__in=DEMO_USERNAMES.values())
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


@pytest.mark.django_db
def test_running_again_creates_nothing_but_resets_the_passwords(demo_output, monkeypatch):
    before = _row_counts()
    monkeypatch.delenv("DEMO_PASSWORD")

    output = _run_command()

    assert "already there" in output
    assert _row_counts() == before
    printed = _printed_passwords(output)
    assert set(printed) == set(DEMO_USERNAMES.values())
    assert PASSWORD not in printed.values()
    for username, password in printed.items():
        assert authenticate(username=username, password=password) is not None
    assert authenticate(username="iro", password=PASSWORD) is None


@pytest.mark.django_db
def test_every_child_is_valid(demo_output):
    children = list(Child.objects.all())

    assert 100 <= len(children) <= 140
    for child in children:
        child.full_clean()
    assert any(child.is_unborn for child in children)
    assert any(child.upn for child in children)
    assert any(child.nhs_number for child in children)


@pytest.mark.django_db
def test_no_child_has_more_than_one_open_plan(demo_output):
    open_plans = (
        ChildProtectionPlan.objects.filter(end_date__isnull=True)
        .values("child")
        .annotate(plans=Count("id"))
    )

    assert open_plans
    assert max(row["plans"] for row in open_plans) == 1
    assert ChildProtectionPlan.objects.filter(end_date__isnull=False).exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_children(demo_output):
    saved = list(
        Child.objects.order_by("local_id").values_list("first_name", "last_name", "date_of_birth")
    )

    assert _children_in(2012) == _children_in(2012)
    assert _children_in(2012) != _children_in(2013)
    assert saved == _children_in(2012)


def test_a_malformed_today_is_refused():
    with pytest.raises(CommandError, match="not a date"):
        call_command("load_demo_data", "--today", "31/03/2026", stdout=StringIO())
