from django.urls import path

from . import views

app_name = "census"
urlpatterns = [
    path("", views.index, name="index"),
    path("cin-census/", views.cin_census, name="cin_census"),
    path("annex-a/", views.annex_a_list, name="annex_a"),
]
