"""Behind the proxy on the server (deploy/nginx/iro.conf), the client's own address, not the
proxy's, is what sign-in lockouts and the access audit see; from anyone else the header is
ignored, so a client cannot choose the address recorded against it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from iro_service.forwarded import trusted_networks
from people.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NGINX_ON_THE_SERVER = trusted_networks(["127.0.0.1", "::1"])


def _failed_sign_in(client: Client, **headers) -> None:
    client.post("/sign-in/", {"username": "iro", "password": "not-the-password"}, **headers)


def _lockout_addresses() -> list[str]:
    from axes.models import AccessAttempt

    return sorted(AccessAttempt.objects.values_list("ip_address", flat=True).distinct())


@override_settings(IRO_TRUSTED_PROXY_NETWORKS=NGINX_ON_THE_SERVER)
def test_from_the_trusted_proxy_the_client_address_is_the_one_it_appended():
    UserFactory(username="iro", role=Role.IRO)
    client = Client(REMOTE_ADDR="127.0.0.1")
    # The client sent "6.6.6.6" itself; nginx appended the address it saw.
    _failed_sign_in(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    _failed_sign_in(client, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert _lockout_addresses() == ["198.51.100.4", "203.0.113.7"]


@override_settings(IRO_TRUSTED_PROXY_NETWORKS=NGINX_ON_THE_SERVER)
def test_from_anyone_else_the_header_is_ignored_and_a_bad_value_changes_nothing():
    UserFactory(username="iro", role=Role.IRO)
    _failed_sign_in(Client(REMOTE_ADDR="192.0.2.50"), HTTP_X_FORWARDED_FOR="203.0.113.7")
    _failed_sign_in(Client(REMOTE_ADDR="127.0.0.1"), HTTP_X_FORWARDED_FOR="not-an-address")

    assert _lockout_addresses() == ["127.0.0.1", "192.0.2.50"]


def test_with_no_trusted_proxy_the_header_is_never_believed():
    UserFactory(username="iro", role=Role.IRO)
    _failed_sign_in(Client(REMOTE_ADDR="127.0.0.1"), HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert _lockout_addresses() == ["127.0.0.1"]


def test_a_setting_that_is_not_an_address_stops_the_service_saying_so():
    with pytest.raises(ImproperlyConfigured, match="'nginx' is not an address or network"):
        trusted_networks(["127.0.0.1", "nginx"])
    assert [str(net) for net in trusted_networks(["10.0.0.0/8", "::1"])] == [
        "10.0.0.0/8",
        "::1/128",
    ]
