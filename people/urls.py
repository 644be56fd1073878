from django.urls import include, path

from . import views, views_account

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    # Sign-in (issue 12): your own password and sessions; the Senior IRO's lockouts page.
    path("account/password/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/sign-out-everywhere/",
        views_account.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("accounts/lockouts/", views_account.lockout_list, name="lockout_list"),
    path(
        "accounts/lockouts/account/<int:handle>/unlock/",
        views_account.unlock,
        {"kind": "account"},
        name="lockout_unlock_account",
    ),
    path(
        "accounts/lockouts/address/<int:handle>/unlock/",
        views_account.unlock,
        {"kind": "address"},
        name="lockout_unlock_address",
    ),
    # MFA and accounts (issue 12)
    path("mfa/", include("people.urls_mfa")),
    path("accounts/", include("people.urls_accounts")),
]
