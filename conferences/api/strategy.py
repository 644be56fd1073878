"""API: strategy (conferences part 2)."""

urlpatterns: list = []
