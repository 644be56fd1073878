"""Two-step sign-in pages (people.views_mfa), under /mfa/."""

from django.urls import path

from . import views_mfa

app_name = "mfa"

urlpatterns = [
    path("", views_mfa.overview, name="overview"),
    path("set-up/", views_mfa.set_up, name="set_up"),
    path("verify/", views_mfa.verify, name="verify"),
    path("recovery-codes/", views_mfa.recovery_codes, name="recovery_codes"),
]
