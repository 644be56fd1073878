"""API for core groups and child protection visits."""

urlpatterns: list = []
