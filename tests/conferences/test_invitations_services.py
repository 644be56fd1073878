"""Invitees, invitations (email with a calendar file, or a printed letter) and telling
invitees of a change: conferences/services/invitations.py."""

import datetime as dt
import smtplib
import subprocess
from email import message_from_bytes, policy

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from conferences import ics
from conferences.models import Attendance, Conference, Invitee, ReportRequest
from conferences.services import booking, invitations

from ..factories import InviteeFactory
from .invitation_world import NOW, STARTS, book, booked_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world):
    with time_machine.travel(NOW, tick=False):
        yield booked_world(world)


FAILING_ADDRESS = "bounces@agency.example"


class FailingBackend(LocmemBackend):
    """In-memory email that refuses one address, as a mail server may."""

    def send_messages(self, messages):
        for message in messages:
            if FAILING_ADDRESS in message.recipients():
                raise smtplib.SMTPRecipientsRefused({FAILING_ADDRESS: (550, b"No such user")})
        return super().send_messages(messages)


def calendar_parts(message) -> list[tuple[str, icalendar.Calendar]]:
    """(filename, parsed calendar) of each .ics the email carries, read back from its bytes."""
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return [
        (part.get_filename(), icalendar.Calendar.from_ical(part.get_content()))
        for part in parsed.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def event_of(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def invite(conference, **fields) -> Invitee:
    return InviteeFactory(conference=conference, **fields)


# -- who to invite ---------------------------------------------------------------------------


def test_suggestions_are_the_parents_and_each_social_worker_and_manager_once(booked, world):
    suggestions = invitations.invitees_suggest(conference=booked.conference)
    by_name = {s["name"]: s for s in suggestions}
    assert sorted(by_name) == ["Jo Ashdown", "Lee Ashdown", "Priya Shah", "Sam Okafor"]
    assert by_name["Jo Ashdown"]["agency"] == Attendance.Agency.FAMILY
    assert by_name["Jo Ashdown"]["role"] == "Mother"
    # No postal address of his own: his letters go to the household's address.
    assert by_name["Lee Ashdown"]["postal_address"] == "12 Canal Street\nNorthbridge\nNB3 4CD"
    worker = by_name["Sam Okafor"]
    assert (worker["role"], worker["manager_email"]) == (
        "Social worker",
        "priya.shah@council.example",
    )
    assert all(s["can_be_reached"] for s in suggestions)


def test_suggestions_leave_out_people_already_invited(booked):
    invite(booked.conference, name="Samuel Okafor", email="SAM.OKAFOR@council.example")
    names = {s["name"] for s in invitations.invitees_suggest(conference=booked.conference)}
    assert "Sam Okafor" not in names and "Jo Ashdown" in names


def test_adding_from_the_record_keeps_history_and_refuses_a_second_time(booked):
    conference = booked.conference
    keys = [s["key"] for s in invitations.invitees_suggest(conference=conference)]
    added = invitations.invitees_add_from_record(
        conference=conference, by=booked.business_support, keys=keys
    )
    assert len(added) == 4 and conference.invitees.count() == 4
    record = added[0].history.get()
    assert (record.history_user, record.history_change_reason) == (
        booked.business_support,
        "Invitee added",
    )
    with pytest.raises(ValidationError) as refused:
        invitations.invitees_add_from_record(
            conference=conference, by=booked.business_support, keys=keys[:1]
        )
    assert "already" in str(refused.value)
    assert invitations.invitees_suggest(conference=conference) == []


def test_an_invitee_needs_an_email_or_a_postal_address(booked):
    with pytest.raises(ValidationError) as refused:
        invitations.invitee_add(
            conference=booked.conference,
            by=booked.business_support,
            name="Dr Ada Pryce",
            agency=Attendance.Agency.GP,
            role="GP",
        )
    assert refused.value.message_dict == {
        "email": ["Enter an email address or a postal address, so they can be invited"]
    }
    assert not booked.conference.invitees.exists()


def test_no_one_is_added_to_a_cancelled_conference(booked):
    Conference.objects.filter(pk=booked.conference.pk).update(status=Conference.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled, so no one can be added"):
        invitations.invitee_add(
            conference=booked.conference,
            by=booked.business_support,
            name="PC Dawn Hale",
            agency=Attendance.Agency.POLICE,
            role="Police officer",
            email="dawn.hale@police.example",
        )


# -- invitations -------------------------------------------------------------------------------


def test_invitations_are_emailed_once_with_a_calendar_file(booked):
    conference = booked.conference
    police = invite(conference, name="PC Dawn Hale", email="dawn.hale@police.example")
    by_post = invite(conference, name="Lee Ashdown", email="", postal_address="12 Canal Street")

    sent = invitations.invitations_send(conference=conference, by=booked.business_support, now=NOW)

    assert sent.emailed == [police] and sent.letters == [by_post] and sent.failed == []
    (message,) = mail.outbox
    assert message.to == ["dawn.hale@police.example"]
    assert message.subject == (
        "Invitation: child protection conference on Wednesday 17 March 2027 at 10am"
    )
    police.refresh_from_db()
    assert (police.invited_at, police.invited_by) == (NOW, Invitee.Method.EMAIL)
    assert police.history.first().history_change_reason == "Invitation emailed"
    by_post.refresh_from_db()
    assert by_post.invited_at is None  # invited when the letter is printed

    again = invitations.invitations_send(conference=conference, by=booked.business_support, now=NOW)
    assert again.emailed == [] and len(mail.outbox) == 1


def test_the_calendar_file_reads_back_as_a_request_for_the_booking(booked, world, settings):
    settings.DEFAULT_FROM_EMAIL = "iro-business-support@northshire.example"
    conference = booked.conference
    invite(conference, name="PC Dawn Hale", email="dawn.hale@police.example")
    invitations.invitations_send(conference=conference, by=booked.business_support, now=NOW)

    (message,) = mail.outbox
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    (part,) = [p for p in parsed.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST" and part.get_filename() == "invitation.ics"
    (_, calendar) = calendar_parts(message)[0]
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"conference-{conference.pk}@northshire.example"
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)  # 17 March: GMT
    assert event.decoded("DTEND") == STARTS + dt.timedelta(hours=2)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    assert event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]) == "mailto:iro-business-support@northshire.example"
    assert str(event["ATTENDEE"]) == "mailto:dawn.hale@police.example"  # no one else named
    assert (
        str(event["LOCATION"]) == "Northbridge Children's Centre, 1 Mill Lane, Northbridge, NB1 2AB"
    )
    summary = str(event["SUMMARY"])
    assert summary == f"Child protection conference (CPC-{conference.pk:06d})"
    # Email is not secure: neither the email nor its calendar entry names a child.
    for text in (summary, str(event["DESCRIPTION"]), message.body, message.subject):
        for name in (world.child.first_name, world.sibling.first_name, "Ashdown"):
            assert name not in text


def test_a_summer_conference_is_at_its_london_time(booked, world):
    summer = book(world, starts=dt.datetime(2027, 7, 7, 14, 30, tzinfo=STARTS.tzinfo))
    content = ics.calendar(summer, method=ics.REQUEST, now=NOW)
    event = event_of(icalendar.Calendar.from_ical(content))
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2027, 7, 7, 13, 30, tzinfo=dt.UTC
    )
    assert "DTSTART;TZID=Europe/London:20270707T143000" in content.decode()


