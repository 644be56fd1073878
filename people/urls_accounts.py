"""Staff accounts, managed by the Senior IRO (people.views_accounts), under /accounts/."""

from django.urls import path

from . import views_accounts

app_name = "accounts"

urlpatterns = [
    path("", views_accounts.account_list, name="list"),
    path("new/", views_accounts.account_create, name="create"),
    path("<int:pk>/", views_accounts.account_detail, name="detail"),
    path("<int:pk>/change/", views_accounts.account_change, name="change"),
    path("<int:pk>/reset-password/", views_accounts.reset_password, name="reset_password"),
    path("<int:pk>/reset-mfa/", views_accounts.reset_mfa, name="reset_mfa"),
    path("<int:pk>/deactivate/", views_accounts.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views_accounts.reactivate, name="reactivate"),
]
