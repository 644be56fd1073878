"""API: escalations (quality assurance)."""

urlpatterns: list = []
