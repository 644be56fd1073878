"""Two-step sign-in pages: set up an authenticator app, enter a code after the password, see
the recovery codes once, and an overview of one's own set-up (people.mfa has the rules).

Every signed-in member of staff may use these pages for their own account, whatever their
role; nobody reaches another person's devices here (the Senior IRO resets them from the
account pages)."""

import math
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import mfa
from .forms_accounts import CodeForm

NEW_CODES_SESSION_KEY = "iro_mfa_new_recovery_codes"


def _next(request) -> str:
    return request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def _wait_message(device) -> str | None:
    """What to tell someone who has entered too many wrong codes, if the device is resting."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 60
    if seconds <= 90:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minutes"
    return f"You have entered too many wrong codes. Wait {wait}, then try again"


def _secret_for_typing(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(device: TOTPDevice) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, light="#fff", dark="#0b0c0c", svgclass="app-qr-code"
    )
    label = "QR code to scan with your authenticator app"
    # The SVG is drawn by segno from the device's own URL: paths only, no text of ours.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


@require_http_methods(["GET", "POST"])
def set_up(request):
    """Add an authenticator app: scan the QR code (or type the key), confirm with a code, then
    see the recovery codes once. Someone who already has an app must enter its code first
    (they cannot replace it with the password alone)."""
    user = request.user
    if mfa.has_authenticator(user) and not _is_verified(user):
        return redirect(
            f"{reverse('mfa:verify')}?{urlencode({REDIRECT_FIELD_NAME: _next(request)})}"
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=mfa.APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _wait_message(device)
        if wait:
            form.add_error("code", wait)
            mfa.log_failure(request, user, "throttled")
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = mfa.new_recovery_codes(user)
            django_otp.login(request, device)
            request.session.cycle_key()  # a new session id for the fully signed-in session
            request.session[mfa.HAS_DEVICE_SESSION_KEY] = True
            request.session[NEW_CODES_SESSION_KEY] = codes
            target = reverse("mfa:recovery_codes")
            if _next(request):
                target += "?" + urlencode({REDIRECT_FIELD_NAME: _next(request)})
            return redirect(target)
        else:
            form.add_error(
                "code",
                "The code is not right. Check the app shows this account, then enter the "
                "6 digits it shows now",
            )
            mfa.log_failure(request, user, "wrong_code")
    return render(
        request,
        "people/mfa/set_up.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _secret_for_typing(device),
            "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
            "replacing": mfa.has_authenticator(user),
            "next": _next(request),
        },
    )


def _devices(user):
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"),
        *StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk"),
    ]


@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: a code from the app, or one of the recovery codes (each works once).
    Wrong codes are counted: after each one in a row the next try must wait twice as long."""
    user = request.user
    if _is_verified(user):
        return redirect(mfa.safe_next(request, _next(request)))
    devices = _devices(user)
    if not devices:  # reset since they signed in: nothing to verify against
        request.session[mfa.HAS_DEVICE_SESSION_KEY] = False
        return redirect(mfa.safe_next(request, _next(request)))
    form = CodeForm(request.POST or None, recovery_allowed=True)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
        candidates = [device for device in devices if isinstance(device, kind)]
        waits = [message for device in candidates if (message := _wait_message(device))]
        if candidates and len(waits) == len(candidates):
            form.add_error("code", waits[0])
            mfa.log_failure(request, user, "throttled")
        else:
            matched = next(
                (
                    device
                    for device in candidates
                    if django_otp.verify_token(user, device.persistent_id, code)
                ),
                None,
            )
            if matched is not None:
                django_otp.login(request, matched)
                request.session.cycle_key()  # a new session id for the fully signed-in session
                if isinstance(matched, StaticDevice):
                    left = matched.token_set.count()
                    messages.warning(
                        request,
                        f"You used a recovery code. You have {left} left: "
                        "make new ones from Two-step verification if you are running out.",
                    )
                return redirect(mfa.safe_next(request, _next(request)))
            form.add_error(
                "code",
                "The code is not right. Enter the 6 digits your app shows now, or an unused "
                "recovery code",
            )
            mfa.log_failure(request, user, "wrong_code")
    return render(request, "people/mfa/verify.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """The recovery codes, shown once just after they are made; a POST makes a new set (the
    old ones stop working). Only for someone who has entered a code in this session."""
    user = request.user
    if not (mfa.has_authenticator(user) and _is_verified(user)):
        raise PermissionDenied("Set up an authenticator app and enter its code first.")
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = mfa.new_recovery_codes(user)
        messages.success(request, "New recovery codes made. The old ones no longer work.")
        return redirect("mfa:recovery_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return render(
        request,
        "people/mfa/recovery_codes.html",
        {"codes": codes, "continue_url": mfa.safe_next(request, _next(request))},
    )


@require_http_methods(["GET"])
def overview(request):
    """Your two-step verification: whether an app is set up and how many recovery codes
    are left, with the ways to change them."""
    user = request.user
    app = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(
        request,
        "people/mfa/overview.html",
        {
            "app": app,
            "codes_left": recovery.token_set.count() if recovery else 0,
            "verified": _is_verified(user),
            "required": mfa.mfa_required(),
        },
    )