def test_an_online_conference_gives_its_link_as_the_location(booked, world):
    online = book(world, is_virtual=True, meeting_link="https://meet.example/cpc-1")
    online.venue = None
    online.save()
    event = event_of(
        icalendar.Calendar.from_ical(ics.calendar(online, method=ics.REQUEST, now=NOW))
    )
    assert str(event["LOCATION"]) == "https://meet.example/cpc-1"
    assert str(event["URL"]) == "https://meet.example/cpc-1"


@override_settings(EMAIL_BACKEND="tests.conferences.test_invitations_services.FailingBackend")
def test_an_email_that_fails_is_not_recorded_and_is_tried_again(booked, caplog):
    conference = booked.conference
    bounced = invite(conference, name="A Bounce", email=FAILING_ADDRESS)
    fine = invite(conference, name="PC Dawn Hale", email="dawn.hale@police.example")

    sent = invitations.invitations_send(conference=conference, by=booked.business_support, now=NOW)

    assert sent.emailed == [fine] and sent.failed == [bounced]
    bounced.refresh_from_db()
    assert bounced.invited_at is None and not bounced.history.filter(invited_at__isnull=False)
    assert FAILING_ADDRESS not in caplog.text  # the log names no one
    assert "SMTPRecipientsRefused" in caplog.text


