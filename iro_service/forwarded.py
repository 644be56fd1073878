"""The client's own address behind a proxy the deployment trusts (TRUSTED_PROXY_ADDRESSES).

gunicorn behind nginx on the same server sees every request come from 127.0.0.1. Every part
of the service that cares about the client's address reads REMOTE_ADDR: sign-in lockouts per
address (people.lockouts), the access audit (audit.services) and the one-time links' tries
(quality_assurance.links). Without this, one person's wrong passwords would lock out everyone
and the audit would name the proxy. So, first of all middleware: when the request comes
straight from a trusted proxy, REMOTE_ADDR becomes the address that proxy saw, the last entry
of X-Forwarded-For (nginx's $proxy_add_x_forwarded_for appends it; anything before it was
sent by the client and proves nothing). From anyone else the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def trusted_networks(values: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or networks (127.0.0.1, 10.0.0.0/8, ::1), for the setting's check."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXY_ADDRESSES: {value!r} is not an address or network "
                "(e.g. 127.0.0.1,::1 or 10.0.0.0/8)"
            ) from error
    return networks


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class ForwardedForMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.IRO_TRUSTED_PROXY_NETWORKS
        if proxies:
            peer = _address(request.META.get("REMOTE_ADDR", ""))
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            if peer is not None and forwarded and any(peer in net for net in proxies):
                client = _address(forwarded.split(",")[-1])
                if client is not None:
                    request.META["REMOTE_ADDR"] = str(client)
        return self.get_response(request)
