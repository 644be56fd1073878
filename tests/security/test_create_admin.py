"""`manage.py create_admin` (people/management/commands/create_admin.py): the first account
after install, a Senior IRO who manages everyone else's, made through the /accounts/ page's
form and rules, with a temporary password printed once that its owner must change at first
sign-in before setting up two-step verification."""

import logging
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from people.models import Role, User

from ..factories import UserFactory
from ..fixtures import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-7"
DETAILS = {
    "username": "jo.marsh",
    "email": "jo.marsh@example.gov.uk",
    "first_name": "Jo",
    "last_name": "Marsh",
}


def run(*extra: str, **details) -> tuple[str, str]:
    """Run the command as an installer would type it; its stdout and stderr."""
    given = {**DETAILS, **details}
    args = [f"--{name.replace('_', '-')}={value}" for name, value in given.items()]
    out, err = StringIO(), StringIO()
    call_command("create_admin", *args, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*extra: str, **details) -> str:
    with pytest.raises(CommandError) as raised:
        run(*extra, **details)
    message = str(raised.value)
    assert "\n" not in message
    return message


def printed_password(output: str) -> str:
    found = re.findall(r"^ *Temporary password: +(\S+)$", output, flags=re.MULTILINE)
    assert len(found) == 1, output
    return found[0]


@pytest.fixture
def mfa_required(settings):
    settings.IRO_MFA_REQUIRED = True
    return settings


def test_makes_an_active_senior_iro_who_signs_in_with_the_printed_password():
    output, _ = run()

    account = User.objects.get(username="jo.marsh")
    assert account.role == Role.SENIOR_IRO and account.district is None
    assert account.is_active and not account.is_superuser
    assert (account.first_name, account.last_name, account.email) == (
        "Jo",
        "Marsh",
        "jo.marsh@example.gov.uk",
    )
    assert account.must_change_password is True
    password = printed_password(output)
    assert output.count(password) == 1
    assert len(password) >= 12
    assert authenticate(username="jo.marsh", password=password) == account
    created = account.history.get()
    assert created.history_type == "+"
    assert created.history_change_reason == "First account, made with manage.py create_admin"
    assert created.history_user is None
    assert created.role == Role.SENIOR_IRO and created.must_change_password


def test_each_run_prints_a_different_password():
    first = printed_password(run()[0])
    second = printed_password(run("--another", username="sam.okafor")[0])
    assert first != second


def test_says_where_to_sign_in_and_that_the_password_and_an_app_come_next(mfa_required):
    mfa_required.IRO_SITE_URL = "https://iro.example.gov.uk/"
    output, _ = run()
    assert "Username:            jo.marsh" in output
    assert "https://iro.example.gov.uk/sign-in/" in output
    assert "Choose a new password" in output
    assert "authenticator app" in output and "is required" in output
    assert "https://iro.example.gov.uk/accounts/" in output


def test_says_when_two_step_verification_is_not_required(settings):
    settings.IRO_MFA_REQUIRED = False
    output, _ = run()
    assert "is not required here" in output
    assert "/mfa/set-up/" in output


def test_a_superuser_without_a_role_does_not_stop_it():
    """The installer's situation: createsuperuser was run, and its account has no role."""
    UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    run()
    assert User.objects.get(username="jo.marsh").role == Role.SENIOR_IRO


def test_refuses_while_a_senior_iro_is_active_and_names_them():
    run()
    count = User.objects.count()

    message = refused(username="sam.okafor", email="sam@example.gov.uk")

    assert "already an active Senior IRO (jo.marsh)" in message
    assert "/accounts/" in message and "--another" in message
    assert User.objects.count() == count
    assert not User.objects.filter(username="sam.okafor").exists()


def test_a_deactivated_senior_iro_does_not_stop_it():
    UserFactory(username="gone", role=Role.SENIOR_IRO, is_active=False)
    run()
    assert User.objects.get(username="jo.marsh").role == Role.SENIOR_IRO


def test_another_makes_a_second_senior_iro():
    run()
    output, _ = run("--another", username="sam.okafor", email="sam@example.gov.uk")
    second = User.objects.get(username="sam.okafor")
    assert second.role == Role.SENIOR_IRO and second.must_change_password
    assert authenticate(username="sam.okafor", password=printed_password(output)) == second
    assert User.objects.filter(role=Role.SENIOR_IRO, is_active=True).count() == 2


