"""A conference's invitees and reports pages, for each role: business support and the Senior
IRO write; IROs, the district's manager and auditors read; the other district's manager finds
nothing there."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from conferences.models import Attendance, Invitee, ReportRequest
from people.models import Role

from ..factories import InviteeFactory
from ..fixtures import client_for
from .invitation_world import NOW, booked_world

pytestmark = pytest.mark.django_db

WRITERS = [Role.BUSINESS_SUPPORT, Role.SENIOR_IRO]
READERS = [Role.IRO, Role.DISTRICT_MANAGER, Role.AUDITOR, Role.DIRECTORATE_MANAGER]


@pytest.fixture
def booked(world):
    with time_machine.travel(NOW, tick=False):
        yield booked_world(world)


def url(name: str, booked, *args) -> str:
    return reverse(f"conferences:{name}", args=[booked.conference.pk, *args])


def as_user(world, role):
    return client_for(world.users[role])


def test_business_support_adds_invites_and_prints_for_a_conference(booked, world):
    client = as_user(world, Role.BUSINESS_SUPPORT)
    page = client.get(url("invitees", booked))
    assert page.status_code == 200
    assert "Add from the children" in page.content.decode()

    chosen = client.get(url("invitees_from_record", booked)).content.decode()
    assert "Jo Ashdown" in chosen and "Sam Okafor" in chosen
    keys = [f"family-{booked.mother.pk}", f"family-{booked.father.pk}"]
    response = client.post(url("invitees_from_record", booked), {"keys": keys})
    assert response.status_code == 302
    assert set(booked.conference.invitees.values_list("name", flat=True)) == {
        "Jo Ashdown",
        "Lee Ashdown",
    }

    confirm = client.get(url("invitees_send", booked)).content.decode()
    assert "By email, with a calendar file" in confirm and "jo@family.example" in confirm
    assert "By letter" in confirm and "Lee Ashdown" in confirm
    followed = client.post(url("invitees_send", booked), follow=True)
    assert "Emailed 1 person: Jo Ashdown." in followed.content.decode()
    assert [m.to for m in mail.outbox] == [["jo@family.example"]]

    letters = client.get(url("invitees_letters", booked))
    assert "Download 1 letter (PDF)" in letters.content.decode()
    pdf = client.post(url("invitees_letters_pdf", booked))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert booked.conference.invitees.get(name="Lee Ashdown").invited_by == Invitee.Method.LETTER
    listing = client.get(url("invitees", booked)).content.decode()
    assert "Printed letter" in listing and "Email with a calendar file" in listing
    assert "Not yet invited" not in listing


def test_adding_an_invitee_without_a_way_to_reach_them_shows_the_error(booked, world):
    client = as_user(world, Role.SENIOR_IRO)
    response = client.post(
        url("invitees_add", booked), {"name": "Dr Ada Pryce", "role": "GP", "agency": "gp"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert 'href="#id_email"' in text and "Enter an email address or a postal address" in text
    assert "– Error –" in text.split("</title>")[0]
    assert not booked.conference.invitees.exists()

    ok = client.post(
        url("invitees_add", booked),
        {"name": "Dr Ada Pryce", "role": "GP", "agency": "gp", "postal_address": "The Surgery"},
    )
    assert ok.status_code == 302
    assert booked.conference.invitees.get().postal_address == "The Surgery"


def test_reports_are_asked_for_and_recorded_as_received(booked, world):
    author = InviteeFactory(conference=booked.conference, name="PC Dawn Hale")
    InviteeFactory(conference=booked.conference, name="Jo Ashdown", agency=Attendance.Agency.FAMILY)
    client = as_user(world, Role.BUSINESS_SUPPORT)
    form = client.get(url("reports_request", booked)).content.decode()
    assert "PC Dawn Hale" in form and "Jo Ashdown" not in form  # parents give views, not reports
    with time_machine.travel(NOW, tick=False):
        assert (
            client.post(url("reports_request", booked), {"authors": [author.pk]}).status_code == 302
        )
    report = ReportRequest.objects.get()
    assert mail.outbox[-1].to == [author.email]

    with time_machine.travel(NOW, tick=False):
        page = client.get(url("reports_received", booked, report.pk)).content.decode()
        assert 'value="09:00"' in page  # defaults to now
        response = client.post(
            url("reports_received", booked, report.pk),
            {"day_day": "1", "day_month": "3", "day_year": "2027", "time": "08:15"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.received_at.isoformat() == "2027-03-01T08:15:00+00:00"


def test_a_time_in_the_future_is_shown_on_the_date(booked, world):
    author = InviteeFactory(conference=booked.conference)
    report = ReportRequest.objects.create(conference=booked.conference, author=author)
    client = as_user(world, Role.BUSINESS_SUPPORT)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            url("reports_shared", booked, report.pk),
            {"day_day": "2", "day_month": "3", "day_year": "2027", "time": "10:00"},
        )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()


@pytest.mark.parametrize("role", WRITERS + READERS)
def test_every_reader_sees_the_invitees_of_their_districts_conference(booked, world, role):
    InviteeFactory(conference=booked.conference, name="PC Dawn Hale")
    page = as_user(world, role).get(url("invitees", booked))
    assert page.status_code == 200
    text = page.content.decode()
    assert "PC Dawn Hale" in text
    assert ("Add an invitee" in text) == (role in WRITERS)


@pytest.mark.parametrize("role", READERS)
def test_readers_may_not_change_anything(booked, world, role):
    invitee = InviteeFactory(conference=booked.conference)
    report = ReportRequest.objects.create(conference=booked.conference, author=invitee)
    client = as_user(world, role)
    for name, args in [
        ("invitees_add", ()),
        ("invitees_from_record", ()),
        ("invitees_send", ()),
        ("invitees_letters", ()),
        ("reports_request", ()),
        ("reports_received", (report.pk,)),
    ]:
        assert client.get(url(name, booked, *args)).status_code == 403, name
    for name, args in [
        ("invitees_add", ()),
        ("invitees_send", ()),
        ("invitees_letters_pdf", ()),
        ("invitees_tell", ()),
        ("reports_request", ()),
        ("reports_shared", (report.pk,)),
    ]:
        assert client.post(url(name, booked, *args)).status_code == 403, name
    assert mail.outbox == []
    invitee.refresh_from_db()
    assert invitee.invited_at is None


def test_another_districts_manager_finds_nothing_there(booked, world):
    invitee = InviteeFactory(conference=booked.conference)
    report = ReportRequest.objects.create(conference=booked.conference, author=invitee)
    client = as_user(world, "other_district_manager")
    assert client.get(url("invitees", booked)).status_code == 404
    assert client.post(url("invitees_send", booked)).status_code == 404
    assert client.post(url("reports_received", booked, report.pk)).status_code == 404
    missing = reverse("conferences:invitees", args=[booked.conference.pk + 1000])
    assert as_user(world, Role.BUSINESS_SUPPORT).get(missing).status_code == 404


def test_a_report_of_another_conference_is_not_found_through_this_one(booked, world):
    from .invitation_world import book

    other = book(world)
    report = ReportRequest.objects.create(conference=other, author=InviteeFactory(conference=other))
    client = as_user(world, Role.BUSINESS_SUPPORT)
    assert client.get(url("reports_received", booked, report.pk)).status_code == 404


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_invitees_page_takes_as_many_queries_for_many_invitees_as_for_few(booked, world):
    client = as_user(world, Role.BUSINESS_SUPPORT)

    def add(count):
        for _ in range(count):
            invitee = InviteeFactory(conference=booked.conference)
            ReportRequest.objects.create(conference=booked.conference, author=invitee)
            InviteeFactory(conference=booked.conference, email="", postal_address="1 Street")

    add(2)
    few = _queries(client, url("invitees", booked))
    add(8)
    assert _queries(client, url("invitees", booked)) == few


def test_a_cancelled_conferences_page_offers_the_letters_telling_of_it(booked, world):
    from conferences.models import Conference
    from conferences.services import invitations

    InviteeFactory(conference=booked.conference, email="", postal_address="1 Street", name="Lee")
    InviteeFactory(conference=booked.conference, name="Dawn")
    with time_machine.travel(NOW, tick=False):
        invitations.invitations_send(
            conference=booked.conference, by=booked.business_support, now=NOW
        )
        invitations.letters_print(conference=booked.conference, by=booked.business_support, now=NOW)
    Conference.objects.filter(pk=booked.conference.pk).update(
        status=Conference.Status.CANCELLED, cancellation_reason="booked_in_error"
    )
    client = as_user(world, Role.BUSINESS_SUPPORT)
    page = client.get(url("invitees", booked)).content.decode()
    assert "1 invited by post still to be told of the change" in page
    assert "1 invited by email not yet told" in page  # the booking service had not told them
    mail.outbox.clear()
    assert client.post(url("invitees_tell", booked)).status_code == 302
    assert [m.subject for m in mail.outbox] == [
        "Cancelled: child protection conference on Wednesday 17 March 2027"
    ]
    letters = client.get(url("invitees_letters", booked)).content.decode()
    assert "the conference is cancelled" in letters
    assert client.post(url("invitees_letters_pdf", booked))["Content-Type"] == "application/pdf"
    assert "still to be told" not in client.get(url("invitees", booked)).content.decode()