def test_invitations_are_not_sent_for_a_conference_that_has_started(booked):
    invite(booked.conference)
    later = STARTS + dt.timedelta(minutes=5)
    with pytest.raises(ValidationError, match="already started"):
        invitations.invitations_send(
            conference=booked.conference, by=booked.business_support, now=later
        )
    assert mail.outbox == []


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "letters.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


def test_people_without_email_get_a_letter_a_page_each_recorded_when_printed(booked, tmp_path):
    conference = booked.conference
    invite(conference, name="Dawn Hale", email="dawn.hale@police.example")
    lee = invite(
        conference,
        name="Lee Ashdown",
        agency=Attendance.Agency.FAMILY,
        role="Father",
        email="",
        postal_address="12 Canal Street\nNorthbridge\nNB3 4CD",
    )
    gp = invite(
        conference,
        name="Dr Ada Pryce",
        agency="gp",
        role="GP",
        email="",
        postal_address="The Surgery",
    )

    content = invitations.letters_print(conference=conference, by=booked.business_support, now=NOW)

    pages = pdf_pages(content, tmp_path)
    assert len(pages) == 2
    assert "Dr Ada Pryce" in pages[0] and "Lee Ashdown" in pages[1]
    father = pages[1]
    for expected in ("NB3 4CD", "Wednesday 17 March 2027", "10am", "Northbridge Children's Centre"):
        assert expected in father
    assert "Robin Ashdown" in father and "Sky Ashdown" in father  # by post, the children are named
    assert "Your views matter" in father and "Your views matter" not in pages[0]
    for invitee in (lee, gp):
        invitee.refresh_from_db()
        assert (invitee.invited_at, invitee.invited_by) == (NOW, Invitee.Method.LETTER)
    assert conference.invitees.get(name="Dawn Hale").invited_at is None  # emailed, not lettered
    with pytest.raises(ValidationError, match="no letters to print"):
        invitations.letters_print(conference=conference, by=booked.business_support, now=NOW)
    assert len(pdf_pages(invitations.letters_reprint(conference=conference), tmp_path)) == 2


# -- telling invitees of a change ------------------------------------------------------------


def _invited(setup) -> tuple[Invitee, Invitee]:
    conference = setup.conference
    emailed = invite(conference, name="PC Dawn Hale", email="dawn.hale@police.example")
    posted = invite(conference, name="Lee Ashdown", email="", postal_address="12 Canal Street")
    invitations.invitations_send(conference=conference, by=setup.business_support, now=NOW)
    invitations.letters_print(conference=conference, by=setup.business_support, now=NOW)
    mail.outbox.clear()
    return emailed, posted


def test_a_cancellation_is_emailed_with_a_cancelling_calendar_file_once(booked, world):
    emailed, posted = _invited(booked)
    conference = booked.conference
    booking.conference_cancel(
        conference=conference,
        reason="no_longer_needed",
        note="",
        by=booked.business_support,
        now=NOW,
    )
    # The booking service tells everyone on commit (pytest-django runs tests in a transaction).
    told = invitations.invitees_tell_of_change(old=conference, by=booked.business_support, now=NOW)

    assert told.emailed == [emailed] and told.letters == [posted]
    (message,) = mail.outbox
    assert message.subject == "Cancelled: child protection conference on Wednesday 17 March 2027"
    ((filename, calendar),) = calendar_parts(message)
    event = event_of(calendar)
    assert filename == "cancelled.ics" and calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == ics.uid(conference) and event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    emailed.refresh_from_db()
    assert emailed.told_of_change_at == NOW

    again = invitations.invitees_tell_of_change(old=conference, by=booked.business_support, now=NOW)
    assert again.emailed == [] and len(mail.outbox) == 1
    # The letter to the father is printed from the cancelled booking's page.
    ((letter, _records),) = invitations.letters_pending(Conference.objects.get(pk=conference.pk))
    assert letter.kind == "cancelled" and letter.invitee == posted


