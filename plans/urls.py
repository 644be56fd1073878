from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("start/<int:child_pk>/", views.start, name="start"),
    path("<int:pk>/category/", views.change_category, name="change_category"),
    path("<int:pk>/end/", views.end, name="end"),
]
