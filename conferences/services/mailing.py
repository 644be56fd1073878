"""What the invitation and report services share: the conference lock,
and sending email so that a failure is reported, never logged with personal data.

Sending and recording go together: each email is sent inside the savepoint that records it,
after the row that says so is written (and locked, or guarded by a unique constraint). A
failed send rolls its record back, so it is tried again next time; a second worker waits on
the lock or the constraint and then finds nothing left to send. So nobody gets the same email
twice, and nobody is recorded as told who was not.
"""

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from children.models import Child

from ..models import Conference, Invitee

logger = logging.getLogger(__name__)

# What a mail server or the network raises when a message cannot be handed over.
SEND_ERRORS = (smtplib.SMTPException, OSError)
TEMPLATES = "conferences/invitations"


@dataclass
class Sent:
    """What a sending service did: who was emailed, whose email failed (to try again), and who
    is to get a letter instead."""

    emailed: list[Invitee] = field(default_factory=list)
    failed: list[Invitee] = field(default_factory=list)
    letters: list[Invitee] = field(default_factory=list)


def locked_conference(conference: Conference) -> Conference:
    """The conference row, locked: two people sending for the same conference take turns."""
    return Conference.objects.select_for_update().get(pk=conference.pk)


def require_booked(conference: Conference, *, now: datetime | None = None, doing: str) -> None:
    if conference.status != Conference.Status.BOOKED:
        raise ValidationError(
            f"This conference is {conference.get_status_display().lower()}, so {doing}."
        )
    if now is not None and conference.scheduled_for <= now:
        raise ValidationError(f"This conference has already started, so {doing}.")


def conference_children(conference: Conference) -> list[Child]:
    return list(conference.children.order_by("first_name", "last_name", "pk"))


def email_message(
    *, to: Sequence[str], subject: str, template: str, context: dict, cc: Sequence[str] = ()
) -> EmailMessage:
    """A plain-text email from business support, who also get the replies."""
    return EmailMessage(
        subject=subject,
        body=render_to_string(f"{TEMPLATES}/{template}", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        reply_to=[settings.DEFAULT_FROM_EMAIL],
    )


def error_kind(error: Exception) -> str:
    """What went wrong, for the log: the error's kind only, never its text, which may hold
    the recipients' addresses (personal data)."""
    return type(error).__name__


def send(message: EmailMessage, connection) -> None:
    message.connection = connection
    message.send()


def open_connection():
    """A connection to the mail server, opened now: if it cannot be reached, nothing is
    recorded and the person is told to try again."""
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as error:
        logger.warning("The email server could not be reached: %s", error_kind(error))
        raise ValidationError(
            "The email server could not be reached, so nothing was sent. Try again later."
        ) from error
    return connection
