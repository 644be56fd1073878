"""Every address the service answers, asked by someone not signed in: the pages send them to
sign in and the API refuses them, except the few meant for people without an account (sign
in, and the parents' and children's one-time link pages). A page added later is covered
without anyone remembering to add it here; one made public by mistake fails this test."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .routes import named_routes

pytestmark = pytest.mark.django_db

# Meant for people without an account (quality_assurance.public_urls, conferences.portal_urls),
# and signing in.
PUBLIC = {
    "login",
    "respond:start",
    "respond:feedback_by_code",
    "respond:feedback",
    "respond:views_by_code",
    "respond:views",
    "respond:thanks",
    # The document portal (conferences.portal_urls): an agency's and a family's own links.
    "portal:upload",
    "portal:upload_form",
    "portal:upload_check",
    "portal:sent",
    "portal:family",
    "portal:family_document",
    "admin:login",  # Django's admin's own sign-in page (for superusers only)
    "health",  # for healthchecks: says "ok" or what was not reached, nothing else
}
# The development outbox answers 404 to anyone but signed-in staff, so it is not there at all.
NOT_THERE = {"outbox:list", "outbox:detail", "outbox:raw", "outbox:attachment"}


def _example(route: str, number: int) -> str:
    """The route with made-up arguments: a real child's id for numbers, a word for the rest."""
    path = re.sub(r"<(?:int|path):\w+>", str(number), route)
    path = re.sub(r"<(?:str|slug):\w+>", "example", path)
    return "/" + path.lstrip("^").rstrip("$")


def _all_routes() -> list[tuple[str, str]]:
    return [(path, name) for path, name in named_routes() if "(?P" not in path]


def test_the_routes_are_found():
    names = {name for _, name in _all_routes()}
    assert {"children:search", "quality:qa_forms_owed", "api:escalation-list"} <= names
    assert PUBLIC <= names and NOT_THERE <= names


@pytest.mark.parametrize(("route", "name"), _all_routes())
def test_nobody_signed_out_gets_in(route, name, world):
    anonymous = Client()
    url = _example(route, world.child.pk)
    response = anonymous.get(url)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 404, 410), (url, response.status_code)
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login")), url
        return
    if name in NOT_THERE:
        assert response.status_code == 404, url
        return
    if url.startswith("/api/"):
        assert response.status_code == 403, (url, response.status_code)
        assert b"Ashdown" not in response.content and b'"results"' not in response.content
        return
    assert response.status_code == 302, (url, response.status_code)
    # The admin site's own views send to its sign-in page, the rest to the service's.
    signs_in = (reverse("login"), reverse("admin:login"))
    assert response.url.startswith(signs_in), (url, response.url)
