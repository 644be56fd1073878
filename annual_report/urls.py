from django.urls import path

from . import views

app_name = "annual_report"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("<int:year>/preview/", views.report_preview, name="preview"),
    path("<int:year>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("<int:year>/versions/", views.version_request, name="version_request"),
    path("<int:year>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:year>/versions/<int:number>/status/", views.version_status, name="version_status"),
    path("<int:year>/versions/<int:number>/download/", views.version_download, name="download"),
    path("<int:year>/versions/<int:number>/approve/", views.version_approve, name="approve"),
    path("<int:year>/versions/<int:number>/retry/", views.version_retry, name="retry"),
]
