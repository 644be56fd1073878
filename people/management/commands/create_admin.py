"""The first account after install: a Senior IRO, who manages everyone else's at /accounts/.

    manage.py migrate
    manage.py create_admin --username jo.marsh --email jo.marsh@example.gov.uk \\
        --first-name Jo --last-name Marsh

A superuser (`createsuperuser`) runs the system but has no role, so the service refuses them
its pages. This command makes a member of staff instead: an active Senior IRO with no district,
through the same form and rules as the /accounts/ page (people.forms_accounts.AccountCreateForm)
and kept in the account's history the same way, with no user and the reason below. The
password is a temporary one, made at random and printed once, or read from --password-file
(never given on the command line, where shell history and `ps` would keep it). Its owner
chooses their own when they first sign in, then sets up an authenticator app (people/mfa.py).

It refuses, and changes nothing, while an active Senior IRO exists (they add accounts at
/accounts/), unless --another is given.
"""

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from iro_service.records import save_with_history
from people import mfa
from people.forms_accounts import AccountCreateForm
from people.models import Role, User

logger = logging.getLogger("people.create_admin")

REASON = "First account, made with manage.py create_admin"
# Letters and digits nobody misreads (no 0/o, 1/l/i), in four groups of four: about 79 bits.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 4, 4
# The form's fields, as this command's options are called.
OPTIONS = {
    "first_name": "--first-name",
    "last_name": "--last-name",
    "username": "--username",
    "email": "--email",
}


def random_password(account: User) -> str:
    """A temporary password that passes AUTH_PASSWORD_VALIDATORS for this account."""
    for _ in range(20):
        password = "-".join(
            "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
        )
        try:
            password_validation.validate_password(password, account)
        except ValidationError:
            continue
        return password
    raise CommandError(  # only if AUTH_PASSWORD_VALIDATORS were changed to refuse these
        "Could not make a temporary password that AUTH_PASSWORD_VALIDATORS accept: "
        "give one with --password-file."
    )


def read_password_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CommandError(
            f"Nothing was created: cannot read the password file {path}: {reason}."
        ) from None
    lines = text.splitlines()
    if len(lines) != 1 or not lines[0]:
        raise CommandError(
            f"Nothing was created: the password file {path} must hold the password on one "
            "line, and nothing else."
        )
    return lines[0]


def _form_errors(form: AccountCreateForm, password_option: str) -> str:
    said = []
    for field, errors in form.errors.items():
        text = " ".join(str(error).rstrip(".") + "." for error in errors)
        if field == "__all__":
            said.append(text)
        elif field == "temporary_password":
            said.append(f"{password_option}: {text}")
        else:
            said.append(f"{OPTIONS.get(field, field)}: {text}")
    return " ".join(said)


def _site_url(path: str) -> str:
    return settings.IRO_SITE_URL.rstrip("/") + path


class Command(BaseCommand):
    help = (
        "The first step after install: make the first account manager, a Senior IRO, who "
        "then adds everyone else's accounts at /accounts/. Prints a temporary password once "
        "(or takes one from --password-file); it is changed at first sign-in, then an "
        "authenticator app is set up. Refuses while an active Senior IRO exists, unless "
        "--another is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="What they type to sign in.")
        parser.add_argument("--email", required=True, help="Their email address.")
        parser.add_argument("--first-name", required=True, help="Their first name.")
        parser.add_argument("--last-name", required=True, help="Their last name.")
        parser.add_argument(
            "--password-file",
            metavar="PATH",
            help=(
                "Read the temporary password from this file (one line) instead of making "
                "one at random; it is then not printed. For automation: a password is never "
                "given on the command line."
            ),
        )
        parser.add_argument(
            "--another",
            action="store_true",
            help="Make a Senior IRO even though an active one exists already.",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            if not options["another"]:
                self._refuse_if_a_senior_iro_exists()
            account, password = self._create(options)
        logger.info("A Senior IRO account, user id %s, was made with create_admin", account.pk)
        self._say_what_next(account, password, options["password_file"])

    def _refuse_if_a_senior_iro_exists(self) -> None:
        seniors = list(
            User.objects.filter(is_active=True, role=Role.SENIOR_IRO)
            .order_by("username")
            .values_list("username", flat=True)
        )
        if seniors:
            who = ", ".join(seniors)
            raise CommandError(
                f"Nothing was created: there is already an active Senior IRO ({who}). They add "
                f"accounts at {_site_url(reverse('accounts:list'))}. To make another Senior "
                "IRO here anyway, run this again with --another."
            )

    def _create(self, options) -> tuple[User, str | None]:
        """The new account, and its password if it was made here (None if from a file)."""
        given = bool(options["password_file"])
        details = {name: options[name] for name in ("first_name", "last_name", "username", "email")}
        if given:
            password = read_password_file(options["password_file"])
        else:
            password = random_password(User(**details))
        form = AccountCreateForm(
            data={
                **details,
                "role": Role.SENIOR_IRO,
                "district": "",  # the Senior IRO sees the whole authority
                "temporary_password": password,
            }
        )
        if not form.is_valid():
            raise CommandError(
                "Nothing was created. "
                + _form_errors(form, "--password-file" if given else "the temporary password")
            )
        account = form.save(commit=False)  # must_change_password, as at /accounts/
        try:
            save_with_history(account, by=None, reason=REASON, clean=False)
        except IntegrityError:  # made at the same moment by someone else
            raise CommandError(
                "Nothing was created. --username: There is already an account with this username."
            ) from None
        return account, None if given else password

    def _say_what_next(self, account: User, password: str | None, password_file) -> None:
        write = self.stdout.write
        write(f"Created {account.display_name}'s account: a Senior IRO, who manages accounts.")
        write("")
        write(f"  Username:            {account.username}")
        if password is None:
            write(f"  Temporary password:  the one in {password_file}")
        else:
            write(f"  Temporary password:  {password}")
            write("")
            write(
                "This password is shown only this once: it cannot be read back later. If the "
                f"account is someone else's, give it to {account.first_name} in person or by "
                "phone, never by email."
            )
        write("")
        write("Next:")
        write(f"  1. Sign in at {_site_url(reverse('login'))} with the username and password.")
        write("  2. Choose a new password when asked: it replaces the temporary one.")
        if mfa.mfa_required():
            write(
                "  3. Set up an authenticator app on a phone when asked (two-step verification "
                "is required), and keep the recovery codes it shows somewhere safe."
            )
        else:
            write(
                "  3. Two-step verification is not required here (IRO_MFA_REQUIRED is off); "
                f"set up an authenticator app anyway at {_site_url(reverse('mfa:set_up'))}."
            )
        write(f"  4. Add everyone else's accounts at {_site_url(reverse('accounts:list'))}.")
