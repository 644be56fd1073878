"""Sign-ins recorded from Django's own signals, which every sign-in door sends (the service's
sign-in page, the admin's, and the test client's force_login), from django-axes's lockout
signal when django-axes is installed, and from people.mfa's signal for a refused second
factor when that module is there."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .models import AccessEvent
from .services import record_sign_in_event

Kind = AccessEvent.Kind


def _signed_in(sender, request, user, **kwargs):
    record_sign_in_event(request, Kind.SIGNED_IN, user=user)


def _signed_out(sender, request, user, **kwargs):
    record_sign_in_event(request, Kind.SIGNED_OUT, user=user)


def _typed_username(credentials) -> str:
    """Only the username from the credentials tried: Django already masks the password, and
    nothing else that was typed is kept."""
    field = get_user_model().USERNAME_FIELD
    value = (credentials or {}).get(field) or (credentials or {}).get("username") or ""
    return str(value)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    record_sign_in_event(request, Kind.SIGN_IN_FAILED, username=_typed_username(credentials))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record_sign_in_event(request, Kind.LOCKED_OUT, username=username or "")


def _mfa_failed(sender, request=None, user=None, reason="", **kwargs):
    # the reason ("wrong_code", "throttled"), never the code typed
    detail = {"reason": str(reason)[:40]} if reason else {}
    record_sign_in_event(request, Kind.MFA_FAILED, user=user, detail=detail)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="audit_signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="audit_signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")
    try:  # the second factor's refusals (people.mfa, with django-otp)
        from people.mfa import mfa_failed
    except ImportError:
        pass
    else:
        mfa_failed.connect(_mfa_failed, dispatch_uid="audit_mfa_failed")
    # django-axes's signals module imports its models, so only when it is an installed app.
    if not apps.is_installed("axes"):
        return
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")
