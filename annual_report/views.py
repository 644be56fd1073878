"""The annual report's pages. Every view asks people.access (through selectors) who may read,
edit and approve; the services refuse what the roles or the report's state do not allow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from audit.models import AccessEvent
from iro_service.forms import add_service_errors
from people.access import can_approve_annual_report, can_edit_annual_report
from reporting.selectors import reporting_year_of, reporting_years

from . import document, figures, selectors, services
from .forms import ReportCreateForm, SectionForm
from .models import AnnualReport, ReportVersion


def _require_editor(request) -> None:
    selectors.require_reader(request.user)
    if not can_edit_annual_report(request.user):
        raise PermissionDenied("Only the Senior IRO edits the annual report.")


def _creatable_years() -> list[int]:
    """Years with records (or reference data), and the last ten, that have no report yet."""
    today = timezone.localdate()
    current = reporting_year_of(today)
    years = set(reporting_years(today=today)) | set(range(current, current - 10, -1))
    taken = set(AnnualReport.objects.values_list("year", flat=True))
    return sorted(years - taken, reverse=True)


@require_GET
def report_list(request):
    reports = selectors.report_list_for(request.user)
    form = (
        ReportCreateForm(years=_creatable_years()) if can_edit_annual_report(request.user) else None
    )
    return render(request, "annual_report/report_list.html", {"reports": reports, "form": form})


@require_POST
def report_create(request):
    _require_editor(request)
    form = ReportCreateForm(request.POST, years=_creatable_years())
    if form.is_valid():
        try:
            report = services.report_create(year=form.cleaned_data["year"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The annual report for {report.year_label} has been started."
            )
            return redirect("annual_report:detail", year=report.year)
    reports = selectors.report_list_for(request.user)
    return render(request, "annual_report/report_list.html", {"reports": reports, "form": form})


@require_GET
def report_detail(request, year: int):
    report = selectors.access_report(request.user, year)
    current = services.narrative_of(report)
    versions = list(report.versions.select_related("requested_by").order_by("-number"))
    for version in versions:
        version.is_current = version.narrative == current
    latest_change = max((s.updated_at for s in report.sections.all()), default=None)
    return render(
        request,
        "annual_report/report_detail.html",
        {
            "report": report,
            "sections": report.sections.select_related("updated_by").order_by("order"),
            "versions": versions,
            "latest_change": latest_change,
            "can_edit": can_edit_annual_report(request.user) and not report.is_approved,
            "can_approve": can_approve_annual_report(request.user) and not report.is_approved,
        },
    )


@require_GET
def report_preview(request, year: int):
    report = selectors.access_report(request.user, year)
    data, as_of = selectors.current_figures(year=report.year)
    built = document.build(
        year=report.year,
        sections=services.narrative_of(report),
        data=data,
        data_as_of=as_of,
        approved_by=report.approved_by,
        approved_at=report.approved_at,
    )
    return render(
        request, "annual_report/report_preview.html", {"report": report, "document": built}
    )


@require_http_methods(["GET", "POST"])
def section_edit(request, year: int, key: str):
    _require_editor(request)
    report = selectors.access_report(request.user, year)
    section = selectors.access_section(request.user, report, key)
    if report.is_approved:
        messages.info(request, services.FROZEN)
        return redirect("annual_report:detail", year=report.year)
    data, as_of = selectors.current_figures(year=report.year)
    values = services.figure_values(year=report.year, data=data, report=report)
    initial = {"title": section.title, "body": section.body}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                section=section,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                known_figures=set(values),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{section.title}” has been saved.")
            return redirect("annual_report:detail", year=report.year)
    exhibits = sorted(
        document.exhibits_of(section.key), key=document.HOME.get(section.key, []).index
    )
    return render(
        request,
        "annual_report/section_form.html",
        {
            "report": report,
            "section": section,
            "form": form,
            "catalogue": figures.catalogue(values),
            "figures_as_of": as_of,
            "exhibits": exhibits,
            "history": section.history.select_related("history_user").order_by("-history_date")[
                :10
            ],
        },
    )


@require_POST
def version_request(request, year: int):
    _require_editor(request)
    report = selectors.access_report(request.user, year)
    try:
        version = services.version_request(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("annual_report:detail", year=report.year)
    return redirect("annual_report:version", year=report.year, number=version.number)


def state_of(version: ReportVersion) -> str:
    """The one sentence the status page gives for a version's state, whatever that state is:
    the page, its script and the JSON status all show this text and nothing else."""
    if version.status == ReportVersion.Status.DONE:
        pages = f"{version.page_count} page{'' if version.page_count == 1 else 's'}"
        return f"Ready: {pages}, made in {version.seconds or 0:.1f} seconds."
    if version.status == ReportVersion.Status.FAILED:
        return "The PDF could not be made."
    if version.status == ReportVersion.Status.QUEUED:
        return "Waiting to start: 0% done."
    step = min(version.step + 1, version.steps_total)
    return (
        f"Making the PDF: {version.percent_done}% done. Step {step} of {version.steps_total}: "
        f"{version.step_label}."
    )


def figures_as_at(version: ReportVersion) -> str:
    if version.data_as_of is None:
        return "Not computed yet"
    return dateformat.format(timezone.localtime(version.data_as_of), "j F Y, H:i")


@require_GET
def version_detail(request, year: int, number: int):
    report = selectors.access_report(request.user, year)
    version = selectors.access_version(request.user, report, number)
    return render(
        request,
        "annual_report/version_detail.html",
        {
            "report": report,
            "version": version,
            "state": state_of(version),
            "figures_as_at": figures_as_at(version),
            "can_make_again": can_edit_annual_report(request.user) and not report.is_approved,
            "can_retry_approved": can_approve_annual_report(request.user)
            or can_edit_annual_report(request.user),
        },
    )


@require_GET
def version_status(request, year: int, number: int):
    report = selectors.access_report(request.user, year)
    version = selectors.access_version(request.user, report, number)
    return JsonResponse(
        {
            "status": version.status,
            "status_label": version.get_status_display(),
            "state": state_of(version),
            "figures_as_at": figures_as_at(version),
            "percent": version.percent_done,
            "step": version.step,
            "steps_total": version.steps_total,
            "step_label": version.step_label,
            "finished": version.is_finished,
            "page_count": version.page_count,
        }
    )


@require_GET
def version_download(request, year: int, number: int):
    report = selectors.access_report(request.user, year)
    version = selectors.access_version(request.user, report, number)
    if version.status != ReportVersion.Status.DONE or not version.pdf:
        raise Http404("This version has no PDF yet.")
    detail = {"year": year, "version": number}
    audit.record(request, AccessEvent.Kind.EXPORTED, what="annual_report.pdf", detail=detail)
    return FileResponse(
        version.pdf.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type="application/pdf",
    )


@require_http_methods(["GET", "POST"])
def version_approve(request, year: int, number: int):
    """GET: check before approving (what approval freezes, who and when), changing nothing.
    POST, from that page's Confirm button: approve."""
    selectors.require_reader(request.user)
    if not can_approve_annual_report(request.user):
        raise PermissionDenied("Only a directorate manager approves the annual report.")
    report = selectors.access_report(request.user, year)
    version = selectors.access_version(request.user, report, number)
    if request.method == "GET":
        refusal = services.approval_refusal(report=report, version=version)
        if refusal:
            messages.error(request, refusal)
            return redirect("annual_report:detail", year=report.year)
        return render(
            request,
            "annual_report/version_approve.html",
            {"report": report, "version": version, "sections": report.sections.count()},
        )
    try:
        approved = services.report_approve(report=report, version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("annual_report:detail", year=report.year)
    # The status page says whether the approved PDF is ready: the message does not guess.
    messages.success(request, f"The annual report for {report.year_label} is approved.")
    return redirect("annual_report:version", year=report.year, number=approved.number)


@require_POST
def version_retry(request, year: int, number: int):
    selectors.require_reader(request.user)
    report = selectors.access_report(request.user, year)
    version = selectors.access_version(request.user, report, number)
    try:
        services.approved_version_retry(version=version, by=request.user)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    return redirect("annual_report:version", year=report.year, number=version.number)
