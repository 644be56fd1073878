"""Holding a conference: attendance, each child's decision, adjournment."""

urlpatterns: list = []
