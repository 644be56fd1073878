"""Routes: report (quality assurance): the quarterly QA report for the cluster meetings."""

from django.urls import path

from .views import report

urlpatterns: list = [
    path("report/", report.quarterly_report, name="quarterly_report"),
    path("report/pdf/", report.quarterly_report_pdf, name="quarterly_report_pdf"),
]
