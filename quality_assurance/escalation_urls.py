"""Routes: escalation (quality assurance)."""

urlpatterns: list = []
