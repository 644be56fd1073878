"""Routes: escalation (quality assurance)."""

from django.urls import path

from .views import escalations as views

urlpatterns: list = [
    path("escalations/", views.escalation_list, name="escalations"),
    path("escalations/new/", views.escalation_new, name="escalation_new"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation"),
    path("escalations/<int:pk>/respond/", views.escalation_respond, name="escalation_respond"),
    path("escalations/<int:pk>/move-up/", views.escalation_move_up, name="escalation_move_up"),
    path(
        "escalations/<int:pk>/addressee/",
        views.escalation_readdress,
        name="escalation_readdress",
    ),
    path("escalations/<int:pk>/resolve/", views.escalation_resolve, name="escalation_resolve"),
    path("escalations/<int:pk>/withdraw/", views.escalation_withdraw, name="escalation_withdraw"),
]
