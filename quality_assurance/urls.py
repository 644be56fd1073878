"""Quality assurance pages for staff (issue 11): the QA form, escalations, feedback typed in
from paper and the links sent, and the quarterly QA report. Each part's routes are in its own
module."""

from . import escalation_urls, feedback_urls, qa_form_urls, report_urls

app_name = "quality"
urlpatterns = [
    *qa_form_urls.urlpatterns,
    *escalation_urls.urlpatterns,
    *feedback_urls.urlpatterns,
    *report_urls.urlpatterns,
]
