"""Staff accounts, managed in the service by the Senior IRO (people.access.can_manage_accounts).

The list of staff; create an account with a temporary password the person must change when
they first sign in; change a name, email, role or district; reset a password or two-step
verification; deactivate (never delete: the person can no longer sign in, what they recorded
stays) and reactivate. Deactivating and resetting MFA are checked first. Every change is kept
in the account's history (django-simple-history) with who made it and why.

Rules: nobody deactivates themselves; the last active Senior IRO can be neither deactivated
nor given another role. Superusers (made with `createsuperuser`, for whoever runs the system)
are not managed here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from children.history import _entries as history_entries
from iro_service.records import save_with_history

from . import mfa
from .access import can_manage_accounts
from .forms_accounts import AccountChangeForm, AccountCreateForm, TemporaryPasswordForm
from .models import Role, User

PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied("Only the Senior IRO manages accounts.")


def _managed():
    return User.objects.filter(is_superuser=False)


def _account(request, pk: int) -> User:
    _require_manager(request)
    try:
        return _managed().select_related("district").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404("No such account") from exc


def _is_last_senior_iro(account: User) -> bool:
    return (
        account.is_active
        and account.role == Role.SENIOR_IRO
        and not User.objects.filter(is_active=True, role=Role.SENIOR_IRO)
        .exclude(pk=account.pk)
        .exists()
    )


class _Refusals(forms.Form):
    """No fields: carries the reasons an action is refused to the error summary."""


def _refusals(*messages_: str) -> _Refusals:
    form = _Refusals(data={})
    form.is_valid()
    for message in messages_:
        form.add_error(None, message)
    return form


@require_http_methods(["GET"])
def account_list(request):
    _require_manager(request)
    accounts = (
        _managed()
        .select_related("district")
        .annotate(has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/accounts/list.html",
        {"page": page, "page_range": page.paginator.get_elided_page_range(page.number)},
    )


@require_http_methods(["GET", "POST"])
def account_create(request):
    _require_manager(request)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = form.save(commit=False)
        save_with_history(account, by=request.user, reason="Account created", clean=False)
        messages.success(
            request,
            f"Account created for {account.display_name}. Tell them their username and "
            "temporary password: they choose a new password when they first sign in.",
        )
        return redirect("accounts:detail", account.pk)
    return render(request, "people/accounts/create.html", {"form": form})


@require_http_methods(["GET"])
def account_detail(request, pk: int):
    account = _account(request, pk)
    history = history_entries(
        account.history.select_related("history_user", "district").order_by(
            "history_date", "history_id"
        ),
        "Account",
        User,
    )
    # Signing in saves the sign-in time, which history leaves out: those versions show nothing.
    history = [
        entry for entry in history if entry.changes or entry.reason or entry.action != "Changed"
    ]
    return render(
        request,
        "people/accounts/detail.html",
        {
            "account": account,
            "has_mfa": mfa.has_authenticator(account),
            "is_self": account.pk == request.user.pk,
            "history": list(reversed(history)),
        },
    )


@require_http_methods(["GET", "POST"])
def account_change(request, pk: int):
    account = _account(request, pk)
    form = AccountChangeForm(
        request.POST or None, instance=account, last_senior_iro=_is_last_senior_iro(account)
    )
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            save_with_history(
                form.save(commit=False), by=request.user, reason="Account changed", clean=False
            )
            messages.success(request, f"{account.display_name}'s account has been changed.")
        if account.pk == request.user.pk and account.role != Role.SENIOR_IRO:
            return redirect("home")  # they no longer manage accounts
        return redirect("accounts:detail", account.pk)
    return render(request, "people/accounts/change.html", {"form": form, "account": account})


@require_http_methods(["GET", "POST"])
def reset_password(request, pk: int):
    account = _account(request, pk)
    form = TemporaryPasswordForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        account.set_password(form.cleaned_data["temporary_password"])
        account.must_change_password = True
        save_with_history(account, by=request.user, reason="Temporary password set", clean=False)
        messages.success(
            request,
            f"{account.display_name}'s password has been reset. Tell them the temporary "
            "password: they choose a new one when they next sign in.",
        )
        return redirect("accounts:detail", account.pk)
    return render(
        request, "people/accounts/reset_password.html", {"form": form, "account": account}
    )


@require_http_methods(["GET", "POST"])
def reset_mfa(request, pk: int):
    """Check, then remove the person's authenticator app and recovery codes: they set up an app
    again when they next sign in (a lost phone)."""
    account = _account(request, pk)
    has_mfa = mfa.has_authenticator(account)
    if request.method == "POST":
        with transaction.atomic():
            mfa.remove_devices(account)
            save_with_history(
                account,
                by=request.user,
                reason="Two-step verification reset (app and recovery codes removed)",
                clean=False,
            )
        messages.success(
            request,
            f"{account.display_name}'s two-step verification has been reset. They set up "
            "their authenticator app again when they next sign in.",
        )
        return redirect("accounts:detail", account.pk)
    return render(
        request, "people/accounts/reset_mfa.html", {"account": account, "has_mfa": has_mfa}
    )


def _deactivation_refusals(request, account: User) -> list[str]:
    reasons = []
    if account.pk == request.user.pk:
        reasons.append("You cannot deactivate your own account")
    elif _is_last_senior_iro(account):
        reasons.append(
            "This is the only active Senior IRO. Give someone else the role before "
            "deactivating this account"
        )
    return reasons


@require_http_methods(["GET", "POST"])
def deactivate(request, pk: int):
    """Check, then close the account: the person can no longer sign in (any session they have
    ends with it), and every record they made stays, under their name."""
    account = _account(request, pk)
    if not account.is_active:
        return redirect("accounts:detail", account.pk)
    refusals = _deactivation_refusals(request, account)
    if request.method == "POST" and not refusals:
        account.is_active = False
        save_with_history(account, by=request.user, reason="Account deactivated", clean=False)
        messages.success(
            request, f"{account.display_name}'s account has been deactivated. Nothing was deleted."
        )
        return redirect("accounts:detail", account.pk)
    return render(
        request,
        "people/accounts/deactivate.html",
        {"account": account, "form": _refusals(*refusals) if refusals else None},
        status=400 if refusals and request.method == "POST" else 200,
    )


@require_POST
def reactivate(request, pk: int):
    account = _account(request, pk)
    if not account.is_active:
        account.is_active = True
        save_with_history(account, by=request.user, reason="Account reactivated", clean=False)
        messages.success(
            request, f"{account.display_name}'s account has been reactivated. They can sign in."
        )
    return redirect("accounts:detail", account.pk)
