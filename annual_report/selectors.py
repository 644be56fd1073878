"""Reads of annual reports, through the user's role (people.access).

A role that may not read annual reports is refused (403) before any lookup; a year or version
that does not exist is 404.
"""

from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from people.access import can_download_annual_report
from people.models import User

from .models import AnnualReport, ReportSection, ReportVersion

FIGURES_CACHE_SECONDS = 120


def require_reader(user: User) -> None:
    if not can_download_annual_report(user):
        raise PermissionDenied("Your role does not include the annual report.")


def report_list_for(user: User):
    require_reader(user)
    return AnnualReport.objects.select_related("approved_by").order_by("-year")


def access_report(user: User, year) -> AnnualReport:
    require_reader(user)
    try:
        return AnnualReport.objects.select_related("approved_by").get(year=int(year))
    except (AnnualReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No annual report for that year.") from exc


def access_section(user: User, report: AnnualReport, key: str) -> ReportSection:
    try:
        return report.sections.get(key=key)
    except ReportSection.DoesNotExist as exc:
        raise Http404("No such section.") from exc


def access_version(user: User, report: AnnualReport, number) -> ReportVersion:
    try:
        return report.versions.select_related("requested_by").get(number=int(number))
    except (ReportVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such version of the report.") from exc


def current_figures(*, year: int) -> tuple[dict, datetime]:
    """compute_all for the year, as the edit page and the preview show it, cached briefly so
    that saving a section does not recompute every measure."""
    from .services import compute_report_figures

    key = f"annual_report:figures:{year}"
    cached = cache.get(key)
    if cached is None:
        data, as_of = compute_report_figures(year=year)
        cached = (data, as_of.isoformat())
        cache.set(key, cached, FIGURES_CACHE_SECONDS)
    data, as_of = cached
    return data, datetime.fromisoformat(as_of).astimezone(timezone.get_current_timezone())
