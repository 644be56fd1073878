"""Shared set-up for the feedback, child's views and links tests (no tests here): a held and
a booked conference in the north district with family invitees, and links made directly."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from PIL import Image

from conferences.models import Attendance, Conference
from quality_assurance import links
from quality_assurance.models import ChildView, OneTimeLink
from tests.factories import (
    LONDON,
    ConferenceChildFactory,
    ConferenceFactory,
    InviteeFactory,
)

HELD_ON = dt.datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
BOOKED_FOR = dt.datetime(2026, 12, 20, 10, 0, tzinfo=LONDON)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)

ANSWERS = {
    "met_chair_before": "yes",
    "report_received_in_time": "partly",
    "prepared_by_chair": "yes",
    "chaired_clearly_and_respectfully": "yes",
    "could_express_views": "no",
    "could_discuss_views": "yes",
    "clear_what_must_change": "yes",
    "complaints_process_explained": "partly",
    "spoke_to_chair_after": "yes",
    "stress_level": "4",
    "comments": "The chair listened.",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit counts in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_media(settings, tmp_path, monkeypatch):
    """Pictures go to a temporary private folder (the field's storage is built at start-up)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)
    monkeypatch.setattr(ChildView._meta.get_field("picture"), "storage", storage)
    return settings.PRIVATE_MEDIA_ROOT


def held_conference(world, *, kind=Conference.Kind.REVIEW, on=HELD_ON):
    conference = ConferenceFactory(
        kind=kind,
        status=Conference.Status.HELD,
        household=world.child.household,
        scheduled_for=on,
        chair=world.users["iro"],
    )
    ConferenceChildFactory(conference=conference, child=world.child)
    mother = InviteeFactory(
        conference=conference,
        name="Mo Parent",
        agency=Attendance.Agency.FAMILY,
        role="Mother",
        email="mo@family.example",
    )
    father = InviteeFactory(
        conference=conference,
        name="Fred Parent",
        agency=Attendance.Agency.FAMILY,
        role="Father",
        email="",
        postal_address="1 High Street\nNorthbridge\nNB1 1AA",
    )
    police = InviteeFactory(conference=conference, agency=Attendance.Agency.POLICE)
    return conference, mother, father, police


def booked_conference(world, *, on=BOOKED_FOR):
    conference = ConferenceFactory(
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
        household=world.child.household,
        scheduled_for=on,
        chair=world.users["iro"],
    )
    ConferenceChildFactory(conference=conference, child=world.child)
    ConferenceChildFactory(conference=conference, child=world.sibling)
    world.child.social_worker_name = "Sam Social"
    world.child.social_worker_email = "sam.social@council.example"
    world.child.save()
    return conference


def make_link(purpose, conference, *, invitee=None, child=None, now=None):
    """A saved link and its token, made the way the services make them."""
    link, token = links.new_link(
        purpose=purpose,
        conference=conference,
        invitee=invitee,
        child=child,
        now=now or timezone.now(),
    )
    link.save()
    return link, token


def feedback_link(conference, invitee, **kwargs):
    return make_link(OneTimeLink.Purpose.FEEDBACK, conference, invitee=invitee, **kwargs)


def views_link(conference, child, **kwargs):
    return make_link(OneTimeLink.Purpose.CHILD_VIEWS, conference, child=child, **kwargs)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Ltd"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)  # where the photo was taken
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 120, 200, 255)).save(out, format="PNG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
