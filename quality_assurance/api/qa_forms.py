"""API: qa_forms (quality assurance)."""

urlpatterns: list = []
