"""Two-step sign-in (MFA): a password, then a code from an authenticator app (django-otp).

After the password (people.views.SignInView) a member of staff is signed in but not yet
verified. MFARequiredMiddleware then sends them, page by page, through whichever steps are
still to do, in this order:

1. they have set up an authenticator app but have not given a code yet: "Enter your code";
2. an account manager gave them a temporary password: "Change your password";
3. MFA is required (IRO_MFA_REQUIRED) and they have no app yet: "Set up your authenticator app".

Until then every other page sends them to that step and the API answers 403. Signing in and
out, the step's own pages, static files and the public /respond/ pages are left alone.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import Signal
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger("people.mfa")

# Sent when a code is refused at sign-in or at set-up: sender is the User class; arguments
# request, user and reason ("wrong_code" or "throttled"). The audit connects to it.
mfa_failed = Signal()

# The change-password page (people.urls, people.views_account); the step is skipped if the
# page is not there, so the flag is never a dead end.
PASSWORD_CHANGE_URL_NAME = "password_change"  # noqa: S105 - a URL name, not a password
RECOVERY_DEVICE_NAME = "Recovery codes"
APP_DEVICE_NAME = "Authenticator app"

# Pages anyone signed in may reach at any step.
ALWAYS_ALLOWED = {"login", "logout", "admin:logout", "sign_out_everywhere"}
VERIFY, CHANGE_PASSWORD, SET_UP = "verify", "change_password", "set_up"
STEP_PAGES = {
    VERIFY: {"mfa:verify"},
    CHANGE_PASSWORD: {PASSWORD_CHANGE_URL_NAME},
    SET_UP: {"mfa:set_up"},
}


def mfa_required() -> bool:
    return bool(getattr(settings, "IRO_MFA_REQUIRED", True))


def has_authenticator(user) -> bool:
    """Whether the user has a confirmed authenticator app (what "MFA set up" means)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _password_change_url() -> str | None:
    try:
        return reverse(PASSWORD_CHANGE_URL_NAME)
    except NoReverseMatch:
        return None


# Whether the signed-in user has an app or recovery codes, noted in the session at sign-in
# (and at set-up), so an ordinary page costs no query to find out.
HAS_DEVICE_SESSION_KEY = "iro_mfa_has_device"


def note_devices(request, user) -> bool:
    has_device = user_has_device(user)
    request.session[HAS_DEVICE_SESSION_KEY] = has_device
    return has_device


def _note_devices_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note_devices(request, user)


def connect_signals() -> None:
    """Called from people.apps: the test client's force_login signs in before any request."""
    user_logged_in.connect(_note_devices_at_sign_in, dispatch_uid="iro_mfa_note_devices")


def pending_step(request, user) -> str | None:
    """The first step the signed-in user still has to do before using the service, if any."""
    if not user.is_authenticated:
        return None
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        has_device = True
    else:
        has_device = request.session.get(HAS_DEVICE_SESSION_KEY)
        if has_device is None:  # a session from before MFA: find out once
            has_device = note_devices(request, user)
        if has_device:
            return VERIFY
    if user.must_change_password and _password_change_url():
        return CHANGE_PASSWORD
    if mfa_required() and not has_device:
        return SET_UP
    return None


def step_url(step: str) -> str:
    if step == CHANGE_PASSWORD:
        return _password_change_url()
    return reverse(f"mfa:{step}")


def safe_next(request, candidate: str | None) -> str:
    """Where to go after a step: the page first asked for, if it is on this site."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class MFARequiredMiddleware:
    """Send a signed-in member of staff through their pending sign-in step (module docstring).

    Runs after AuthenticationMiddleware, LoginRequiredMiddleware and django-otp's
    OTPMiddleware. It decides in process_view, where the URL's name is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path.startswith((settings.STATIC_URL, "/respond/")):
            return None
        step = pending_step(request, user)
        request.iro_pending_step = step  # the navigation is hidden until it is done
        if step is None:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in ALWAYS_ALLOWED or name in STEP_PAGES[step]:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Finish signing in first: two-step verification is not complete."},
                status=403,
            )
        target = step_url(step)
        if step == CHANGE_PASSWORD:
            messages.info(
                request, "Choose a new password to replace the temporary one you were given."
            )
        if request.method == "GET":
            target = f"{target}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        return redirect(target)


def log_failure(request, user, reason: str) -> None:
    """A refused code: logged by the user's id and the reason only (never the code), and the
    mfa_failed signal sent for the audit."""
    logger.warning("MFA code refused for user id %s: %s", user.pk, reason)
    mfa_failed.send(sender=type(user), request=request, user=user, reason=reason)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a new set; returns them (shown once)."""
    count = getattr(settings, "IRO_MFA_RECOVERY_CODES", 10)
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_devices(user) -> int:
    """Remove every authenticator app and recovery code of the user (an MFA reset)."""
    with transaction.atomic():
        apps, _ = TOTPDevice.objects.filter(user=user).delete()
        codes, _ = StaticDevice.objects.filter(user=user).delete()
    return apps + codes
