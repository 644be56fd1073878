from django.contrib import admin
from django.urls import include, path

from people import views as people_views

from .health import health

urlpatterns = [
    path("", people_views.home, name="home"),
    path("", include("people.urls")),
    path("children/", include("children.urls")),
    path("plans/", include("plans.urls")),
    path("conferences/", include("conferences.urls")),
    path("quality/", include("quality_assurance.urls")),
    # Pages for parents and children reached by a one-time link, without an account.
    path("respond/", include("quality_assurance.public_urls")),
    # The document portal: agencies send reports, families read them (one-time links).
    path("documents/", include("conferences.portal_urls")),
    path("census/", include("census.urls")),
    path("annual-report/", include("annual_report.urls")),
    path("dashboard/", include("reporting.urls")),
    path("audit/", include("audit.urls")),  # Audit (issue 12)
    path("case-audits/", include("case_audits.urls")),  # Themed case audits (§7.7.1)
    path("outbox/", include("outbox.urls")),  # only while the outbox backend is in use
    path("api/", include("iro_service.api_router")),
    path("admin/", admin.site.urls),
    # For load balancers and healthchecks: no sign-in (iro_service/health.py).
    path("health/", health, name="health"),
]
