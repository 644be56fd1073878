"""Routes: the chair's QA form (quality assurance)."""

from django.urls import path

from .views import qa_forms

urlpatterns: list = [
    path("qa-forms/", qa_forms.owed, name="qa_forms_owed"),
    path("qa-forms/<int:conference_pk>/", qa_forms.qa_form, name="qa_form"),
]
