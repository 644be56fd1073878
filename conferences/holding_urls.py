"""Holding a conference: attendance, each child's decision, adjournment."""

from django.urls import path

from .views import holding

urlpatterns = [
    path("<int:pk>/hold/", holding.hold, name="hold"),
    path("<int:pk>/hold/register/", holding.register, name="hold_register"),
    path("<int:pk>/hold/child/<int:child_pk>/", holding.child, name="hold_child"),
    path("<int:pk>/hold/signs-of-safety/", holding.signs_of_safety, name="hold_signs_of_safety"),
    path("<int:pk>/hold/check/", holding.check, name="hold_check"),
    path("<int:pk>/adjourn/", holding.adjourn, name="adjourn"),
]
