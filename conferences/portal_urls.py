"""The document portal's public pages, reached by a one-time link without an account
(views/portal_public.py), at /documents/ in the `portal` namespace."""

from django.urls import path

from .views import portal_public as views

app_name = "portal"
urlpatterns = [
    path("report/<str:token>/", views.upload, name="upload"),
    path("report/<str:token>/form/", views.upload_form, name="upload_form"),
    path("report/<str:token>/form/check/", views.upload_check, name="upload_check"),
    path("sent/", views.sent, name="sent"),
    path("family/<str:token>/", views.family, name="family"),
    path("family/<str:token>/<int:document_pk>/", views.family_document, name="family_document"),
]
