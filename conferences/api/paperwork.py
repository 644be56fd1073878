"""API: paperwork (conferences part 2)."""

urlpatterns: list = []
