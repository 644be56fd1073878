"""Routes: feedback (quality assurance): feedback links and paper returns, the child's views
links and pictures, and cancelling or replacing an unused link of either kind."""

from django.urls import path

from .views import feedback

urlpatterns: list = [
    path("feedback/new/", feedback.paper_entry, name="feedback_new"),
    path("feedback/conferences/<int:pk>/links/", feedback.send_links, name="feedback_links"),
    path("feedback/conferences/<int:pk>/letters/", feedback.letters_pdf, name="feedback_letters"),
    path("child-views/conferences/<int:pk>/link/", feedback.views_link, name="views_link"),
    path("child-views/<int:pk>/picture/", feedback.picture, name="child_view_picture"),
    path("links/<int:pk>/cancel/", feedback.change_link, {"action": "cancel"}, name="cancel_link"),
    path("links/<int:pk>/resend/", feedback.change_link, {"action": "resend"}, name="resend_link"),
]
