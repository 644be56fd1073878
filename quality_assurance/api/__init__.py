"""API routes of quality assurance; each part's views in its own module."""

from .escalations import urlpatterns as escalations
from .feedback import urlpatterns as feedback
from .qa_forms import urlpatterns as qa_forms

urlpatterns = [*qa_forms, *escalations, *feedback]
