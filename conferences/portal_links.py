"""The document portal's one-time links (models/portal.py): made, found by token and judged
here, with the token functions and attempt counting of the other public links
(quality_assurance/links.py). The token exists only in the link sent; the database holds its
SHA-256. An upload link is used once and works until the conference starts; a family link
can be opened as often as needed until IRO_FAMILY_LINK_DAYS_AFTER days after the conference."""

import hmac
from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quality_assurance import links
from quality_assurance.links import CANCELLED, EXPIRED, UNKNOWN, USED, VALID, hash_token, new_token

from .models import Conference, Invitee, PortalLink, ReportRequest

__all__ = ["CANCELLED", "EXPIRED", "UNKNOWN", "USED", "VALID"]
Purpose = PortalLink.Purpose
PAGES = {Purpose.UPLOAD: "portal:upload", Purpose.FAMILY: "portal:family"}


def expiry(purpose: str, conference: Conference) -> datetime:
    """An upload link: when the conference starts. A family link: at the end of the day (in
    London) IRO_FAMILY_LINK_DAYS_AFTER days after the conference."""
    if purpose == Purpose.UPLOAD:
        return conference.scheduled_for
    last_day = timezone.localtime(conference.scheduled_for).date() + timedelta(
        days=settings.IRO_FAMILY_LINK_DAYS_AFTER
    )
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def new_link(
    *,
    purpose: str,
    invitee: Invitee,
    now: datetime,
    by=None,
    report: ReportRequest | None = None,
) -> tuple[PortalLink, str]:
    """A saved link and its token (the only time the token exists)."""
    token = new_token()
    link = PortalLink.objects.create(
        purpose=purpose,
        conference=invitee.conference,
        invitee=invitee,
        report=report,
        token_hash=hash_token(token),
        created_at=now,
        created_by=by,
        expires_at=expiry(purpose, invitee.conference),
    )
    return link, token


def url(purpose: str, token: str) -> str:
    return settings.IRO_SITE_URL.rstrip("/") + reverse(PAGES[purpose], args=[token])


def in_force(purpose: str, invitee: Invitee) -> PortalLink | None:
    return (
        PortalLink.objects.filter(purpose=purpose, invitee=invitee, cancelled_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def find(token: str, purpose: str) -> PortalLink | None:
    """The link whose token this is, or None; the stored hash is compared in constant time."""
    if not token or len(token) > 100:
        return None
    wanted = hash_token(token)
    link = (
        PortalLink.objects.select_related("conference", "invitee", "report")
        .filter(token_hash=wanted, purpose=purpose)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, wanted):
        return None
    return link


def state(link: PortalLink | None, now: datetime) -> str:
    """As the feedback links' states; and an upload link of a booking cancelled or rearranged
    is cancelled too: a report for that booking is not wanted."""
    found = links.state(link, now)
    if (
        found in (VALID, EXPIRED)
        and link.purpose == Purpose.UPLOAD
        and link.conference.status != Conference.Status.BOOKED
    ):
        return CANCELLED
    return found
