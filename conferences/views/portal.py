"""The document portal for staff (services/portal.py): a report's document, read by those who
may see the conference and recorded in the access audit; business support adding a report
that came another way, sending a link again, and sharing the reports with the family (a check
before sharing, which cannot be undone; the printed pack for those without email)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from audit.models import AccessEvent
from iro_service.forms import add_service_errors

from .. import ics
from ..forms_portal import AgencyReportForm, ReportFileForm, ShareForm
from ..models import PortalLink, ReportDocument, ReportRequest
from ..services import portal
from .invitations import _back, _conference, _names

TEMPLATES = "conferences/portal"


def _page(request, template: str, conference, **context):
    return render(
        request,
        f"{TEMPLATES}/{template}",
        {"conference": conference, "reference": ics.reference(conference), **context},
        status=400
        if context.get("errors") or any(getattr(f, "errors", None) for f in context.values())
        else 200,
    )


def _audit_read(request, conference, document: ReportDocument) -> None:
    audit.record(
        request,
        AccessEvent.Kind.EXPORTED,
        children=conference.child_outcomes.values_list("child", flat=True),
        what="conference report",
        detail={"report": document.pk},
    )


@require_GET
def document_download(request, pk: int, report_pk: int, document_pk: int):
    return document_response(request, _conference(request, pk), report_pk, document_pk)


def document_response(request, conference, report_pk: int, document_pk: int) -> HttpResponse:
    """A report's document as a download, recorded in the access audit (the page and the
    API)."""
    document = get_object_or_404(
        ReportDocument.objects.select_related("report__author", "report__conference"),
        pk=document_pk,
        report_id=report_pk,
        report__conference=conference,
    )
    content, content_type, filename = portal.document_file(document)
    _audit_read(request, conference, document)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def report_add(request, pk: int, report_pk: int):
    """Add a report that came by secure email or on paper: a file, or the form typed in."""
    conference = _conference(request, pk, write=True)
    report = get_object_or_404(
        ReportRequest.objects.select_related("author"), pk=report_pk, conference=conference
    )
    file_form, answers_form = ReportFileForm(), AgencyReportForm()
    if request.method == "POST":
        sending = {}
        if request.POST.get("kind") == "form":
            answers_form = AgencyReportForm(request.POST)
            if answers_form.is_valid():
                sending = {"answers": answers_form.answers()}
            form = answers_form
        else:
            file_form = ReportFileForm(request.POST, request.FILES)
            if file_form.is_valid():
                sending = {"upload": file_form.cleaned_data["file"]}
            form = file_form
        if sending:
            try:
                portal.report_add(report=report, by=request.user, now=timezone.now(), **sending)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{report.author.name}'s report is added.")
                return _back(conference)
    return _page(
        request,
        "report_add.html",
        conference,
        report=report,
        file_form=file_form,
        answers_form=answers_form,
    )


@require_http_methods(["GET", "POST"])
def link_again(request, pk: int, link_pk: int):
    """Cancel a link that still works and email the same person a new one."""
    conference = _conference(request, pk, write=True)
    link = get_object_or_404(
        PortalLink.objects.select_related("invitee"), pk=link_pk, conference=conference
    )
    errors = []
    if request.method == "POST":
        try:
            portal.link_send_again(link=link, by=request.user, now=timezone.now())
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"A new link is emailed to {link.invitee.name}. The earlier one no longer works.",
            )
            return _back(conference)
    return _page(request, "link_again.html", conference, link=link, errors=errors)


def _share_form(request, conference, data=None):
    return ShareForm(data, documents=portal.latest_documents(conference))


@require_http_methods(["GET", "POST"])
def share(request, pk: int):
    """Choose the reports to share; then check who gets them, and how, before sharing."""
    conference = _conference(request, pk, write=True)
    if request.method == "POST":
        form = _share_form(request, conference, request.POST)
        if form.is_valid():
            plan = portal.share_plan(conference, form.chosen())
            if plan.anything:
                return _page(request, "share_check.html", conference, form=form, plan=plan)
            form.add_error("documents", "These reports are already shared with everyone")
    else:
        documents = portal.latest_documents(conference)
        form = _share_form(request, conference)
        form.initial = {
            "documents": [str(d.pk) for d in documents if not d.report.shared_with_parents_at]
        }
    return _page(
        request,
        "share.html",
        conference,
        form=form,
        family=portal.family(conference),
        at_risk=portal.sharing_at_risk(conference, timezone.now()),
    )


@require_POST
def share_confirm(request, pk: int):
    conference = _conference(request, pk, write=True)
    form = _share_form(request, conference, request.POST)
    if not form.is_valid():
        return _page(request, "share.html", conference, form=form, family=portal.family(conference))
    try:
        sent = portal.reports_share(
            conference=conference, documents_=form.chosen(), by=request.user, now=timezone.now()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, "share.html", conference, form=form, family=portal.family(conference))
    if sent.emailed:
        messages.success(request, f"The reports are shared with {_names(sent.emailed)} by email.")
    if sent.failed:
        messages.warning(
            request, f"The emails to {_names(sent.failed)} could not be sent. Share again."
        )
    if sent.letters:
        return redirect("conferences:reports_post", pk=conference.pk)
    return _back(conference)


@require_http_methods(["GET", "POST"])
def post(request, pk: int):
    """The reports to print and post to those without an email address, and recording them
    as posted (the shared time)."""
    conference = _conference(request, pk, write=True)
    errors = []
    if request.method == "POST":
        try:
            posted = portal.reports_posted(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"The reports are recorded as posted to {_names(posted)}.")
            return _back(conference)
    waiting = portal.to_post(conference)
    return _page(request, "post.html", conference, waiting=waiting, errors=errors)


@require_GET
def post_pack(request, pk: int):
    conference = _conference(request, pk, write=True)
    if not portal.to_post(conference):
        raise Http404("There are no reports waiting to be posted")
    content = portal.post_pack_pdf(conference)
    audit.record(
        request,
        AccessEvent.Kind.EXPORTED,
        children=conference.child_outcomes.values_list("child", flat=True),
        what="conference reports to post",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="reports-to-post-{ics.reference(conference)}.pdf"'
    )
    return response
