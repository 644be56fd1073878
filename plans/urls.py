from django.urls import path

from . import contacts_views, views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/category/", views.change_category, name="change_category"),
    path("<int:pk>/end/", views.end, name="end"),
    # Core groups and child protection visits (conferences part 2).
    path("<int:pk>/contacts/", contacts_views.contacts, name="contacts"),
    path("<int:pk>/core-groups/new/", contacts_views.core_group_new, name="core_group_new"),
    path("<int:pk>/visits/new/", contacts_views.visit_new, name="visit_new"),
    path("overdue/", contacts_views.overdue, name="overdue"),
]
