"""After a conference: its decision sheet and minutes, and the list of those not yet sent
(workflows.md, "After"). Every role that works with conferences reads them (a district
manager, their district's; anyone else is told the conference is not there). The chair or
the Senior IRO signs off; the minute taker, business support, the chair or the Senior IRO
write or upload the minutes; business support (and the Senior IRO) send."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from audit.models import AccessEvent
from iro_service.forms import add_service_errors
from people.access import (
    CHAIR_ROLES,
    can_draft_minutes,
    can_send_links_and_enter_feedback,
    can_send_paperwork,
    can_sign_off_paperwork,
    district_scope,
    has_role,
)
from people.models import District
from quality_assurance.selectors import feedback_to_send

from .. import decision_sheet as sheets
from .. import ics
from .. import selectors_paperwork as paperwork_selectors
from ..forms_paperwork import MinutesTextForm, MinutesUploadForm, PaperworkFilterForm
from ..models import Conference, MinutesUpload
from ..selectors import access_conference
from ..services import paperwork
from .booking import require_reader

TEMPLATES = "conferences/paperwork"
PAGE_SIZE = 25
PAGES = {
    paperwork.DECISION_SHEET: "conferences:decision_sheet",
    paperwork.MINUTES: "conferences:minutes",
}


def _conference(request, pk: int) -> Conference:
    require_reader(request)
    return access_conference(request.user, pk)


def _names(people) -> str:
    names = [person.name for person in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _is_late(due, sent_at) -> bool:
    return bool(due and sent_at is None and due < timezone.localdate())


def _failed_key(conference: Conference, item: str) -> str:
    return f"paperwork-failed:{conference.pk}:{item}"


def _failed(request, conference: Conference, item: str) -> list:
    ids = request.session.get(_failed_key(conference, item)) or []
    return list(conference.invitees.filter(pk__in=ids).order_by("name", "pk")) if ids else []


def _page(request, template: str, conference: Conference, **context):
    return render(
        request,
        f"{TEMPLATES}/{template}",
        {"conference": conference, "reference": ics.reference(conference), **context},
    )


def _pdf(content: bytes, conference: Conference, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{name}-{ics.reference(conference)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _audit_download(request, conference: Conference, name: str) -> None:
    """The audit: each child of the conference, whose paperwork this is, downloaded by whom."""
    children = conference.child_outcomes.values_list("child", flat=True)
    audit.record(request, AccessEvent.Kind.EXPORTED, children=children, what=name)


# -- the decision sheet ----------------------------------------------------------------------


def _decision_sheet_page(request, conference: Conference, *, errors=()):
    held = conference.status == Conference.Status.HELD
    user = request.user
    signed = conference.decision_sheet_signed_off_at is not None
    sent = conference.decision_sheet_distributed_at is not None
    by_email, by_letter = paperwork.recipients(conference) if held else ([], [])
    return _page(
        request,
        "decision_sheet.html",
        conference,
        held=held,
        sheet=sheets.decision_sheet_for(conference) if held else None,
        late=_is_late(conference.decision_sheet_due_by, conference.decision_sheet_distributed_at),
        may_sign_off=held and not signed and can_sign_off_paperwork(user, conference),
        may_send=held and signed and not sent and can_send_paperwork(user),
        may_print=sent and can_send_paperwork(user),
        by_email=by_email,
        by_letter=by_letter,
        failed=_failed(request, conference, paperwork.DECISION_SHEET) if sent else [],
        errors=list(errors),
    )


@require_GET
def decision_sheet(request, pk: int):
    return _decision_sheet_page(request, _conference(request, pk))


@require_GET
def decision_sheet_pdf(request, pk: int):
    conference = _conference(request, pk)
    if conference.status != Conference.Status.HELD:
        raise Http404("There is no decision sheet until the conference is held.")
    sheet = sheets.decision_sheet_for(conference)
    name = "draft-decision-sheet" if sheet.is_draft else "decision-sheet"
    _audit_download(request, conference, f"{name}.pdf")
    return _pdf(sheets.decision_sheet_pdf(sheet), conference, name)


@require_POST
def decision_sheet_sign_off(request, pk: int):
    conference = _conference(request, pk)
    if not can_sign_off_paperwork(request.user, conference):
        raise PermissionDenied("Only the chair or the Senior IRO signs off the decision sheet.")
    try:
        paperwork.decision_sheet_sign_off(
            conference=conference, by=request.user, now=timezone.now()
        )
    except ValidationError as refused:
        return _decision_sheet_page(request, conference, errors=refused.messages)
    messages.success(request, "The decision sheet is signed off. Business support can now send it.")
    return redirect("conferences:decision_sheet", pk=conference.pk)


def _require_sender(request) -> None:
    if not can_send_paperwork(request.user):
        raise PermissionDenied("Only business support and the Senior IRO send the paperwork.")


def _send(request, pk: int, item: str):
    """Check your answers (who gets an email, who a letter), then the sending."""
    conference = _conference(request, pk)
    _require_sender(request)
    service = (
        paperwork.decision_sheet_send
        if item == paperwork.DECISION_SHEET
        else paperwork.minutes_send
    )
    errors = []
    if request.method == "POST":
        try:
            sent = service(conference=conference, by=request.user, now=timezone.now())
        except ValidationError as refused:
            errors = refused.messages
        else:
            _say_what_was_sent(request, sent, item)
            request.session[_failed_key(conference, item)] = [i.pk for i in sent.failed]
            return redirect(PAGES[item], pk=conference.pk)
    by_email, by_letter = paperwork.recipients(conference)
    return _page(
        request,
        "send_check.html",
        conference,
        item=item,
        paper=paperwork.PAPERS[item],
        back=PAGES[item],
        by_email=by_email,
        by_letter=by_letter,
        refusal=paperwork.send_refusal(conference, item),
        errors=errors,
    )


def _say_what_was_sent(request, sent, item: str) -> None:
    paper = paperwork.PAPERS[item]
    if sent.emailed:
        messages.success(
            request,
            f"The {paper.what} {paper.was} emailed to "
            f"{_people(len(sent.emailed))}: {_names(sent.emailed)}.",
        )
    if sent.failed:
        messages.warning(
            request,
            f"The emails to {_names(sent.failed)} could not be sent: print a letter for them.",
        )
    if sent.letters:
        messages.info(
            request,
            f"{_people(len(sent.letters))} to write to: print the letters and post them today.",
        )


@require_http_methods(["GET", "POST"])
def decision_sheet_send(request, pk: int):
    return _send(request, pk, paperwork.DECISION_SHEET)


def _letters(request, pk: int, item: str):
    conference = _conference(request, pk)
    _require_sender(request)
    chosen = [value for value in request.GET.getlist("invitee") if value.isdigit()]
    service = (
        paperwork.decision_sheet_letters
        if item == paperwork.DECISION_SHEET
        else paperwork.minutes_letters
    )
    try:
        content = service(conference=conference, invitee_ids=[int(value) for value in chosen])
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
        return redirect(PAGES[item], pk=conference.pk)
    if chosen:
        request.session.pop(_failed_key(conference, item), None)
    _audit_download(request, conference, f"{item}_letters.pdf")
    return _pdf(content, conference, f"{item.replace('_', '-')}-letters")


@require_GET
def decision_sheet_letters(request, pk: int):
    return _letters(request, pk, paperwork.DECISION_SHEET)


# -- the minutes -----------------------------------------------------------------------------


def _minutes_page(request, conference, *, text_form=None, upload_form=None, errors=()):
    held = conference.status == Conference.Status.HELD
    user = request.user
    draft = paperwork.minutes_draft_of(conference) if held else None
    signed = conference.minutes_signed_off_at is not None
    sent = conference.minutes_distributed_at is not None
    may_draft = held and not signed and can_draft_minutes(user, conference)
    by_email, by_letter = paperwork.recipients(conference) if held else ([], [])
    return _page(
        request,
        "minutes.html",
        conference,
        held=held,
        draft=draft,
        uploads=conference.minutes_uploads.select_related("uploaded_by").order_by(
            "-uploaded_at", "-pk"
        ),
        late=_is_late(conference.minutes_due_by, conference.minutes_distributed_at),
        may_draft=may_draft,
        text_form=text_form
        or MinutesTextForm(initial={"text": conference.minutes_text}, prefix="minutes"),
        upload_form=upload_form or MinutesUploadForm(prefix="upload"),
        may_sign_off=held
        and not signed
        and draft is not None
        and can_sign_off_paperwork(user, conference),
        may_send=held and signed and not sent and can_send_paperwork(user),
        may_print=sent and can_send_paperwork(user) and bool(by_letter),
        by_email=by_email,
        by_letter=by_letter,
        failed=_failed(request, conference, paperwork.MINUTES) if sent else [],
        errors=list(errors),
        form=text_form if text_form is not None and text_form.errors else upload_form,
    )


def _require_drafter(request, conference: Conference) -> None:
    if not can_draft_minutes(request.user, conference):
        raise PermissionDenied(
            "Only the minute taker, business support, the chair or the Senior IRO write the minutes."
        )


@require_http_methods(["GET", "POST"])
def minutes(request, pk: int):
    """The minutes, and (POST) the draft written in the service saved."""
    conference = _conference(request, pk)
    if request.method == "GET":
        return _minutes_page(request, conference)
    _require_drafter(request, conference)
    form = MinutesTextForm(request.POST, prefix="minutes")
    if form.is_valid():
        try:
            paperwork.minutes_write(
                conference=conference,
                by=request.user,
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The draft minutes are saved.")
            return redirect("conferences:minutes", pk=conference.pk)
    return _minutes_page(request, conference, text_form=form)


@require_POST
def minutes_upload(request, pk: int):
    conference = _conference(request, pk)
    _require_drafter(request, conference)
    form = MinutesUploadForm(request.POST, request.FILES, prefix="upload")
    if form.is_valid():
        try:
            record = paperwork.minutes_upload(
                conference=conference,
                by=request.user,
                file=form.cleaned_data["file"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{record.original_name} is uploaded as the draft minutes.")
            return redirect("conferences:minutes", pk=conference.pk)
    return _minutes_page(request, conference, upload_form=form)


@require_GET
def minutes_file(request, pk: int, upload_pk: int):
    """An uploaded draft, for those who may see the conference: never a public media URL."""
    conference = _conference(request, pk)
    upload = get_object_or_404(MinutesUpload, pk=upload_pk, conference=conference)
    kind = paperwork.MINUTES_TYPES.get(upload.file.name.rsplit(".", 1)[-1].lower())
    if kind is None or not upload.file.storage.exists(upload.file.name):
        raise Http404("This document is not there.")
    number = conference.minutes_uploads.filter(uploaded_at__lte=upload.uploaded_at).count()
    suffix = upload.file.name.rsplit(".", 1)[-1].lower()
    _audit_download(request, conference, f"draft_minutes_upload.{suffix}")
    return FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=f"minutes-{ics.reference(conference)}-draft-{number}.{suffix}",
        content_type=kind,
    )


@require_GET
def minutes_pdf(request, pk: int):
    conference = _conference(request, pk)
    if conference.status != Conference.Status.HELD:
        raise Http404("There are no minutes until the conference is held.")
    try:
        content = paperwork.minutes_pdf(conference)
    except ValidationError as refused:
        raise Http404(" ".join(refused.messages)) from refused
    name = "minutes" if conference.minutes_signed_off_at else "draft-minutes"
    _audit_download(request, conference, f"{name}.pdf")
    return _pdf(content, conference, name)


@require_POST
def minutes_sign_off(request, pk: int):
    conference = _conference(request, pk)
    if not can_sign_off_paperwork(request.user, conference):
        raise PermissionDenied("Only the chair or the Senior IRO signs off the minutes.")
    try:
        paperwork.minutes_sign_off(conference=conference, by=request.user, now=timezone.now())
    except ValidationError as refused:
        return _minutes_page(request, conference, errors=refused.messages)
    messages.success(request, "The minutes are signed off. Business support can now send them.")
    return redirect("conferences:minutes", pk=conference.pk)


@require_http_methods(["GET", "POST"])
def minutes_send(request, pk: int):
    return _send(request, pk, paperwork.MINUTES)


@require_GET
def minutes_letters(request, pk: int):
    return _letters(request, pk, paperwork.MINUTES)


# -- the list --------------------------------------------------------------------------------


def _districts(request):
    districts = District.objects.all()
    scope = district_scope(request.user)
    return districts.filter(pk=scope) if scope is not None else districts


@require_GET
def paperwork_list(request):
    """Decision sheets and minutes not yet sent, the late ones first."""
    require_reader(request)
    query = PaperworkFilterForm(request.GET)
    asked = query.cleaned_data if query.is_valid() else {}
    districts = _districts(request)
    district_id = asked.get("district")
    if district_id is not None and not districts.filter(pk=district_id).exists():
        district_id = None
    is_chair = has_role(request.user, CHAIR_ROLES)
    mine = bool(asked.get("mine")) and is_chair
    rows = paperwork_selectors.PaperworkList(
        user=request.user,
        today=timezone.localdate(),
        stage=asked.get("stage") or None,
        chair=request.user if mine else None,
        district_id=district_id,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        f"{TEMPLATES}/paperwork.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "counts": rows.counts,
            "stage": asked.get("stage") or "",
            "stages": paperwork_selectors.STAGES,
            "districts": districts,
            "district_id": district_id,
            "mine": mine,
            "is_chair": is_chair,
            "feedback_to_send": feedback_to_send(request.user, today=timezone.localdate())
            if can_send_links_and_enter_feedback(request.user)
            else None,
            "sheet_days": settings.IRO_TIMESCALES["DECISION_SHEET_WORKING_DAYS"],
            "minutes_days": settings.IRO_TIMESCALES["MINUTES_WORKING_DAYS"],
        },
    )
