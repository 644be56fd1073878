"""The monthly email about the monthly lists (§6.3.4: district managers and IROs "now receive
monthly lists" of plans over 12 months, repeat plans and children also looked after).

Each active district manager, IRO and Senior IRO is told, once per month end, how long each of
their lists was at the last month end, with a link to the lists page (which shows the same
lists, through the same selectors and so the same access). The email names no child and gives
nothing about one: only counts, the month end and the scope (a district's name, "the children
whose latest conference you chaired", or the whole authority).

Sent once: the record of each email (unique per person and month end) is written in the
savepoint that sends it, as conferences/services/mailing.py does for invitations. A second run,
or a second worker, finds the record (or trips on the constraint) and sends nothing; a send
that fails rolls its record back, to be tried on the next run.
"""

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from iro_service.dates import is_working_day
from people.access import MONTHLY_LISTS_EMAIL_ROLES
from people.models import Role, User

from .models import MonthlyListsEmail
from .selectors import (
    looked_after_on_plan_for,
    month_ends_up_to,
    plans_over_12_months_for,
    repeat_plans_for,
)

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)
# The lists, in the order the page shows them: (key in `counts`, label in the email).
LISTS = [
    ("plans_over_12_months", "Plans over 12 months", plans_over_12_months_for),
    ("repeat_plans", "Repeat plans in the last 12 months", repeat_plans_for),
    ("looked_after", "Children on a plan who are also looked after", looked_after_on_plan_for),
]


@dataclass
class MonthlyEmailsSent:
    """What a run did: how many were emailed, had theirs already, have no email address (so
    were not emailed), or could not be emailed now (tried again on the next run)."""

    month_end: date
    sent: int = 0
    already_sent: int = 0
    no_email_address: int = 0
    failed: int = 0


def first_working_day_of_month(day: date) -> date:
    """The first working day (not a weekend or an England and Wales bank holiday) of the
    month a date is in."""
    first = day.replace(day=1)
    while not is_working_day(first):
        first = first.replace(day=first.day + 1)
    return first


def monthly_lists_email_recipients():
    return User.objects.filter(is_active=True, role__in=MONTHLY_LISTS_EMAIL_ROLES).order_by("pk")


def monthly_lists_counts(*, user: User, on: date) -> dict[str, int]:
    """The size of each of the user's lists at a month end: what the lists page shows them."""
    return {key: select(user, on=on).count() for key, _label, select in LISTS}


def _scope_text(user: User) -> str:
    if user.role == Role.DISTRICT_MANAGER:
        return f"{user.district.name} district"
    if user.role == Role.IRO:
        return "the children whose latest conference you chaired"
    return "the whole authority"


def lists_link(*, on: date) -> str:
    path = reverse("reporting:monthly_lists") + "?" + urlencode({"on": on.isoformat()})
    return settings.IRO_SITE_URL.rstrip("/") + path


def monthly_lists_email(*, user: User, on: date, counts: dict[str, int]) -> EmailMessage:
    """Plain text. Counts only: never a child's name or anything that identifies one."""
    rows = [(label, counts[key]) for key, label, _select in LISTS]
    body = render_to_string(
        "reporting/email_monthly_lists.txt",
        {
            "user": user,
            "on": on,
            "rows": rows,
            "scope": _scope_text(user),
            "link": lists_link(on=on),
            "authority": settings.IRO_AUTHORITY_NAME,
        },
    )
    return EmailMessage(
        subject=f"Your monthly lists of plans at {on:%-d %B %Y}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        reply_to=[settings.DEFAULT_FROM_EMAIL],
    )


def _send_one(user: User, *, on: date, now: datetime, connection) -> bool:
    """Record and send one person's email in one savepoint. False if another run recorded
    it first, or the send failed (nothing recorded: tried again next time)."""
    counts = monthly_lists_counts(user=user, on=on)
    try:
        with transaction.atomic():
            MonthlyListsEmail.objects.create(user=user, month_end=on, sent_at=now, counts=counts)
            message = monthly_lists_email(user=user, on=on, counts=counts)
            message.connection = connection
            message.send()
    except IntegrityError:
        return False
    return True


def monthly_lists_emails_send(*, today: date, now: datetime) -> MonthlyEmailsSent:
    """Email every active district manager, IRO and Senior IRO their lists' counts at the last
    month end on or before today, unless they had that month's already. Safe to run any
    number of times."""
    on = month_ends_up_to(today, count=1)[0]
    result = MonthlyEmailsSent(month_end=on)
    told = set(MonthlyListsEmail.objects.filter(month_end=on).values_list("user_id", flat=True))
    to_tell = []
    for user in monthly_lists_email_recipients().select_related("district"):
        if user.pk in told:
            result.already_sent += 1
        elif not user.email.strip():
            result.no_email_address += 1
        else:
            to_tell.append(user)
    if not to_tell:
        return result
    # One session with the mail server for the whole run, opened now (a backend's send opens
    # and closes a session of its own for each message unless its connection is already open).
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as error:
        logger.warning("The email server could not be reached: %s", type(error).__name__)
        result.failed = len(to_tell)
        return result
    try:
        for user in to_tell:
            try:
                if _send_one(user, on=on, now=now, connection=connection):
                    result.sent += 1
                else:
                    result.already_sent += 1
            except SEND_ERRORS as error:
                # The error's kind only: its text may hold the address (personal data).
                logger.warning(
                    "Monthly lists email to user %s not sent: %s", user.pk, type(error).__name__
                )
                result.failed += 1
                # The session may be broken (the server hung up): the next email opens its own.
                _close_quietly(connection)
    finally:
        _close_quietly(connection)
    return result


def _close_quietly(connection) -> None:
    with contextlib.suppress(*SEND_ERRORS):
        connection.close()


def monthly_lists_emails_send_if_due(*, today: date, now: datetime) -> MonthlyEmailsSent | None:
    """The beat task's door: from the first working day of the month (the schedule runs on
    the first days of each month, so a run missed while the broker or mail server was down is
    made up the next day). None before then."""
    if today < first_working_day_of_month(today):
        return None
    return monthly_lists_emails_send(today=today, now=now)
