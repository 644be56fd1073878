"""Response headers (issue 12): a Content Security Policy with a nonce for the inline scripts,
HSTS and the HTTPS redirect, `Cache-Control: no-store` on what a signed-in user sees, on the
API and on the one-time link pages, and the API's throttle.

The browser test at the end loads the pages with scripts (the dashboard's charts, the
figures' refresh page, the API docs) in Chromium and finds no Content Security Policy
violation: every script runs, every chart draws."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from iro_service.celery import app as celery_app
from people.models import Role
from reporting.models import IndicatorSnapshot

from ..factories import LONDON, PlanFactory
from ..test_browser import sign_in

NOW = dt.datetime(2026, 5, 10, 15, 0, tzinfo=LONDON)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def inline_scripts(html: str) -> list[str]:
    """The opening tags of the page's <script> elements that have no src."""
    return [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]


@pytest.fixture
def cases(world):
    PlanFactory(child=world.child, start_date=dt.date(2024, 11, 1))
    PlanFactory(child=world.south_child, start_date=dt.date(2025, 9, 1))
    return world


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(clients, world):
    response = clients[Role.IRO].get(reverse("children:detail", args=[world.child.pk]))
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]  # no inline styles at all
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # The inline scripts carry this response's nonce, which the policy names; no other
    # inline script is on the page.
    [nonce] = [v for v in csp["script-src"] if v.startswith("'nonce-")]
    scripts = inline_scripts(response.text)
    assert len(scripts) == 2
    assert all(f'nonce="{nonce[7:-1]}"' in tag for tag in scripts)


@pytest.mark.django_db
def test_each_response_has_its_own_nonce(clients):
    first = policy(clients[Role.IRO].get(reverse("children:search")))["script-src"]
    second = policy(clients[Role.IRO].get(reverse("children:search")))["script-src"]
    assert first != second


@pytest.mark.django_db
def test_the_sign_in_page_has_the_policy_too(client):
    response = client.get(reverse("login"))
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_dashboard_charts_carry_no_inline_style(clients, cases):
    with time_machine.travel(NOW, tick=False):
        page = clients[Role.SENIOR_IRO].get(reverse("reporting:dashboard")).text
    assert "<svg" in page
    assert " style=" not in page and "<style" not in page
    # The charts keep their colours and strokes as SVG attributes.
    assert re.search(r'<path [^>]*fill="#0072b2"', page)
    assert inline_scripts(page) and all("nonce=" in tag for tag in inline_scripts(page))


@pytest.mark.django_db
def test_the_api_docs_have_no_inline_script_and_load_their_own(clients):
    client = clients[Role.IRO]
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert inline_scripts(response.text) == []
    assert "<style" not in response.text
    script = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', response.text).group(1)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode()


# --- Cache-Control ----------------------------------------------------------------------------


def assert_not_stored(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


@pytest.mark.django_db
def test_a_childs_record_is_never_stored_by_the_browser_or_a_proxy(clients, world):
    client = clients[Role.IRO]
    assert_not_stored(client.get(reverse("children:detail", args=[world.child.pk])))
    assert_not_stored(client.get(reverse("api:child-detail", args=[world.child.pk])))
    # A download too, and a page that is not found.
    assert_not_stored(client.get("/children/999999/"))


@pytest.mark.django_db
def test_the_api_and_the_one_time_link_pages_are_not_stored_without_a_session(client):
    response = client.get(reverse("api:conference-list"))
    assert response.status_code == 403
    assert_not_stored(response)
    response = client.get("/respond/")
    assert_not_stored(response)


@pytest.mark.django_db
def test_static_files_may_still_be_cached(client):
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


# --- HTTPS ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_https_responses_tell_the_browser_to_use_https_for_a_year(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    # Over plain HTTP the header means nothing and is not sent.
    assert "Strict-Transport-Security" not in client.get(reverse("login"))


@pytest.mark.django_db
def test_with_the_redirect_on_plain_http_goes_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sign-in/"
    assert client.get(reverse("login"), secure=True).status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_its_header_says_the_request_was_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert client.get(reverse("login"), headers={"X-Forwarded-Proto": "http"}).status_code == 301


# --- API throttling ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_answers_too_many_requests_beyond_a_users_rate(clients, settings):
    cache.clear()
    settings.IRO_API_THROTTLE_RATES = {"user": "3/min", "anon": "100/min"}
    iro, auditor = clients[Role.IRO], clients[Role.AUDITOR]
    url = reverse("api:conference-list")
    assert [iro.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = iro.get(url)
    assert refused.status_code == 429
    assert "throttled" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # Another user has their own allowance.
    assert auditor.get(url).status_code == 200
    cache.clear()


@pytest.mark.django_db
def test_the_default_rates_let_a_busy_user_work(clients):
    cache.clear()
    url = reverse("api:conference-list")
    assert {clients[Role.IRO].get(url).status_code for _ in range(30)} == {200}
    cache.clear()


# --- In the browser ---------------------------------------------------------------------------

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_with_scripts_and_charts_run_under_the_policy_without_a_violation(
    page: Page, live_server, cases
):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.add_init_script(COLLECT_VIOLATIONS)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with time_machine.travel(NOW, tick=True):
            sign_in(page, live_server.url, "senior_iro")
            # GOV.UK Frontend's inline start-up ran (nonce): the body is marked for it.
            expect(page.locator("body.js-enabled.govuk-frontend-supported")).to_have_count(1)
            assert page.evaluate("window.__csp") == []

            page.goto(f"{live_server.url}/dashboard/")
            expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
            chart = page.locator("svg.app-chart").first
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box["width"] > 300 and box["height"] > 100  # drawn to size
            assert page.evaluate("window.__csp") == []

            snapshot = IndicatorSnapshot.objects.create(
                year=2027, status=IndicatorSnapshot.Status.RUNNING, steps_done=1, steps_total=4
            )
            page.goto(f"{live_server.url}/dashboard/snapshots/{snapshot.pk}/")
            expect(page.get_by_text("1 of 4 measures computed")).to_be_visible()
            # The polling script (a static file) runs and swaps in the finished state.
            IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(
                status="done", steps_done=4, data_as_of=NOW, finished_at=NOW
            )
            expect(page.get_by_role("heading", name="Figures refreshed")).to_be_visible(
                timeout=10_000
            )
            assert page.evaluate("window.__csp") == []

            page.goto(f"{live_server.url}/api/docs/")
            expect(
                page.get_by_role("heading", name=re.compile("Safeguarding IRO service API"))
            ).to_be_visible()
            expect(page.get_by_text("/api/children/").first).to_be_visible()
            assert page.evaluate("window.__csp") == []
    finally:
        celery_app.conf.task_always_eager = previous
    assert [m for m in messages if "Content Security Policy" in m] == []
