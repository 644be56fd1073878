"""Holding a strategy meeting, and decisions not to convene to quality-assure."""

from django.urls import path

from .views import strategy_holding as views

urlpatterns: list = [
    path(
        "strategy-meetings/<int:pk>/hold/",
        views.strategy_meeting_hold,
        name="strategy_meeting_hold",
    ),
    path(
        "strategy-meetings/<int:pk>/hold/check/",
        views.strategy_meeting_hold_check,
        name="strategy_meeting_hold_check",
    ),
    path(
        "no-conference-decisions/",
        views.no_conference_decisions,
        name="no_conference_decisions",
    ),
    path(
        "no-conference-decisions/<int:pk>/review/",
        views.no_conference_review,
        name="no_conference_review",
    ),
]
