from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from children.api import views as children_api
from reporting.api import views as reporting_api

app_name = "api"
urlpatterns = [
    path("children/", children_api.ChildSearchApi.as_view(), name="child-search"),
    path("children/<int:pk>/", children_api.ChildDetailApi.as_view(), name="child-detail"),
    path("indicators/", reporting_api.IndicatorsApi.as_view(), name="indicators"),
    path("snapshots/", reporting_api.SnapshotListApi.as_view(), name="snapshot-list"),
    path("snapshots/<int:pk>/", reporting_api.SnapshotDetailApi.as_view(), name="snapshot-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
