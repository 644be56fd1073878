"""Sessions that end: after IRO_SESSION_IDLE_MINUTES without a request, IRO_SESSION_MAX_HOURS
after signing in, and everywhere at once when the user asks (people/views_account.py).

The session notes when its user signed in, when it was last used and the user's
session_generation at sign-in. A request on a session past either limit, or made under an
older generation, signs the user out before the view runs: a page then sends them to sign in,
where a message says why, and the API answers 403 as it does to anyone signed out.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

SIGNED_IN_AT = "iro_signed_in_at"
LAST_SEEN = "iro_last_seen"
GENERATION = "iro_session_generation"
# Last use is written at most this often, so browsing does not save the session every time;
# the idle limit is kept to within this many seconds.
TOUCH_EVERY_SECONDS = 60


def _now() -> float:
    return timezone.now().timestamp()


def start(session, user) -> None:
    """Note a new sign-in in the session."""
    now = _now()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    session[GENERATION] = user.session_generation


def why_ended(session, user) -> str | None:
    """Why the session may no longer be used, or None if it may."""
    now = _now()
    if session.get(GENERATION) != user.session_generation:
        return "You were signed out because you chose to sign out everywhere. Sign in again."
    hours = settings.IRO_SESSION_MAX_HOURS
    if now - session[SIGNED_IN_AT] > hours * 3600:
        return (
            f"You were signed out because you had been signed in for {hours} hours. Sign in again."
        )
    minutes = settings.IRO_SESSION_IDLE_MINUTES
    if now - session[LAST_SEEN] > minutes * 60:
        return f"You were signed out after {minutes} minutes without activity. Sign in again."
    return None


class SessionLimitsMiddleware:
    """After the authentication and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            if SIGNED_IN_AT not in session:
                # Signed in before these limits existed: they run from now.
                start(session, user)
            reason = why_ended(session, user)
            if reason:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, reason)
            elif _now() - session[LAST_SEEN] >= TOUCH_EVERY_SECONDS:
                session[LAST_SEEN] = _now()
        return self.get_response(request)


def _note_sign_in(sender, request, user, **kwargs):
    """Every sign-in (the sign-in page, the admin's, a test's force_login) starts the clock."""
    if request is not None and hasattr(request, "session"):
        start(request.session, user)


def connect_signals() -> None:
    """Called from people.apps."""
    user_logged_in.connect(_note_sign_in, dispatch_uid="iro_session_limits_sign_in")
