"""The document portal's pages for people without an account (services/portal.py): an
agency's page to send its report, and a family member's page to read the reports shared with
them. Each view is marked login_not_required and checks its token; attempts are counted
against the client's address (quality_assurance/links.py). A used, expired, cancelled,
unknown or tampered link gets a plain page and changes nothing. The pages say nothing about
the case beyond the conference's date and reference.

An upload larger than IRO_REPORT_MAX_MB is refused from the request's Content-Length, before
anything reads the body (the CSRF check, which reads the form, runs after that one)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

import audit
from audit.models import AccessEvent
from iro_service.forms import add_service_errors
from iro_service.public_pages import public_page, too_many
from quality_assurance.links import allow_attempt

from .. import letters, portal_links
from ..forms_portal import AgencyReportForm, ReportFileForm
from ..models import PortalLink, ReportDocument
from ..services import portal

TEMPLATES = "conferences/portal"
STATUS = {
    portal_links.UNKNOWN: 404,
    portal_links.USED: 410,
    portal_links.EXPIRED: 410,
    portal_links.CANCELLED: 410,
}
FORM_ALLOWANCE_BYTES = 64 * 1024  # the CSRF token, the file's name and the boundaries
Purpose = PortalLink.Purpose


def _page(request, template: str, context: dict | None = None, *, status: int = 200):
    return public_page(request, f"{TEMPLATES}/{template}", context, status=status)


def _refusal(request, state: str, purpose: str):
    if state == "too_many":
        return too_many(request, layout=f"{TEMPLATES}/_layout.html")
    return _page(
        request, "not_working.html", {"state": state, "purpose": purpose}, status=STATUS[state]
    )


def _valid_link(request, token: str, purpose: str):
    """(link, None) for a link that works, else (None, the page saying why)."""
    if not allow_attempt(request):
        return None, _refusal(request, "too_many", purpose)
    link = portal_links.find(token, purpose)
    state = portal_links.state(link, timezone.now())
    if state != portal_links.VALID:
        return None, _refusal(request, state, purpose)
    return link, None


def _meeting(link: PortalLink) -> dict:
    return letters.meeting_context(link.conference)


def _answers_key(link: PortalLink) -> str:
    return f"portal-report-{link.pk}"


def _sent(request, link: PortalLink, document: ReportDocument):
    request.session.pop(_answers_key(link), None)
    request.session["portal-sent"] = {
        "time": letters.format_time(document.received_at),
        "day": letters.format_day(document.received_at),
        "reference": _meeting(link)["reference"],
    }
    return redirect("portal:sent")


def _send(request, link: PortalLink, form, **sending):
    try:
        document = portal.report_send(link=link, now=timezone.now(), **sending)
    except ValidationError as error:
        if error.messages and error.messages[0] in STATUS and not hasattr(error, "error_dict"):
            return _refusal(request, error.messages[0], Purpose.UPLOAD)
        add_service_errors(form, error)
        return None
    return _sent(request, link, document)


def _declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


@login_not_required
@never_cache
@csrf_exempt  # checked by csrf_protect below, once the body is known to be small enough
@require_http_methods(["GET", "POST"])
def upload(request, token: str):
    if request.method == "POST" and _declared_length(request) > (
        portal.max_bytes() + FORM_ALLOWANCE_BYTES
    ):
        link, refused = _valid_link(request, token, Purpose.UPLOAD)
        if refused:
            return refused
        form = ReportFileForm(data={}, files={})
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "file",
            f"The report must be smaller than {portal.max_bytes() // (1024 * 1024)}MB. "
            "Nothing was sent.",
        )
        return _upload_page(request, link, form, status=413)
    return _upload(request, token)


@csrf_protect
def _upload(request, token: str):
    link, refused = _valid_link(request, token, Purpose.UPLOAD)
    if refused:
        return refused
    form = ReportFileForm()
    if request.method == "POST":
        form = ReportFileForm(request.POST, request.FILES)
        if form.is_valid():
            done = _send(request, link, form, upload=form.cleaned_data["file"])
            if done is not None:
                return done
    return _upload_page(request, link, form, status=400 if form.errors else 200)


def _upload_page(request, link, form, *, status: int):
    return _page(
        request,
        "upload.html",
        {
            "form": form,
            "link": link,
            "meeting": _meeting(link),
            "token": request.resolver_match.kwargs["token"],
        },
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def upload_form(request, token: str):
    """The agency report form, then a check of the answers before they are sent."""
    link, refused = _valid_link(request, token, Purpose.UPLOAD)
    if refused:
        return refused
    key = _answers_key(link)
    if request.method == "POST":
        form = AgencyReportForm(request.POST)
        if form.is_valid():
            request.session[key] = form.answers()
            return redirect("portal:upload_check", token=token)
    else:
        form = AgencyReportForm(initial=request.session.get(key))
    return _page(
        request,
        "report_form.html",
        {"form": form, "link": link, "meeting": _meeting(link), "token": token},
        status=400 if form.errors else 200,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def upload_check(request, token: str):
    link, refused = _valid_link(request, token, Purpose.UPLOAD)
    if refused:
        return refused
    answers = request.session.get(_answers_key(link))
    if not answers:
        return redirect("portal:upload_form", token=token)
    form = AgencyReportForm(answers)
    if request.method == "POST" and form.is_valid():
        done = _send(request, link, form, answers=form.answers())
        if done is not None:
            return done
    rows = [
        (name, question, answers.get(name, "")) for name, question, _ in portal.TEMPLATE_QUESTIONS
    ]
    return _page(
        request,
        "report_check.html",
        {"form": form, "rows": rows, "link": link, "meeting": _meeting(link), "token": token},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_GET
def sent(request):
    return _page(request, "sent.html", {"sent": request.session.get("portal-sent")})


@login_not_required
@never_cache
@require_GET
def family(request, token: str):
    link, refused = _valid_link(request, token, Purpose.FAMILY)
    if refused:
        return refused
    portal.link_opened(link, timezone.now())
    return _page(
        request,
        "family.html",
        {
            "link": link,
            "meeting": _meeting(link),
            "documents": portal.shared_with(link),
            "token": token,
        },
    )


@login_not_required
@never_cache
@require_GET
def family_document(request, token: str, document_pk: int):
    link, refused = _valid_link(request, token, Purpose.FAMILY)
    if refused:
        return refused
    document = next((d for d in portal.shared_with(link) if d.pk == document_pk), None)
    if document is None:
        raise Http404("No report found")
    content, content_type, filename = portal.document_file(document)
    audit.record(
        request,
        AccessEvent.Kind.EXPORTED,
        children=link.conference.child_outcomes.values_list("child", flat=True),
        what="conference report, read through the family's link",
        detail={"report": document.pk, "link": link.pk},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
