"""Routes: feedback (quality assurance)."""

urlpatterns: list = []
