"""API for core groups and child protection visits."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("plans/<int:pk>/core-groups/", views.CoreGroupsApi.as_view(), name="plan-core-groups"),
    path("plans/<int:pk>/visits/", views.VisitsApi.as_view(), name="plan-visits"),
    path("overdue-contacts/", views.OverdueContactsApi.as_view(), name="overdue-contacts"),
]
