"""The API tried by schemathesis (issue 12, "Every door tested"): for every operation in the
OpenAPI schema the live server publishes, requests generated from the schema, sent by a
signed-in user, must never break the server, and every answer must be one the schema
documents: its status code, its content type and its body.

The server is pytest-django's live server, with the north household's records from the
every-door test behind it, so generated ids sometimes find a real conference, plan or
escalation. The Senior IRO sends the requests: the role that may do the most, so the most
code is reached; a district manager sends them too, to see that refusals (403, and 404 for the
other district's records) are documented as well. Hypothesis is derandomised, so every run
tries the same requests, and bounded, so the whole test takes about a minute."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from people.models import Role

from .test_every_door import private_media, records

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["private_media", "records"]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 15


@pytest.fixture(params=[Role.SENIOR_IRO, Role.DISTRICT_MANAGER], ids=lambda role: role.value)
def persona(request):
    return request.param


@pytest.fixture
def signed_in(settings, live_server, records, world, persona) -> dict:
    """The headers of a signed-in session: its cookie, and the CSRF token that Django REST
    framework's SessionAuthentication asks of every POST (cookie and X-CSRFToken header)."""
    # Thousands of requests in about a minute: far over the real rate, whose refusals
    # tests/security/test_headers.py tests.
    settings.IRO_API_THROTTLE_RATES = {"user": "100000/min", "anon": "100000/min"}
    client = Client()
    client.force_login(world.users[persona])
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32)  # a CSRF secret, as Django makes them
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session}; {django_settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf}


@pytest.fixture
def api_schema(live_server, signed_in):
    """The schema as the live server serves it, to signed-in staff only."""
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=signed_in, timeout=30
    )


def test_every_api_operation_answers_as_its_schema_says(
    api_schema, live_server, signed_in, subtests
):
    # schemathesis.pytest.from_fixture would do this loop, but it sets pytest's private
    # Node._nodeid, which pytest 9.2 no longer has; so each operation is a subtest here.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50  # the whole API, not an empty or refused schema

    for operation in operations:
        # Valid requests, and invalid ones (which must be refused with a documented answer).
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,  # the same requests on every run
            deadline=None,
            database=None,  # nothing written into the repository (.hypothesis/)
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def requests_answer_as_documented(case):
            case.call_and_validate(
                base_url=live_server.url, headers=signed_in, checks=CHECKS, timeout=30
            )

        with subtests.test(msg=operation.label):
            requests_answer_as_documented()
