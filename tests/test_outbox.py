"""The outbox: the email backend of `make run`, and its pages (outbox/)."""

import io

import icalendar
import pytest
from django.core.mail import EmailMessage, get_connection
from django.test import Client, override_settings

from conferences import ics
from outbox.backends import BACKEND, OutboxBackend
from outbox.models import OutboxMessage
from people.models import Role

from .fixtures import client_for

pytestmark = pytest.mark.django_db

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:conference-7@example\r\nDTSTART:20270317T100000Z\r\n"
    b"DTSTAMP:20270301T090000Z\r\nSUMMARY:Child protection conference\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)
BODY = "Dear Jo,\n\nPrivate words about a family."


def a_message() -> EmailMessage:
    message = EmailMessage(
        subject="Invitation: child protection conference",
        body=BODY,
        from_email="business-support@council.example",
        to=["jo@family.example"],
        cc=["manager@agency.example"],
    )
    message.attach(ics.attachment(CALENDAR, method=ics.REQUEST, filename="invitation.ics"))
    message.attach("notes.txt", "plain notes", "text/plain")
    return message


def test_the_backend_keeps_the_message_as_received_and_says_so_in_one_line():
    console = io.StringIO()
    connection = OutboxBackend(stream=console)
    assert connection.send_messages([a_message()]) == 1

    stored = OutboxMessage.objects.get()
    assert stored.to == ["jo@family.example"] and stored.cc == ["manager@agency.example"]
    assert stored.subject == "Invitation: child protection conference"
    assert stored.body.strip() == BODY
    assert stored.headers["From"] == "business-support@council.example"
    assert b"Private words" in bytes(stored.raw)
    calendar, notes = stored.attachments.all()
    assert (calendar.filename, calendar.mimetype) == ("invitation.ics", "text/calendar")
    assert icalendar.Calendar.from_ical(bytes(calendar.content))["METHOD"] == "REQUEST"
    assert (notes.filename, bytes(notes.content)) == ("notes.txt", b"plain notes")

    # One line, with where to read it; no subject, body or address (personal data).
    (line,) = console.getvalue().splitlines()
    assert line == f"Email kept in the outbox for 2 recipient(s): /outbox/{stored.pk}/"


def test_a_message_without_recipients_is_not_kept():
    assert OutboxBackend(stream=io.StringIO()).send_messages([EmailMessage(subject="x")]) == 0
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def outbox_in_use(settings):
    settings.EMAIL_BACKEND = BACKEND
    with get_connection(stream=io.StringIO()) as connection:
        connection.send_messages([a_message()])
    return OutboxMessage.objects.get()


def test_signed_in_staff_read_the_outbox_newest_first(outbox_in_use, world):
    later = a_message()
    later.subject = "Rearranged: child protection conference"
    OutboxBackend(stream=io.StringIO()).send_messages([later])
    client = client_for(world.users[Role.AUDITOR])

    listing = client.get("/outbox/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert text.index("Rearranged: child protection") < text.index("Invitation: child protection")

    page = client.get(f"/outbox/{outbox_in_use.pk}/")
    assert page.status_code == 200
    for expected in (
        "jo@family.example",
        "manager@agency.example",
        "Private words",
        "invitation.ics",
    ):
        assert expected in page.content.decode()

    calendar = outbox_in_use.attachments.get(filename="invitation.ics")
    download = client.get(f"/outbox/{outbox_in_use.pk}/attachments/{calendar.pk}/")
    assert download["Content-Type"] == "text/calendar"
    assert download["Content-Disposition"] == 'attachment; filename="invitation.ics"'
    assert download.content == bytes(calendar.content)
    raw = client.get(f"/outbox/{outbox_in_use.pk}/message.eml")
    assert raw["Content-Type"] == "message/rfc822" and b"Private words" in raw.content


def test_the_outbox_pages_paginate(settings, world):
    settings.EMAIL_BACKEND = BACKEND
    OutboxBackend(stream=io.StringIO()).send_messages([a_message() for _ in range(30)])
    client = client_for(world.users[Role.BUSINESS_SUPPORT])
    first = client.get("/outbox/").content.decode()
    assert first.count('href="/outbox/') == 25 and "Next" in first
    assert client.get("/outbox/?page=2").content.decode().count('href="/outbox/') == 5


def test_the_outbox_is_not_there_for_someone_signed_out(outbox_in_use):
    for path in (
        "/outbox/",
        f"/outbox/{outbox_in_use.pk}/",
        f"/outbox/{outbox_in_use.pk}/message.eml",
    ):
        assert Client().get(path).status_code == 404


def test_the_outbox_is_not_there_when_email_is_really_sent(outbox_in_use, settings, world):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    client = client_for(world.users[Role.SENIOR_IRO])
    assert client.get("/outbox/").status_code == 404
    assert client.get(f"/outbox/{outbox_in_use.pk}/").status_code == 404


@override_settings(EMAIL_BACKEND=BACKEND)
def test_the_outbox_refuses_to_change_anything(outbox_in_use, world):
    client = client_for(world.users[Role.BUSINESS_SUPPORT])
    assert client.post("/outbox/").status_code == 405
