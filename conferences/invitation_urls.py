"""The invitees and reports of one conference, included by conferences/urls.py at
`conferences/<int:pk>/invitees/` in the `conferences` namespace (so no app_name here)."""

from django.urls import path

from .views import invitations as views
from .views import portal

urlpatterns = [
    path("", views.invitees, name="invitees"),
    path("add/", views.invitee_add, name="invitees_add"),
    path("from-record/", views.invitees_from_record, name="invitees_from_record"),
    path("send/", views.invitations_send, name="invitees_send"),
    path("letters/", views.letters, name="invitees_letters"),
    path("letters/letters.pdf", views.letters_pdf, name="invitees_letters_pdf"),
    path("letters/again.pdf", views.letters_again, name="invitees_letters_again"),
    path("tell/", views.tell_of_change, name="invitees_tell"),
    path("reports/request/", views.reports_request, name="reports_request"),
    path("reports/<int:report_pk>/received/", views.report_received, name="reports_received"),
    path("reports/<int:report_pk>/shared/", views.report_shared, name="reports_shared"),
    # The document portal (views/portal.py).
    path("reports/<int:report_pk>/add/", portal.report_add, name="reports_add"),
    path(
        "reports/<int:report_pk>/documents/<int:document_pk>/",
        portal.document_download,
        name="reports_document",
    ),
    path("links/<int:link_pk>/again/", portal.link_again, name="portal_link_again"),
    path("share/", portal.share, name="reports_share"),
    path("share/confirm/", portal.share_confirm, name="reports_share_confirm"),
    path("share/post/", portal.post, name="reports_post"),
    path("share/post/reports.pdf", portal.post_pack, name="reports_post_pack"),
]
