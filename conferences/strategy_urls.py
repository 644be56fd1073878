"""Holding a strategy meeting, and decisions not to convene to quality-assure."""

urlpatterns: list = []
