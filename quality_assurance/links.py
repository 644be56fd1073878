"""One-time links for people without an account (a parent's or carer's feedback, a child's
views): the token is random and shown only in the link; only its SHA-256 is stored, so a
copy of the database cannot answer a questionnaire. A short letter code (for a printed
letter, typed at /respond/) stands in for the token. A link is used once and expires; an
unused one may be cancelled by staff, and then answers "no longer valid" like a used one.

The public pages are rate limited per client address with Django's cache: guessing tokens
or codes is refused long before it could succeed."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache

from .models import OneTimeLink

# No 0/O, 1/I/L: a code is read off paper and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
RATE_LIMIT_ATTEMPTS = 20
RATE_LIMIT_WINDOW_SECONDS = 10 * 60

VALID, USED, EXPIRED, CANCELLED, UNKNOWN = "valid", "used", "expired", "cancelled", "unknown"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    """A code not yet given to any link."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not OneTimeLink.objects.filter(code=code).exists():
            return code


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: capitals, spaces and dashes dropped."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def display_code(code: str) -> str:
    """ "ABCDE FGHJK": easier to read off a letter."""
    return f"{code[:5]} {code[5:]}"


def lifetime(purpose: str) -> timedelta:
    days = (
        settings.IRO_FEEDBACK_LINK_DAYS
        if purpose == OneTimeLink.Purpose.FEEDBACK
        else settings.IRO_CHILD_VIEWS_LINK_DAYS
    )
    return timedelta(days=days)


def new_link(*, purpose: str, conference, now: datetime, by=None, invitee=None, child=None):
    """An unsaved link and its token (the only time the token exists)."""
    token = new_token()
    link = OneTimeLink(
        purpose=purpose,
        conference=conference,
        invitee=invitee,
        child=child,
        token_hash=hash_token(token),
        code=new_code(),
        created_at=now,
        created_by=by,
        expires_at=now + lifetime(purpose),
    )
    return link, token


def find_by_token(token: str, *, purpose: str | None = None) -> OneTimeLink | None:
    """The link whose token this is, or None; the stored hash is compared in constant time."""
    if not token or len(token) > 100:
        return None
    wanted = hash_token(token)
    links = OneTimeLink.objects.select_related("conference", "invitee", "child")
    if purpose:
        links = links.filter(purpose=purpose)
    link = links.filter(token_hash=wanted).first()
    if link is None or not hmac.compare_digest(link.token_hash, wanted):
        return None
    return link


def find_by_code(typed: str) -> OneTimeLink | None:
    code = normalise_code(typed)
    if not code or len(code) > 12:
        return None
    link = OneTimeLink.objects.select_related("conference", "invitee", "child").filter(code=code)
    found = link.first()
    if found is None or not hmac.compare_digest(found.code, code):
        return None
    return found


def state(link: OneTimeLink | None, now: datetime) -> str:
    if link is None:
        return UNKNOWN
    if link.used_at is not None:
        return USED
    if link.cancelled_at is not None:
        return CANCELLED
    if link.expires_at <= now:
        return EXPIRED
    return VALID


def change_refusal(link: OneTimeLink, now: datetime) -> str:
    """Why staff cannot cancel or replace this link now ("" when they can): only a link that
    still works can be, so an answer already given is never thrown away."""
    current = state(link, now)
    if current == USED:
        return (
            "This link has already been used, so it cannot be cancelled or sent again. "
            "The answers sent with it are kept."
        )
    if current == CANCELLED:
        return "This link was already cancelled."
    if current == EXPIRED:
        return (
            "This link has already expired, so it no longer works and there is nothing to cancel."
        )
    return ""


def client_address(request) -> str:
    """The client's address as the server saw it (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow_attempt(request) -> bool:
    """Count one attempt from this address; False once it has made too many in the window.
    A fixed window: the first attempt starts it, the counter expires with it."""
    key = f"respond-attempts:{hash_token(client_address(request))}"
    if cache.add(key, 1, timeout=RATE_LIMIT_WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=RATE_LIMIT_WINDOW_SECONDS)
        return True
    return count <= RATE_LIMIT_ATTEMPTS
