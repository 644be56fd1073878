from django.urls import path

from . import views

app_name = "children"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/family/add/", views.family_member_add, name="family_member_add"),
    path(
        "households/<int:pk>/family/<int:member_pk>/",
        views.family_member_edit,
        name="family_member_edit",
    ),
]
