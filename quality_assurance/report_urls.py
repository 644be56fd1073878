"""Routes: report (quality assurance)."""

urlpatterns: list = []
