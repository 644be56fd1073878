"""Routes: qa_form (quality assurance)."""

urlpatterns: list = []
