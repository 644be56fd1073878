"""Dead ends say what to do next: the service's 404 and 500 pages, DEBUG on or off.

`make run` has DEBUG on, and Django would show its technical pages there (the URL list, a
traceback). People trying the service must see what production shows; developers can ask
for the technical pages with DEBUG_TECHNICAL_ERRORS.
"""

import re

import pytest
from django.urls import path

import iro_service.urls
from people.models import Role


def _fails(request):
    raise RuntimeError("the database went away")


# This module is the urlconf of its tests: the service's pages plus one that fails.
urlpatterns = [path("test-failure/", _fails), *iro_service.urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

DEBUG_MODES = pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])


def _h1s(page: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)


@DEBUG_MODES
def test_an_unknown_address_gets_the_service_page_not_found(settings, clients, debug):
    settings.DEBUG = debug
    response = clients[Role.IRO].get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    page = response.text
    assert "<title>Page not found – Safeguarding IRO service</title>" in page
    assert _h1s(page) == ["Page not found"]
    assert "check it is correct" in page and 'href="/">Go to Find a child</a>' in page
    assert "Using the URLconf" not in page and "Traceback" not in page
    assert "Find a child" in page and "Sign out" in page  # the service's own layout


@DEBUG_MODES
def test_a_record_the_user_may_not_see_gets_the_same_page(settings, clients, world, debug):
    """A 404 raised by a view (access_child), not only by the URLs; nothing is leaked."""
    settings.DEBUG = debug
    response = clients["other_district_manager"].get(f"/children/{world.child.pk}/")
    assert response.status_code == 404
    assert _h1s(response.text) == ["Page not found"]
    assert "No child found" not in response.text and world.child.last_name not in response.text


@DEBUG_MODES
def test_signed_out_people_get_the_page_not_found_too(settings, client, debug):
    settings.DEBUG = debug
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _h1s(response.text) == ["Page not found"]


def test_a_missing_slash_is_still_redirected_with_debug_on(settings, clients, world):
    settings.DEBUG = True
    response = clients[Role.IRO].get(f"/children/{world.child.pk}")
    assert response.status_code == 301
    assert response.url == f"/children/{world.child.pk}/"


@DEBUG_MODES
def test_a_failure_gets_the_service_problem_page(settings, clients, caplog, debug):
    settings.DEBUG = debug
    client = clients[Role.IRO]
    client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/test-failure/")
    assert response.status_code == 500
    page = response.text
    assert (
        "<title>Sorry, there is a problem with the service – Safeguarding IRO service</title>"
        in page
    )
    assert _h1s(page) == ["Sorry, there is a problem with the service"]
    assert "Try again later." in page and 'href="/">Go to Find a child</a>' in page
    assert "the database went away" not in page and "Traceback" not in page
    # ...while the traceback goes to the log, once
    failures = [
        r for r in caplog.records if r.getMessage() == "Internal Server Error: /test-failure/"
    ]
    assert len(failures) == 1
    assert failures[0].exc_info and failures[0].exc_info[0] is RuntimeError


def test_a_failure_still_reaches_the_test_client(settings, clients):
    """The failure is reported as Django reports it (got_request_exception), so tests and
    error trackers still see the exception."""
    settings.DEBUG = True
    with pytest.raises(RuntimeError, match="the database went away"):
        clients[Role.IRO].get("/test-failure/")


def test_developers_can_ask_for_django_technical_pages(settings, clients):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_ERRORS = True
    client = clients[Role.IRO]
    client.raise_request_exception = False
    assert "Using the URLconf" in client.get("/no-such-page/").text
    failure = client.get("/test-failure/")
    assert failure.status_code == 500 and "the database went away" in failure.text


def test_a_refusal_keeps_its_own_page_with_debug_on(settings, clients, world):
    settings.DEBUG = True
    response = clients[Role.AUDITOR].get("/children/new/")
    assert response.status_code == 403
    assert _h1s(response.text) == ["You cannot do this"]
