"""An invitation sent through Django's SMTP backend to a real SMTP server on loopback
(aiosmtpd), read back as the recipient's mail system would receive it."""

import socket
from email import message_from_bytes, policy

import icalendar
import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import override_settings

from conferences import ics
from conferences.services import invitations

from ..factories import InviteeFactory
from .invitation_world import NOW, STARTS, booked_world

pytestmark = pytest.mark.django_db


class Received:
    """An aiosmtpd handler that keeps each message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def test_an_invitation_arrives_through_smtp_with_its_calendar_file(world, smtp_server, settings):
    controller, received = smtp_server
    settings.DEFAULT_FROM_EMAIL = "iro-business-support@northshire.example"
    with time_machine.travel(NOW, tick=False):
        booked = booked_world(world)
    InviteeFactory(
        conference=booked.conference, name="PC Dawn Hale", email="dawn.hale@police.example"
    )

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=10,
    ):
        sent = invitations.invitations_send(
            conference=booked.conference, by=booked.business_support, now=NOW
        )

    assert [invitee.name for invitee in sent.emailed] == ["PC Dawn Hale"]
    (envelope,) = received.envelopes
    assert envelope.mail_from == "iro-business-support@northshire.example"
    assert envelope.rcpt_tos == ["dawn.hale@police.example"]
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == (
        "Invitation: child protection conference on Wednesday 17 March 2027 at 10am"
    )
    assert message["Reply-To"] == "iro-business-support@northshire.example"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "You are invited to a child protection conference" in body
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "invitation.ics" and part.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == ics.uid(booked.conference)
    assert str(event["UID"]).endswith("@northshire.example")
    assert event.decoded("DTSTART") == STARTS
    assert "Ashdown" not in body + part.get_content()  # email is not secure: no child named
