"""Information leaflets (§8.4): the Senior IRO uploads PDFs for parents and carers and for
children by age; a newer upload replaces one, which is kept; emailed invitations carry the
leaflet that fits the invitee, and go as before when none is uploaded."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conferences.models import Attendance, Conference, Leaflet
from conferences.services import booking, invitations, leaflets
from people.models import Role

from ..factories import InviteeFactory
from ..fixtures import client_for
from .invitation_world import NOW, STARTS, book, booked_world
from .test_invitations_services import pdf_pages

pytestmark = pytest.mark.django_db

LEAFLETS = reverse("conferences:leaflets")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def leaflet_media(settings, tmp_path, monkeypatch):
    """Leaflets go to a temporary private folder (the field's storage is built at start-up)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)
    monkeypatch.setattr(Leaflet._meta.get_field("file"), "storage", storage)
    return tmp_path


def pdf(name="leaflet.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, audience, file):
    with time_machine.travel(NOW, tick=False):
        return client.post(LEAFLETS, {"audience": audience, "file": file})


# -- uploading -------------------------------------------------------------------------------


def test_the_senior_iro_uploads_a_leaflet_kept_outside_public_media(world, leaflet_media):
    senior = client_for(world.users[Role.SENIOR_IRO])
    response = upload(senior, "parents", pdf("For parents.pdf"))
    assert response.status_code == 302
    leaflet = Leaflet.objects.get()
    assert (leaflet.audience, leaflet.original_name, leaflet.size) == (
        "parents",
        "For parents.pdf",
        len(PDF),
    )
    stored = leaflet_media / "private" / leaflet.file.name
    assert stored.read_bytes() == PDF
    assert not (leaflet_media / "media").exists() or not any((leaflet_media / "media").rglob("*"))
    page = senior.get(LEAFLETS).text
    assert "For parents.pdf" in page
    download = senior.get(reverse("conferences:leaflet_file", args=[leaflet.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(world):
    senior = client_for(world.users[Role.SENIOR_IRO])
    response = upload(senior, "parents", pdf("leaflet.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert response.status_code == 400
    assert "The file must be a PDF. This file is not one, whatever its name says." in response.text
    assert "Error:" in response.text  # the title and the field say so
    assert not Leaflet.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit(world, settings):
    settings.IRO_UPLOAD_MAX_MB = 1
    senior = client_for(world.users[Role.SENIOR_IRO])
    upload(senior, "parents", pdf())
    big = PDF + b"0" * (1024 * 1024)
    response = upload(senior, "parents", pdf("big.pdf", big))
    assert response.status_code == 400
    assert "The file must be smaller than 1MB." in response.text
    (kept,) = Leaflet.objects.all()  # the one in use is unchanged
    assert kept.replaced_at is None and kept.original_name == "leaflet.pdf"


def test_a_newer_upload_replaces_the_leaflet_in_use_and_keeps_the_old_one(world):
    senior = client_for(world.users[Role.SENIOR_IRO])
    upload(senior, "child_8_to_12", pdf("first.pdf"))
    leaflets.leaflet_upload(
        audience="child_8_to_12",
        upload=pdf("second.pdf"),
        by=world.users[Role.SENIOR_IRO],
        now=NOW + dt.timedelta(days=1),
    )
    old, new = Leaflet.objects.order_by("uploaded_at")
    assert old.replaced_at is not None and new.replaced_at is None
    assert leaflets.leaflets_in_use()["child_8_to_12"] == new
    assert old.file.storage.exists(old.file.name)  # the file is kept too
    assert old.history.first().history_change_reason == "Replaced by a newer leaflet"
    with pytest.raises(Exception, match="never deleted"):
        old.delete()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SENIOR_IRO])
def test_only_the_senior_iro_may_see_or_upload_leaflets(world, role):
    client = client_for(world.users[role])
    assert client.get(LEAFLETS).status_code == 403
    assert upload(client, "parents", pdf()).status_code == 403
    assert not Leaflet.objects.exists()


def test_staff_who_send_invitations_may_download_a_leaflet(world):
    with time_machine.travel(NOW, tick=False):
        leaflet = leaflets.leaflet_upload(
            audience="parents", upload=pdf(), by=world.users[Role.SENIOR_IRO], now=NOW
        )
    url = reverse("conferences:leaflet_file", args=[leaflet.pk])
    assert client_for(world.users[Role.BUSINESS_SUPPORT]).get(url).status_code == 200
    assert client_for(world.users[Role.SENIOR_IRO]).get(url + "x").status_code == 404


# -- invitations -----------------------------------------------------------------------------


def _filenames(message) -> list[str]:
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return [part.get_filename() for part in parsed.iter_attachments()]


def _attachments(message) -> dict[str, bytes]:
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return {
        part.get_filename(): part.get_content()
        for part in parsed.iter_attachments()
        if part.get_content_type() == "application/pdf"
    }


def _leaflet(world, audience, content):
    return leaflets.leaflet_upload(
        audience=audience,
        upload=pdf(content=content),
        by=world.users[Role.SENIOR_IRO],
        now=NOW,
    )


@pytest.fixture
def booked(world):
    with time_machine.travel(NOW, tick=False):
        booked = booked_world(world)
        world.sibling.date_of_birth = dt.date(2022, 5, 1)  # 4 at the conference
        world.sibling.save()
        conference = booked.conference
        InviteeFactory(
            conference=conference,
            name="Jo Ashdown",
            agency=Attendance.Agency.FAMILY,
            role="Mother",
            email="jo@family.example",
        )
        InviteeFactory(
            conference=conference,
            name="Robin Ashdown",  # born June 2015: 11 at the conference
            agency=Attendance.Agency.FAMILY,
            role="Child",
            child=world.child,
            email="robin@family.example",
        )
        InviteeFactory(
            conference=conference,
            name="Sky Ashdown",
            agency=Attendance.Agency.FAMILY,
            role="Child",
            child=world.sibling,
            email="sky@family.example",
        )
        InviteeFactory(conference=conference, name="PC Dawn Hale", email="dawn@police.example")
        yield booked


def _send(booked) -> dict[str, object]:
    with time_machine.travel(NOW, tick=False):
        sent = invitations.invitations_send(
            conference=booked.conference, by=booked.business_support, now=NOW
        )
    assert len(sent.emailed) == 4
    return {message.to[0]: message for message in mail.outbox}


def test_invitations_carry_the_parents_and_the_age_appropriate_leaflet(booked, world):
    with time_machine.travel(NOW, tick=False):
        _leaflet(world, "parents", PDF + b"% parents\n")
        _leaflet(world, "child_under_8", PDF + b"% under 8\n")
        _leaflet(world, "child_8_to_12", PDF + b"% 8 to 12\n")
        _leaflet(world, "child_13_and_over", PDF + b"% 13 and over\n")
    by_address = _send(booked)
    assert _attachments(by_address["jo@family.example"]) == {
        "information-for-parents.pdf": PDF + b"% parents\n"
    }
    assert _attachments(by_address["robin@family.example"]) == {
        "information-for-child-8-to-12.pdf": PDF + b"% 8 to 12\n"
    }
    assert _attachments(by_address["sky@family.example"]) == {
        "information-for-child-under-8.pdf": PDF + b"% under 8\n"
    }
    assert _attachments(by_address["dawn@police.example"]) == {}  # a professional: none
    # The calendar file still goes with each.
    assert all(_filenames(m)[0] == "invitation.ics" for m in mail.outbox)


def test_with_no_leaflet_uploaded_invitations_go_as_before(booked, world):
    with time_machine.travel(NOW, tick=False):
        _leaflet(world, "child_13_and_over", PDF)  # fits nobody invited
    by_address = _send(booked)
    for message in by_address.values():
        assert _attachments(message) == {}
        assert _filenames(message) == ["invitation.ics"]


def test_a_replaced_leaflet_is_no_longer_sent(booked, world):
    with time_machine.travel(NOW, tick=False):
        _leaflet(world, "parents", PDF + b"% old\n")
        _leaflet(world, "parents", PDF + b"% new\n")
    by_address = _send(booked)
    assert _attachments(by_address["jo@family.example"]) == {
        "information-for-parents.pdf": PDF + b"% new\n"
    }


@pytest.mark.parametrize(
    ("age", "audience"),
    [(None, None), (0, "child_under_8"), (7, "child_under_8"), (8, "child_8_to_12")]
    + [(12, "child_8_to_12"), (13, "child_13_and_over"), (17, "child_13_and_over")],
)
def test_the_age_ranges(age, audience):
    assert leaflets.child_audience(age) == audience


@pytest.mark.parametrize(
    ("role", "shown"), [(Role.SENIOR_IRO, True), (Role.BUSINESS_SUPPORT, False)]
)
def test_navigation_offers_the_senior_iro_the_leaflets(world, role, shown):
    text = client_for(world.users[role]).get(reverse("children:search")).text
    nav = text[text.index('id="navigation"') : text.index("</nav>")]
    assert ("Leaflets" in nav) == shown


# -- the new date, and letters ---------------------------------------------------------------


def _leaflets_for_family(world) -> None:
    with time_machine.travel(NOW, tick=False):
        _leaflet(world, "parents", PDF + b"% parents\n")
        _leaflet(world, "child_8_to_12", PDF + b"% 8 to 12\n")


def test_a_new_date_carries_the_leaflet_an_invitation_would_and_a_cancellation_none(booked, world):
    _leaflets_for_family(world)
    _send(booked)
    old = booked.conference
    with time_machine.travel(NOW, tick=False):
        Conference.objects.filter(pk=old.pk).update(
            status=Conference.Status.REARRANGED, adjournment_reason="chair_unavailable"
        )
        new = book(world, starts=STARTS + dt.timedelta(days=7), rearranged_from=old)
        mail.outbox.clear()
        invitations.invitees_tell_of_change(old=old, new=new, by=booked.business_support, now=NOW)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert _attachments(by_address["jo@family.example"]) == {
        "information-for-parents.pdf": PDF + b"% parents\n"
    }
    assert _attachments(by_address["robin@family.example"]) == {
        "information-for-child-8-to-12.pdf": PDF + b"% 8 to 12\n"
    }
    assert _attachments(by_address["dawn@police.example"]) == {}

    with time_machine.travel(NOW, tick=False):
        booking.conference_cancel(
            conference=new, reason="no_longer_needed", note="", by=booked.business_support, now=NOW
        )
        mail.outbox.clear()
        invitations.invitees_tell_of_change(old=new, by=booked.business_support, now=NOW)
    assert mail.outbox and all(_attachments(message) == {} for message in mail.outbox)


def test_letters_name_the_leaflet_they_enclose_and_the_page_says_how_many_to_print(
    booked, world, tmp_path
):
    _leaflets_for_family(world)
    conference = booked.conference
    for name, agency, role in (
        ("Lee Ashdown", Attendance.Agency.FAMILY, "Father"),
        ("Kim Ashdown", Attendance.Agency.FAMILY, "Grandmother"),
        ("Dr Ada Pryce", "gp", "GP"),
    ):
        InviteeFactory(
            conference=conference,
            name=name,
            agency=agency,
            role=role,
            email="",
            postal_address="12 Canal Street\nNorthbridge",
        )
    business_support = client_for(booked.business_support)
    with time_machine.travel(NOW, tick=False):
        page = business_support.get(
            reverse("conferences:invitees_letters", args=[conference.pk])
        ).text
        content = invitations.letters_print(
            conference=conference, by=booked.business_support, now=NOW
        )
    parents = Leaflet.objects.get(audience="parents")
    assert "2 copies of the leaflet for parents and carers" in page
    assert reverse("conferences:leaflet_file", args=[parents.pk]) in page
    assert "children 8 to 12" not in page  # the children are emailed, not written to
    pages = {
        next(name for name in ("Lee", "Kim", "Ada") if name in text): text
        for text in pdf_pages(content, tmp_path)
    }
    assert "Enclosed: information leaflet for parents and carers" in pages["Lee"]
    assert "Enclosed: information leaflet for parents and carers" in pages["Kim"]
    assert "Enclosed" not in pages["Ada"]
