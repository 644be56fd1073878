"""API: holding (conferences part 2)."""

urlpatterns: list = []