def test_a_username_taken_in_another_case_is_refused_with_the_forms_message():
    existing = UserFactory(username="Jo.Marsh", role=Role.IRO)
    count = User.objects.count()

    message = refused("--another")

    assert "--username: There is already an account with this username" in message
    assert User.objects.count() == count
    existing.refresh_from_db()
    assert existing.role == Role.IRO and existing.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("details", "said"),
    [
        ({"email": "not-an-address"}, "--email: Enter an email address in the right format"),
        ({"first_name": ""}, "--first-name: Enter their first name"),
        ({"last_name": "Marsh\u202egnip"}, "hidden characters that change the direction"),
        ({"username": "jo marsh!"}, "--username: Enter a valid username"),
    ],
)
def test_bad_details_are_refused_with_the_forms_messages(details, said):
    message = refused(**details)
    assert said in message
    assert not User.objects.exists()


def test_a_password_file_gives_the_temporary_password_and_it_is_not_printed(tmp_path):
    path = tmp_path / "first-password"
    path.write_text("harbour-violet-engine-3\n", encoding="utf-8")

    output, _ = run(f"--password-file={path}")

    account = User.objects.get(username="jo.marsh")
    assert authenticate(username="jo.marsh", password="harbour-violet-engine-3") == account
    assert account.must_change_password and account.role == Role.SENIOR_IRO
    assert "harbour-violet-engine-3" not in output
    assert str(path) in output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("Summer24\n", "--password-file: This password is too short"),
        ("password1234\n", "--password-file: This password is too common"),
        ("jo.marsh.example\n", "too similar to the"),
        ("", "must hold the password on one line"),
        ("first-line-of-two\nsecond-line\n", "must hold the password on one line"),
    ],
)
def test_a_weak_or_malformed_password_file_is_refused(tmp_path, content, said):
    path = tmp_path / "first-password"
    path.write_text(content, encoding="utf-8")
    message = refused(f"--password-file={path}")
    assert said in message
    assert not User.objects.exists()


def test_a_missing_password_file_is_refused(tmp_path):
    message = refused(f"--password-file={tmp_path / 'nowhere'}")
    assert "cannot read the password file" in message and "nowhere" in message
    assert not User.objects.exists()


def test_the_password_is_never_logged_nor_kept_in_history(caplog):
    with caplog.at_level(logging.DEBUG):
        output, err = run()
    password = printed_password(output)
    assert any("create_admin" in record.getMessage() for record in caplog.records)
    assert password not in caplog.text
    assert password not in err
    account = User.objects.get(username="jo.marsh")
    assert not hasattr(account.history.get(), "password")


def _change_password(client: Client, old: str):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_the_new_account_signs_in_changes_the_password_and_manages_accounts():
    password = printed_password(run()[0])
    client = Client()

    signed_in = client.post(reverse("login"), {"username": "jo.marsh", "password": password})
    assert signed_in.status_code == 302
    assert client.get(reverse("accounts:list")).url.startswith(reverse("password_change"))

    assert _change_password(client, password).status_code == 302
    account = User.objects.get(username="jo.marsh")
    assert account.must_change_password is False
    # What a superuser is refused: the account manager's page and the dashboard.
    assert client.get(reverse("accounts:list")).status_code == 200
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    assert client.get(reverse("accounts:create")).status_code == 200
    # The account's own history, on the page that shows it, says how it was made.
    detail = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert "First account, made with manage.py create_admin" in detail


def test_with_mfa_required_the_new_password_leads_to_the_app_set_up(mfa_required):
    password = printed_password(run()[0])
    client = Client()
    client.post(reverse("login"), {"username": "jo.marsh", "password": password})
    assert client.get(reverse("home")).url.startswith(reverse("password_change"))

    assert _change_password(client, password).status_code == 302

    for page in (reverse("home"), reverse("reporting:dashboard"), reverse("accounts:list")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("mfa:set_up")), page
    assert client.get(reverse("mfa:set_up")).status_code == 200
