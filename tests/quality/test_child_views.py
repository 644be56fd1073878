"""The child's views: a one-time link made before a booked conference (emailed to the social
worker, or shown once to copy), words and/or a picture sent through it, the upload checked by
its content and re-encoded, and the picture read only by those who may see the child."""

import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conferences.models import Conference
from people.models import Role
from quality_assurance.models import ChildView, OneTimeLink
from tests.factories import ChildFactory, UserFactory

from .test_feedback_helpers import (
    EXE_BYTES,
    NOW,
    PDF_BYTES,
    _fresh_cache,
    booked_conference,
    jpeg_with_exif,
    png_bytes,
    private_media,
    views_link,
)

pytestmark = pytest.mark.django_db
__all__ = ["_fresh_cache", "private_media"]

MAKERS = ["business_support", "senior_iro", "iro"]  # the IRO chairs the conference
REFUSED = ["district_manager", "directorate_manager", "auditor"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def booked(world):
    return booked_conference(world)


def page(conference):
    return reverse("quality:views_link", args=[conference.pk])


def upload(name: str, content: bytes, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# Making the link


@pytest.mark.parametrize("role", MAKERS)
def test_business_support_and_the_chair_make_a_link_emailed_to_the_social_worker(
    booked, clients, world, role
):
    response = clients[role].get(page(booked))
    assert response.status_code == 200
    assert "sam.social@council.example" in response.content.decode()
    made = clients[role].post(page(booked), {"child": world.child.pk, "email_social_worker": "on"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    text = made.content.decode()
    link = OneTimeLink.objects.get(purpose=OneTimeLink.Purpose.CHILD_VIEWS)
    assert (link.child, link.conference, link.created_by) == (
        world.child,
        booked,
        world.users[role],
    )
    assert link.sent_by == "email"
    shown = re.search(r'value="(http://testserver/respond/views/[^"]+/)"', text).group(1)
    [message] = mail.outbox
    assert message.to == ["sam.social@council.example"]
    assert shown in message.body
    assert Client().get(shown.removeprefix("http://testserver")).status_code == 200


def test_without_email_the_link_is_only_shown(booked, clients, world):
    made = clients["business_support"].post(page(booked), {"child": world.sibling.pk})
    assert made.status_code == 200
    assert "/respond/views/" in made.content.decode()
    assert mail.outbox == []
    assert OneTimeLink.objects.get().sent_at is None


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_make_a_link(booked, clients, world, role):
    assert clients[role].get(page(booked)).status_code == 403
    assert clients[role].post(page(booked), {"child": world.child.pk}).status_code == 403
    assert not OneTimeLink.objects.exists()


def test_an_iro_who_is_not_the_chair_may_not_and_another_district_does_not_find_it(
    booked, clients, world
):
    other_iro = UserFactory(username="other_iro", role=Role.IRO)
    client = Client()
    client.force_login(other_iro)
    assert client.get(page(booked)).status_code == 403
    assert clients["other_district_manager"].get(page(booked)).status_code == 404
    assert not OneTimeLink.objects.exists()


def test_one_link_per_child_and_only_for_children_considered(booked, clients, world):
    clients["business_support"].post(page(booked), {"child": world.child.pk})
    again = clients["business_support"].post(page(booked), {"child": world.child.pk})
    assert again.status_code == 200
    assert "who does not have a link yet" in again.content.decode()
    outsider = ChildFactory(household=world.child.household)
    refused = clients["business_support"].post(page(booked), {"child": outsider.pk})
    assert "who does not have a link yet" in refused.content.decode()
    assert OneTimeLink.objects.count() == 1


def test_no_link_once_the_conference_is_held(booked, clients, world):
    Conference.objects.filter(pk=booked.pk).update(status=Conference.Status.HELD)
    response = clients["business_support"].get(page(booked))
    assert "can no longer be asked for" in response.content.decode()
    clients["business_support"].post(page(booked), {"child": world.child.pk})
    assert not OneTimeLink.objects.exists()


# Sending views


def send(token, data):
    return Client().post(reverse("respond:views", args=[token]), data)


def test_the_childs_page_names_nobody(booked, world):
    _, token = views_link(booked, world.child)
    text = Client().get(reverse("respond:views", args=[token])).content.decode()
    assert "Sunday 20 December 2026" in text
    assert world.child.first_name not in text and world.child.last_name not in text


def test_words_alone_are_saved_and_the_link_used(booked, world):
    link, token = views_link(booked, world.child)
    assert send(token, {"words": "I want to stay with my nan."}).status_code == 302
    view = ChildView.objects.get()
    assert (view.child, view.conference, view.link) == (world.child, booked, link)
    assert view.words == "I want to stay with my nan."
    assert not view.picture
    assert view.history.count() == 1
    link.refresh_from_db()
    assert link.used_at == NOW
    assert send(token, {"words": "Again"}).status_code == 410
    assert ChildView.objects.count() == 1


def test_nothing_sent_is_refused(booked, world):
    link, token = views_link(booked, world.child)
    response = send(token, {"words": "  "})
    assert response.status_code == 200
    assert "Write something, or choose a picture" in response.content.decode()
    assert not ChildView.objects.exists()


def test_a_jpeg_is_re_encoded_without_its_exif(booked, world, private_media):
    original = jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif()  # the test file does carry EXIF
    _, token = views_link(booked, world.child)
    assert send(token, {"picture": upload("photo.jpg", original, "image/jpeg")}).status_code == 302
    view = ChildView.objects.get()
    assert view.picture_type == "image/jpeg"
    assert view.picture.name.endswith(".jpg")
    assert str(private_media) in view.picture.path
    stored = view.picture.read()
    assert b"SpyCam" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as after:
        assert not after.getexif()
        assert after.size == (40, 30)


def test_a_png_is_re_encoded(booked, world, private_media):
    _, token = views_link(booked, world.child)
    assert send(token, {"picture": upload("drawing.png", png_bytes())}).status_code == 302
    view = ChildView.objects.get()
    assert view.picture_type == "image/png"
    with Image.open(view.picture.path) as stored:
        assert stored.format == "PNG"


def test_a_file_named_png_that_is_a_pdf_is_stored_as_the_pdf_it_is(booked, world, private_media):
    _, token = views_link(booked, world.child)
    assert send(token, {"picture": upload("picture.png", PDF_BYTES)}).status_code == 302
    view = ChildView.objects.get()
    assert view.picture_type == "application/pdf"
    assert view.picture.name.endswith(".pdf")
    assert view.picture.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("picture.png", EXE_BYTES),
        ("picture.jpg", b"<script>alert(1)</script>"),
        ("picture.png", b"\x89PNG\r\n\x1a\n" + b"not really a png"),
        ("letter.pdf", b"PDF-1.4 without its percent"),
    ],
    ids=["exe-named-png", "html-named-jpg", "broken-png", "not-a-pdf"],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_saved(
    booked, world, private_media, name, content
):
    link, token = views_link(booked, world.child)
    response = send(token, {"words": "Hello", "picture": upload(name, content)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert not ChildView.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None
    assert not any(private_media.rglob("*.*")) if private_media.exists() else True


def test_a_file_over_the_size_limit_is_refused(booked, world, private_media, settings):
    settings.IRO_UPLOAD_MAX_MB = 1
    _, token = views_link(booked, world.child)
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = send(token, {"picture": upload("big.pdf", big, "application/pdf")})
    assert "smaller than 1MB" in response.content.decode()
    assert not ChildView.objects.exists()


# Reading the picture


@pytest.fixture
def picture_view(booked, world, private_media):
    _, token = views_link(booked, world.child)
    send(token, {"picture": upload("drawing.png", png_bytes())})
    return ChildView.objects.get()


@pytest.mark.parametrize(
    "role",
    ["iro", "senior_iro", "business_support", "district_manager", "directorate_manager", "auditor"],
)
def test_those_who_may_see_the_child_see_the_picture(picture_view, clients, role):
    response = clients[role].get(reverse("quality:child_view_picture", args=[picture_view.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_another_district_and_the_public_do_not(picture_view, clients):
    url = reverse("quality:child_view_picture", args=[picture_view.pk])
    assert clients["other_district_manager"].get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/sign-in/" in anonymous["Location"]
    assert (
        clients["iro"].get(reverse("quality:child_view_picture", args=[99999])).status_code == 404
    )


def test_the_chair_sees_the_views_with_the_conference(picture_view, clients, booked, world):
    _, token = views_link(booked, world.sibling)
    send(token, {"words": "School is good."})
    text = clients["iro"].get(page(booked)).content.decode()
    assert "Views received" in text
    assert "School is good." in text
    assert reverse("quality:child_view_picture", args=[picture_view.pk]) in text


# The API


def api(conference):
    return f"/api/conferences/{conference.pk}/child-views-links/"


@pytest.mark.parametrize("role", MAKERS)
def test_the_api_makes_a_views_link(booked, clients, world, role):
    response = clients[role].post(
        api(booked), {"child": world.child.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["url"].startswith("http://testserver/respond/views/")
    assert body["emailed_to"] == "sam.social@council.example"
    assert len(body["code"].replace(" ", "")) == 10
    again = clients[role].post(
        api(booked), {"child": world.child.pk}, content_type="application/json"
    )
    assert again.status_code == 400
    assert "already made" in again.json()["child"][0]


@pytest.mark.parametrize("role", REFUSED)
def test_the_api_refuses_other_roles(booked, clients, world, role):
    response = clients[role].post(
        api(booked), {"child": world.child.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not OneTimeLink.objects.exists()


def test_the_api_other_district_and_bad_child(booked, clients, world):
    assert (
        clients["other_district_manager"]
        .post(api(booked), {"child": world.child.pk}, content_type="application/json")
        .status_code
        == 404
    )
    bad = clients["business_support"].post(
        api(booked), {"child": world.south_child.pk}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "not being considered" in bad.json()["child"][0]
    assert not OneTimeLink.objects.exists()


def test_a_pdf_is_downloaded_not_opened(booked, world, private_media, clients):
    _, token = views_link(booked, world.child)
    send(token, {"picture": upload("letter.pdf", PDF_BYTES, "application/pdf")})
    view = ChildView.objects.get()
    response = clients["iro"].get(reverse("quality:child_view_picture", args=[view.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF_BYTES
