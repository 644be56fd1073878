"""API: feedback (quality assurance)."""

urlpatterns: list = []
