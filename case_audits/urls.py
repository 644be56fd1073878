"""Routes: themed case audits (§7.7.1)."""

from django.urls import path

from . import views

app_name = "case_audits"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.start, name="start"),
    path("new/cases/", views.start_cases, name="start_cases"),
    path("new/check/", views.start_check, name="start_check"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cases/<int:case_pk>/", views.case, name="case"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/complete/", views.complete, name="complete"),
]
