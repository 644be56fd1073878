"""Your own account (Sign-in, issue 12): change your password, sign out everywhere. And the
Senior IRO's view of sign-in lockouts, with a way to lift one (people/lockouts.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from . import lockouts
from .access import can_manage_lockouts
from .forms import ChangePasswordForm
from .models import User


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every signed-in member of staff. Django keeps this session signed in after the change
    (update_session_auth_hash) and ends every other: each session carries a hash of the
    password it was signed in with."""

    template_name = "people/account/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password has been changed. Anywhere else you were signed in, you have been "
            "signed out.",
        )
        return response


@require_POST
def sign_out_everywhere(request):
    """End every session of the user, this one too: each notes the user's session number at
    sign-in, and people.middleware ends those made under an older one."""
    User.objects.filter(pk=request.user.pk).update(session_generation=F("session_generation") + 1)
    logout(request)
    messages.info(request, "You have signed out everywhere you were signed in.")
    return redirect("login")


def _check(user) -> None:
    if not can_manage_lockouts(user):
        raise PermissionDenied


@require_GET
def lockout_list(request):
    _check(request.user)
    return render(
        request,
        "people/account/lockouts.html",
        {
            "accounts": lockouts.locked_usernames(),
            "addresses": lockouts.locked_addresses(),
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": settings.IRO_SIGN_IN_COOL_OFF_MINUTES,
        },
    )


def unlock(request, kind: str, handle: int):
    """Check, then lift one lockout (POST). A lockout that has ended meanwhile says so."""
    _check(request.user)
    lockout = lockouts.find(kind, handle)
    if lockout is None:
        messages.info(request, "That lockout has already ended. Nothing was changed.")
        return redirect("lockout_list")
    if request.method == "POST":
        lockouts.lift(kind, lockout, by=request.user)
        messages.success(
            request,
            f"{'The account' if kind == 'account' else 'The address'} {lockout.value} can "
            "sign in again.",
        )
        return redirect("lockout_list")
    account = User.objects.filter(username=lockout.value).first() if kind == "account" else None
    return render(
        request,
        "people/account/unlock.html",
        {"kind": kind, "lockout": lockout, "account": account, "back": reverse("lockout_list")},
    )
