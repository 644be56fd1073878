"""A conference's invitees, invitations, letters and reports (workflows.md, "Invitations and
reports"). Business support and the Senior IRO write; the other roles read what their access
lets them see (a district manager, their district's); anyone else is told it is not there."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iro_service.forms import add_service_errors
from people.access import can_book_conferences, can_read_conferences

from .. import ics, portal_links
from ..forms_invitations import FromRecordForm, InviteeForm, ReportsRequestForm, ReportTimeForm
from ..models import (
    Attendance,
    Conference,
    Invitee,
    PortalLink,
    ReportChaser,
    ReportDocument,
    ReportRequest,
)
from ..selectors import access_conference
from ..services import invitations, leaflets, portal, reports

TEMPLATES = "conferences/invitations"


def _conference(request, pk: int, *, write: bool = False) -> Conference:
    if not can_read_conferences(request.user):
        raise Http404("No conference found")
    conference = access_conference(request.user, pk)
    if write and not can_book_conferences(request.user):
        raise PermissionDenied("Only business support and the Senior IRO send invitations.")
    return conference


def _names(people) -> str:
    names = [person.name for person in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _page(request, template: str, conference: Conference, **context):
    return render(
        request,
        f"{TEMPLATES}/{template}",
        {
            "conference": conference,
            "reference": ics.reference(conference),
            "today": timezone.localdate(),
            "now": timezone.now(),
            **context,
        },
    )


def _back(conference: Conference):
    return redirect("conferences:invitees", pk=conference.pk)


@require_GET
def invitees(request, pk: int):
    conference = _conference(request, pk)
    listed = conference.invitees.select_related("child").order_by("agency", "name", "pk")
    report_rows = conference.report_requests.select_related("author").prefetch_related(
        Prefetch("chasers", queryset=ReportChaser.objects.order_by("sent_at")),
        Prefetch("documents", queryset=ReportDocument.objects.order_by("-received_at", "-pk")),
        Prefetch("upload_links", queryset=PortalLink.objects.order_by("-created_at")),
    )
    can_write = can_book_conferences(request.user)
    is_open = conference.status == Conference.Status.BOOKED
    is_changed = invitations.is_changed(conference, invitations.replacement(conference))
    untold = conference.invitees.filter(invited_at__isnull=False, told_of_change_at__isnull=True)
    return _page(
        request,
        "invitees.html",
        conference,
        invitees=listed,
        reports=report_rows.order_by("author__name", "pk"),
        can_write=can_write,
        is_open=is_open,
        is_future=conference.scheduled_for > timezone.now(),
        to_email=invitations.invitations_pending(conference).exclude(email="").count(),
        letters_to_print=len(invitations.letters_pending(conference)),
        letters_printed=conference.invitees.filter(invited_by=Invitee.Method.LETTER).exists(),
        suggestions=len(invitations.invitees_suggest(conference=conference))
        if is_open and can_write
        else 0,
        to_ask=_authors_to_ask(conference).exists(),
        untold_by_email=untold.exclude(email="").count() if is_changed else 0,
        family_rows=_family_rows(conference),
        has_documents=ReportDocument.objects.filter(report__conference=conference).exists(),
        sharing_at_risk=portal.sharing_at_risk(conference, timezone.now()),
        to_post=len(portal.to_post(conference)) if can_write else 0,
    )


def _family_rows(conference: Conference) -> list[dict]:
    """Each family member's link to read the reports, and what has reached them."""
    rows = []
    for invitee in portal.family(conference):
        shares = list(invitee.report_shares.select_related("document__report__author"))
        links = list(invitee.portal_links.filter(purpose=PortalLink.Purpose.FAMILY))
        in_force = next((link for link in links if link.cancelled_at is None), None)
        rows.append(
            {
                "invitee": invitee,
                "shares": sorted(shares, key=lambda share: share.shared_at),
                "link": in_force,
                "link_works": in_force is not None
                and portal_links.state(in_force, timezone.now()) == portal_links.VALID,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def invitee_add(request, pk: int):
    conference = _conference(request, pk, write=True)
    form = InviteeForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        try:
            invitee = invitations.invitee_add(
                conference=conference, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{invitee.name} has been added to the invitees.")
            return _back(conference)
    return _page(request, "invitee_form.html", conference, form=form)


@require_http_methods(["GET", "POST"])
def invitees_from_record(request, pk: int):
    conference = _conference(request, pk, write=True)
    suggestions = invitations.invitees_suggest(conference=conference)
    reachable = [s for s in suggestions if s["can_be_reached"]]
    form = FromRecordForm(request.POST or None, suggestions=reachable)
    if request.method == "POST" and form.is_valid():
        try:
            added = invitations.invitees_add_from_record(
                conference=conference, by=request.user, keys=form.cleaned_data["keys"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{_names(added)} added to the invitees.")
            return _back(conference)
    return _page(
        request,
        "from_record.html",
        conference,
        form=form,
        suggestions=reachable,
        unreachable=[s for s in suggestions if not s["can_be_reached"]],
    )


@require_http_methods(["GET", "POST"])
def invitations_send(request, pk: int):
    """A page saying who gets an email and who a letter, then the sending."""
    conference = _conference(request, pk, write=True)
    error = None
    if request.method == "POST":
        try:
            sent = invitations.invitations_send(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            _say_what_was_sent(request, sent, letters_to_print=len(sent.letters))
            return _back(conference)
    pending = invitations.invitations_pending(conference)
    return _page(
        request,
        "send_confirm.html",
        conference,
        by_email=pending.exclude(email=""),
        by_letter=pending.filter(email=""),
        error=error,
    )


def _say_what_was_sent(request, sent, *, letters_to_print: int) -> None:
    if sent.emailed:
        messages.success(request, f"Emailed {_people(len(sent.emailed))}: {_names(sent.emailed)}.")
    if sent.failed:
        messages.warning(
            request,
            f"The emails to {_names(sent.failed)} could not be sent. Try again later.",
        )
    if letters_to_print:
        messages.info(request, f"{_people(letters_to_print)} to write to: print the letters.")
    if not (sent.emailed or sent.failed or letters_to_print):
        messages.info(request, "There was no one left to email.")


@require_GET
def letters(request, pk: int):
    conference = _conference(request, pk, write=True)
    pending = [letter for letter, _records in invitations.letters_pending(conference)]
    return _page(
        request,
        "letters.html",
        conference,
        pending=pending,
        enclosures=leaflets.enclosures(pending),
        printed=conference.invitees.filter(invited_by=Invitee.Method.LETTER).order_by("name"),
    )


def _pdf(content: bytes, conference: Conference, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{name}-{ics.reference(conference)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def letters_pdf(request, pk: int):
    """Print the letters still to send, and record them as sent."""
    conference = _conference(request, pk, write=True)
    try:
        content = invitations.letters_print(
            conference=conference, by=request.user, now=timezone.now()
        )
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
        return redirect("conferences:invitees_letters", pk=conference.pk)
    return _pdf(content, conference, "letters")


@require_GET
def letters_again(request, pk: int):
    conference = _conference(request, pk, write=True)
    try:
        content = invitations.letters_reprint(conference=conference)
    except ValidationError as refused:
        raise Http404(" ".join(refused.messages)) from refused
    return _pdf(content, conference, "letters-again")


@require_POST
def tell_of_change(request, pk: int):
    """Try again to email the invitees of a cancelled or rearranged booking not yet told."""
    conference = _conference(request, pk, write=True)
    new = invitations.replacement(conference)
    try:
        sent = invitations.invitees_tell_of_change(
            old=conference, new=new, by=request.user, now=timezone.now()
        )
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
    else:
        _say_what_was_sent(request, sent, letters_to_print=len(sent.letters))
    return _back(conference)


def _authors_to_ask(conference: Conference):
    asked = conference.report_requests.values("author_id")
    return (
        conference.invitees.exclude(email="")
        .exclude(pk__in=asked)
        .exclude(agency=Attendance.Agency.FAMILY)  # agencies write reports; parents give views
        .order_by("agency", "name")
    )


@require_http_methods(["GET", "POST"])
def reports_request(request, pk: int):
    conference = _conference(request, pk, write=True)
    form = ReportsRequestForm(request.POST or None, authors=_authors_to_ask(conference))
    if request.method == "POST" and form.is_valid():
        try:
            sent = reports.reports_request(
                conference=conference,
                by=request.user,
                authors=list(form.cleaned_data["authors"]),
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if sent.emailed:
                messages.success(request, f"Report asked of {_names(sent.emailed)} by email.")
            if sent.failed:
                messages.warning(
                    request, f"The emails to {_names(sent.failed)} could not be sent. Try again."
                )
            return _back(conference)
    return _page(request, "reports_request.html", conference, form=form)


def _report_time(request, pk: int, report_pk: int, *, shared: bool):
    conference = _conference(request, pk, write=True)
    report = get_object_or_404(
        ReportRequest.objects.select_related("author"), pk=report_pk, conference=conference
    )
    form = ReportTimeForm(request.POST or None, now=timezone.now())
    if request.method == "POST" and form.is_valid():
        record = reports.report_shared_with_parents if shared else reports.report_received
        try:
            record(report=report, by=request.user, at=form.at())
        except ValidationError as error:
            if hasattr(error, "error_dict") and "at" in error.error_dict:
                error = ValidationError({"day": error.error_dict["at"]})
            add_service_errors(form, error)
        else:
            what = "shared with the parents" if shared else "received"
            messages.success(request, f"{report.author.name}'s report recorded as {what}.")
            return _back(conference)
    title = (
        f"When was {report.author.name}'s report shared with the parents?"
        if shared
        else f"When did {report.author.name}'s report come in?"
    )
    return _page(request, "report_time.html", conference, report=report, form=form, title=title)


@require_http_methods(["GET", "POST"])
def report_received(request, pk: int, report_pk: int):
    return _report_time(request, pk, report_pk, shared=False)


@require_http_methods(["GET", "POST"])
def report_shared(request, pk: int, report_pk: int):
    return _report_time(request, pk, report_pk, shared=True)
