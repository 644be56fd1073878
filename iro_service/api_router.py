from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from children.api import views as children_api
from conferences.api import views as conferences_api
from conferences.api.part2 import urlpatterns as conferences_api_part2
from plans.api import urlpatterns as plans_api
from quality_assurance.api import urlpatterns as quality_api
from reporting.api import views as reporting_api

app_name = "api"
urlpatterns = [
    path("children/", children_api.ChildSearchApi.as_view(), name="child-search"),
    path("children/<int:pk>/", children_api.ChildDetailApi.as_view(), name="child-detail"),
    path("conferences/", conferences_api.ConferenceListApi.as_view(), name="conference-list"),
    path(
        "conferences/<int:pk>/",
        conferences_api.ConferenceDetailApi.as_view(),
        name="conference-detail",
    ),
    path(
        "conferences/<int:pk>/rearrange/",
        conferences_api.ConferenceRearrangeApi.as_view(),
        name="conference-rearrange",
    ),
    path(
        "conferences/<int:pk>/cancel/",
        conferences_api.ConferenceCancelApi.as_view(),
        name="conference-cancel",
    ),
    path(
        "conferences/<int:pk>/invitees/",
        conferences_api.ConferenceInviteesApi.as_view(),
        name="conference-invitees",
    ),
    path(
        "conferences/<int:pk>/invitees/send/",
        conferences_api.ConferenceInvitationsSendApi.as_view(),
        name="conference-invitations-send",
    ),
    path(
        "strategy-meetings/",
        conferences_api.StrategyMeetingListApi.as_view(),
        name="strategy-meeting-list",
    ),
    path(
        "strategy-meetings/<int:pk>/",
        conferences_api.StrategyMeetingDetailApi.as_view(),
        name="strategy-meeting-detail",
    ),
    path(
        "strategy-meetings/<int:pk>/cancel/",
        conferences_api.StrategyMeetingCancelApi.as_view(),
        name="strategy-meeting-cancel",
    ),
    path("to-book/", conferences_api.ToBookApi.as_view(), name="to-book"),
    path("due/", conferences_api.DueApi.as_view(), name="due"),
    path("indicators/", reporting_api.IndicatorsApi.as_view(), name="indicators"),
    path("snapshots/", reporting_api.SnapshotListApi.as_view(), name="snapshot-list"),
    path("snapshots/<int:pk>/", reporting_api.SnapshotDetailApi.as_view(), name="snapshot-detail"),
    *conferences_api_part2,
    *plans_api,
    *quality_api,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from docs/?script=, not inline: the Content
    # Security Policy runs no inline script without the page's nonce.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
