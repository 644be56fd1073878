"""After a conference: the decision sheet and the minutes, and the list of those not yet sent.
Appended to conferences/urls.py's routes, in the `conferences` namespace."""

from django.urls import path

from .views import paperwork as views

urlpatterns = [
    path("paperwork/", views.paperwork_list, name="paperwork"),
    path("<int:pk>/decision-sheet/", views.decision_sheet, name="decision_sheet"),
    path("<int:pk>/decision-sheet.pdf", views.decision_sheet_pdf, name="decision_sheet_pdf"),
    path(
        "<int:pk>/decision-sheet/sign-off/",
        views.decision_sheet_sign_off,
        name="decision_sheet_sign_off",
    ),
    path("<int:pk>/decision-sheet/send/", views.decision_sheet_send, name="decision_sheet_send"),
    path(
        "<int:pk>/decision-sheet/letters.pdf",
        views.decision_sheet_letters,
        name="decision_sheet_letters",
    ),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/upload/", views.minutes_upload, name="minutes_upload"),
    path("<int:pk>/minutes/uploads/<int:upload_pk>/", views.minutes_file, name="minutes_file"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/minutes/sign-off/", views.minutes_sign_off, name="minutes_sign_off"),
    path("<int:pk>/minutes/send/", views.minutes_send, name="minutes_send"),
    path("<int:pk>/minutes/letters.pdf", views.minutes_letters, name="minutes_letters"),
]