def test_cancelling_through_the_booking_service_tells_the_invitees(
    booked, django_capture_on_commit_callbacks
):
    emailed, _posted = _invited(booked)
    with django_capture_on_commit_callbacks(execute=True):
        booking.conference_cancel(
            conference=booked.conference,
            reason="no_longer_needed",
            note="",
            by=booked.business_support,
            now=NOW,
        )
    assert [m.to for m in mail.outbox] == [[emailed.email]]


def test_a_rearrangement_moves_the_invitees_and_sends_the_new_invitation(booked, world):
    emailed, posted = _invited(booked)
    old = booked.conference
    report = ReportRequest.objects.create(conference=old, author=emailed, requested_at=NOW)
    Conference.objects.filter(pk=old.pk).update(
        status=Conference.Status.REARRANGED, adjournment_reason="chair_unavailable"
    )
    new = book(world, starts=STARTS + dt.timedelta(days=7), rearranged_from=old)

    told = invitations.invitees_tell_of_change(
        old=old, new=new, by=booked.business_support, now=NOW
    )

    assert told.emailed == [emailed] and told.letters == [posted]
    (message,) = mail.outbox
    assert message.subject == (
        "Rearranged: child protection conference now on Wednesday 24 March 2027 at 10am"
    )
    calendars = dict(calendar_parts(message))
    invitation, cancelled = calendars["invitation.ics"], calendars["cancelled.ics"]
    assert invitation["METHOD"] == "REQUEST" and cancelled["METHOD"] == "CANCEL"
    assert str(event_of(invitation)["UID"]) == ics.uid(new) != ics.uid(old)
    assert str(event_of(cancelled)["UID"]) == ics.uid(old)
    assert event_of(invitation).decoded("DTSTART") == STARTS + dt.timedelta(days=7)

    copies = {i.name: i for i in new.invitees.all()}
    assert set(copies) == {"PC Dawn Hale", "Lee Ashdown"}
    assert (copies["PC Dawn Hale"].invited_at, copies["PC Dawn Hale"].invited_by) == (NOW, "email")
    assert copies["Lee Ashdown"].invited_at is None  # until the change letter is printed
    moved = new.report_requests.get()
    assert (moved.author, moved.requested_at) == (copies["PC Dawn Hale"], report.requested_at)

    # The father's letter, printed from the new booking, says it moved, and marks him told.
    ((letter, _records),) = invitations.letters_pending(new)
    assert letter.kind == "rearranged"
    invitations.letters_print(conference=new, by=booked.business_support, now=NOW)
    posted.refresh_from_db()
    assert posted.told_of_change_at == NOW
    assert new.invitees.get(name="Lee Ashdown").invited_by == Invitee.Method.LETTER
    assert invitations.letters_pending(Conference.objects.get(pk=old.pk)) == []


def test_a_booking_still_booked_has_no_change_to_tell(booked):
    with pytest.raises(ValidationError, match="only once the booking is cancelled"):
        invitations.invitees_tell_of_change(
            old=booked.conference, by=booked.business_support, now=NOW
        )


def test_a_family_member_keeps_history_and_is_never_deleted(booked):
    from iro_service.records import HardDeleteRefused

    mother = booked.mother
    mother.email = "jo.ashdown@family.example"
    mother.save()
    assert mother.history.count() == 2
    with pytest.raises(HardDeleteRefused):
        mother.delete()
    assert str(mother) == "Jo Ashdown (Mother)"
