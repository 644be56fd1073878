"""API throttling (issue 12): DRF's per-user and per-address throttles, with their rates read
from settings.IRO_API_THROTTLE_RATES on every request (DRF's own classes copy the rates once,
at import, so an override in settings or a test would not reach them).

The counts are kept in Django's default cache: one per process unless CACHES points at a
shared cache, so with several workers a user's real limit is the rate times the workers.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    def get_rate(self):
        return settings.IRO_API_THROTTLE_RATES[self.scope]


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Requests by one signed-in user (anonymous ones by address), scope "user"."""


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    """Requests from one address without a session, scope "anon"."""
