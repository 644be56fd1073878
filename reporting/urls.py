from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:name>.csv", views.table_csv, name="table_csv"),
    path("refresh/", views.refresh, name="refresh"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    path("monthly-lists/", views.monthly_lists, name="monthly_lists"),
    path("monthly-lists/<slug:name>.csv", views.monthly_list_csv, name="monthly_list_csv"),
]
