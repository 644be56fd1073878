"""Failed sign-ins and lockouts (django-axes), as the service uses them.

axes counts each failed sign-in in AccessAttempt, one row per username, address and browser,
and refuses a username, or an address, once its rows hold IRO_SIGN_IN_FAILURE_LIMIT failures
newer than the cool-off (settings, "Sign-in (issue 12)"). This module gives axes the
service's cool-off and lockout page, and the Senior IRO's page (people/views_account.py) the
lockouts in force, grouped as axes counts them, and a way to lift one.
"""

import ipaddress
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("people.lockouts")


class LockoutBackend(AxesStandaloneBackend):
    """axes's check, first of AUTHENTICATION_BACKENDS: a locked-out username or address is
    refused before any password is checked.

    Every sign-in page passes the request. Code that checks a password without one (a
    management command, a test's authenticate()) has no address to count or refuse, and
    axes would stop it with an error; it goes on to the model backend as before."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address as the server saw it (the proxy in front sets
    REMOTE_ADDR), as quality_assurance.links.client_address reads it; None if it is not an
    address (axes stores it in an address column)."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: read when used, so a test's settings override reaches it."""
    return timedelta(minutes=settings.IRO_SIGN_IN_COOL_OFF_MINUTES)


def lockout_response(request, original_response=None, credentials=None):
    """The page a refused sign-in gets (AXES_LOCKOUT_CALLABLE), from /sign-in/ or the admin's.
    It says the same whether or not the username exists."""
    return render(
        request,
        "people/account/locked_out.html",
        {"minutes": settings.IRO_SIGN_IN_COOL_OFF_MINUTES},
        status=429,
    )


@dataclass
class Lockout:
    """One username or one address refused: its failures in the cool-off, the latest, and
    the other side of each (the addresses tried from, or the usernames tried)."""

    value: str
    failures: int
    last_failure: datetime
    others: list[str] = field(default_factory=list)
    handle: int = 0  # the newest attempt's id: the unlock pages' address, not the value

    @property
    def until(self) -> datetime:
        return self.last_failure + cool_off()


def _current_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())


def _grouped(by: str, other: str) -> list[Lockout]:
    # Not counted on its own (IRO_SIGN_IN_LOCKOUT_BY), so never locked out on its own.
    if by not in settings.AXES_LOCKOUT_PARAMETERS:
        return []
    attempts = _current_attempts()
    groups = (
        attempts.exclude(**{f"{by}__isnull": True})
        .values(by)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    lockouts = []
    for group in groups:
        rows = attempts.filter(**{by: group[by]}).order_by("-attempt_time", "-pk")
        others = sorted({value for value in rows.values_list(other, flat=True) if value})
        lockouts.append(
            Lockout(
                value=group[by],
                failures=group["failures"],
                last_failure=group["last"],
                others=others,
                handle=rows.values_list("pk", flat=True).first(),
            )
        )
    return lockouts


def locked_usernames() -> list[Lockout]:
    return _grouped("username", "ip_address")


def locked_addresses() -> list[Lockout]:
    return _grouped("ip_address", "username")


def find(kind: str, handle: int) -> Lockout | None:
    """The lockout in force that the attempt `handle` belongs to, or None if it has ended."""
    attempt = _current_attempts().filter(pk=handle).first()
    if attempt is None:
        return None
    value = attempt.username if kind == "account" else attempt.ip_address
    found = locked_usernames() if kind == "account" else locked_addresses()
    return next((lockout for lockout in found if lockout.value == value), None)


def lift(kind: str, lockout: Lockout, by) -> None:
    """Forget the failures that lock the username or the address out. The log names the
    Senior IRO by id only: no username or address in application logs."""
    if kind == "account":
        reset(username=lockout.value)
    else:
        reset(ip=lockout.value)
    logger.info("A sign-in lockout (%s) was lifted by user %s", kind, by.pk)
