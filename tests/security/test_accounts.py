"""Staff accounts managed in the service by the Senior IRO (people.views_accounts): create,
change, deactivate and reactivate, reset a password or two-step verification; every change
kept with who made it, and every other role refused."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import mfa
from people.models import Role, User

from ..factories import UserFactory
from ..fixtures import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-7"


def _urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("accounts:list")),
        ("get", reverse("accounts:create")),
        ("post", reverse("accounts:create")),
        ("get", reverse("accounts:detail", args=[pk])),
        ("get", reverse("accounts:change", args=[pk])),
        ("post", reverse("accounts:change", args=[pk])),
        ("get", reverse("accounts:reset_password", args=[pk])),
        ("post", reverse("accounts:reset_password", args=[pk])),
        ("get", reverse("accounts:reset_mfa", args=[pk])),
        ("post", reverse("accounts:reset_mfa", args=[pk])),
        ("get", reverse("accounts:deactivate", args=[pk])),
        ("post", reverse("accounts:deactivate", args=[pk])),
        ("post", reverse("accounts:reactivate", args=[pk])),
    ]


def _new_account_data(**overrides) -> dict:
    return {
        "first_name": "Jo",
        "last_name": "Marsh",
        "username": "jo.marsh",
        "email": "jo.marsh@example.org",
        "role": Role.IRO,
        "district": "",
        "temporary_password": "harbour-violet-engine-3",
        **overrides,
    }


def sign_in(username: str, password: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "persona", [r for r in Role if r != Role.SENIOR_IRO] + ["other_district_manager"]
)
def test_every_role_but_the_senior_iro_is_refused(persona, world, clients):
    target = world.users[Role.IRO]
    client = clients[persona]
    for method, url in _urls(target.pk):
        response = getattr(client, method)(url, {"role": Role.SENIOR_IRO, "is_active": "on"})
        assert response.status_code == 403, (persona, method, url)
    target.refresh_from_db()
    assert target.role == Role.IRO and target.is_active
    assert User.objects.count() == len(world.users)


def test_signed_out_visitors_are_sent_to_sign_in(world):
    anonymous = Client()
    for method, url in _urls(world.users[Role.IRO].pk):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_senior_iro_sees_the_staff_list_with_roles_and_mfa(world, clients):
    enrolled = world.users[Role.AUDITOR]
    TOTPDevice.objects.create(user=enrolled, confirmed=True)
    gone = world.users[Role.DIRECTORATE_MANAGER]
    gone.is_active = False
    gone.save()
    UserFactory(username="root", is_superuser=True, role="")
    UserFactory(username="newcomer", role=Role.IRO)  # never signed in
    response = clients[Role.SENIOR_IRO].get(reverse("accounts:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{len(world.users) + 1} accounts" in html
    rows = {account.username: account for account in response.context["page"].object_list}
    assert "root" not in rows  # superusers are not managed here
    assert rows["auditor"].has_mfa and not rows["iro"].has_mfa
    assert "Northbridge" in html and "Deactivated" in html and "Never" in html
    # The navigation offers the page to the Senior IRO only.
    assert 'href="/accounts/"' in html
    assert 'href="/accounts/"' not in clients[Role.IRO].get("/children/").content.decode()


def test_create_an_account_who_must_change_the_temporary_password(world, clients):
    senior = clients[Role.SENIOR_IRO]
    response = senior.post(reverse("accounts:create"), _new_account_data())
    account = User.objects.get(username="jo.marsh")
    assert response.status_code == 302
    assert response.url == reverse("accounts:detail", args=[account.pk])
    assert account.role == Role.IRO and account.must_change_password and account.is_active
    assert account.check_password("harbour-violet-engine-3")
    created = account.history.get()
    assert created.history_user == world.users[Role.SENIOR_IRO]
    assert created.history_change_reason == "Account created"
    page = senior.get(response.url).content.decode()
    assert "Must change password" in page and "Account created" in page
    assert world.users[Role.SENIOR_IRO].display_name in page

    newcomer = sign_in("jo.marsh", "harbour-violet-engine-3")
    assert newcomer.get("/children/").url.startswith(reverse("password_change"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"temporary_password": "Summer24"}, "This password is too short"),
        ({"temporary_password": "password1234"}, "This password is too common"),
        ({"username": "IRO"}, "There is already an account with this username"),
        ({"role": Role.DISTRICT_MANAGER}, "Choose the district a district manager looks after"),
        ({"email": "not-an-address"}, "Enter an email address in the right format"),
        ({"first_name": ""}, "Enter their first name"),
        ({"last_name": "Marsh\u202egnip"}, "hidden characters that change the direction"),
        ({"role": ""}, "Choose their role"),
    ],
)
def test_bad_input_creates_nothing_and_says_why(overrides, message, world, clients):
    response = clients[Role.SENIOR_IRO].post(
        reverse("accounts:create"), _new_account_data(**overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert User.objects.count() == len(world.users)


def test_a_district_manager_is_created_with_their_district(world, clients):
    clients[Role.SENIOR_IRO].post(
        reverse("accounts:create"),
        _new_account_data(role=Role.DISTRICT_MANAGER, district=world.south.pk),
    )
    assert User.objects.get(username="jo.marsh").district == world.south


def test_change_role_and_district_is_kept_with_who_changed_it(world, clients):
    account = world.users[Role.IRO]
    response = clients[Role.SENIOR_IRO].post(
        reverse("accounts:change", args=[account.pk]),
        {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": "iro@example.org",
            "role": Role.DISTRICT_MANAGER,
            "district": world.north.pk,
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.role == Role.DISTRICT_MANAGER and account.district == world.north
    change = account.history.order_by("-history_date", "-history_id").first()
    assert change.history_user == world.users[Role.SENIOR_IRO]
    assert change.history_change_reason == "Account changed"
    page = clients[Role.SENIOR_IRO].get(reverse("accounts:detail", args=[account.pk]))
    assert "Role: Independent reviewing officer" in page.content.decode()
    assert "District manager" in page.content.decode()


def test_a_district_manager_needs_a_district(world, clients):
    account = world.users[Role.IRO]
    response = clients[Role.SENIOR_IRO].post(
        reverse("accounts:change", args=[account.pk]),
        {
            "first_name": "X",
            "last_name": "Y",
            "email": "x@example.org",
            "role": Role.DISTRICT_MANAGER,
        },
    )
    assert response.status_code == 200
    assert "Choose the district a district manager looks after" in response.content.decode()
    account.refresh_from_db()
    assert account.role == Role.IRO and account.first_name != "X"


def test_the_last_senior_iro_keeps_the_role(world, clients):
    senior = world.users[Role.SENIOR_IRO]
    data = {"first_name": "S", "last_name": "T", "email": "s@example.org", "role": Role.IRO}
    response = clients[Role.SENIOR_IRO].post(reverse("accounts:change", args=[senior.pk]), data)
    assert response.status_code == 200
    assert "This is the only active Senior IRO" in response.content.decode()
    senior.refresh_from_db()
    assert senior.role == Role.SENIOR_IRO
    # With a second one, either may move to another role.
    second = UserFactory(username="second_senior", role=Role.SENIOR_IRO)
    response = clients[Role.SENIOR_IRO].post(reverse("accounts:change", args=[second.pk]), data)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.role == Role.IRO


def test_deactivate_after_checking_then_they_cannot_sign_in_and_their_records_stay(world, clients):
    account = world.users[Role.BUSINESS_SUPPORT]
    their_session = sign_in("business_support", PASSWORD)
    assert their_session.get("/children/").status_code == 200
    senior = clients[Role.SENIOR_IRO]
    check = senior.get(reverse("accounts:deactivate", args=[account.pk]))
    assert check.status_code == 200
    assert "Check before you deactivate this account" in check.content.decode()
    account.refresh_from_db()
    assert account.is_active  # looking at the check page changes nothing

    response = senior.post(reverse("accounts:deactivate", args=[account.pk]))
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    assert User.objects.filter(pk=account.pk).exists()
    last = account.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == world.users[Role.SENIOR_IRO]
    assert last.history_change_reason == "Account deactivated"
    # Their session has ended, and the password no longer signs in.
    assert their_session.get("/children/").url.startswith(reverse("login"))
    again = sign_in("business_support", PASSWORD)
    assert not signed_in(again)

    senior.post(reverse("accounts:reactivate", args=[account.pk]))
    account.refresh_from_db()
    assert account.is_active
    assert signed_in(sign_in("business_support", PASSWORD))
    reasons = list(account.history.values_list("history_change_reason", flat=True))
    assert "Account reactivated" in reasons


def test_nobody_deactivates_themselves(world, clients):
    senior = world.users[Role.SENIOR_IRO]
    page = clients[Role.SENIOR_IRO].get(reverse("accounts:detail", args=[senior.pk]))
    assert "Deactivate account" not in page.content.decode()
    response = clients[Role.SENIOR_IRO].post(reverse("accounts:deactivate", args=[senior.pk]))
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    senior.refresh_from_db()
    assert senior.is_active


def test_reset_mfa_after_checking_removes_their_app_and_codes(world, clients):
    account = world.users[Role.IRO]
    TOTPDevice.objects.create(user=account, confirmed=True)
    mfa.new_recovery_codes(account)
    senior = clients[Role.SENIOR_IRO]
    check = senior.get(reverse("accounts:reset_mfa", args=[account.pk]))
    assert "Check before you reset two-step verification" in check.content.decode()
    assert TOTPDevice.objects.filter(user=account).exists()
    response = senior.post(reverse("accounts:reset_mfa", args=[account.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert not StaticDevice.objects.filter(user=account).exists()
    last = account.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == world.users[Role.SENIOR_IRO]
    assert last.history_change_reason.startswith("Two-step verification reset")


def test_reset_password_keeps_the_policy_and_asks_for_a_new_one(world, clients):
    account = world.users[Role.AUDITOR]
    senior = clients[Role.SENIOR_IRO]
    url = reverse("accounts:reset_password", args=[account.pk])
    weak = senior.post(url, {"temporary_password": "Summer24"})
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    account.refresh_from_db()
    assert account.check_password(PASSWORD) and not account.must_change_password

    their_session = sign_in("auditor", PASSWORD)
    assert senior.post(url, {"temporary_password": NEW_PASSWORD}).status_code == 302
    account.refresh_from_db()
    assert account.must_change_password and account.check_password(NEW_PASSWORD)
    assert not signed_in(sign_in("auditor", PASSWORD))
    # The old session ended with the old password.
    assert their_session.get("/children/").url.startswith(reverse("login"))
    fresh = sign_in("auditor", NEW_PASSWORD)
    assert fresh.get("/children/").url.startswith(reverse("password_change"))
    reset = account.history.get(history_change_reason="Temporary password set")
    assert reset.history_user == world.users[Role.SENIOR_IRO]
    assert reset.must_change_password


def test_superusers_are_not_managed_here(world, clients):
    root = UserFactory(username="root", is_superuser=True, role="")
    for method, url in _urls(root.pk)[3:]:
        response = getattr(clients[Role.SENIOR_IRO], method)(url)
        assert response.status_code == 404, url
    root.refresh_from_db()
    assert root.is_active and root.check_password(PASSWORD)
