"""Staff pages for parent/carer feedback and the child's views: sending the feedback links
after a held conference (check your answers first), printing the letters with their codes,
typing in a paper return, making a child's views link before a booked conference, and
reading a child's picture; cancelling an unused link, or sending a new one in its place (a
check page first). Business support (and the Senior IRO) send links and type in feedback; the
chair may also make, cancel or replace a views link for their conference; anyone who may see
the child may see their picture. A conference outside a district manager's district is not
found."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from children.selectors import access_child
from conferences import letters
from conferences.models import Conference
from conferences.selectors import access_conference
from iro_service.forms import add_service_errors
from people.access import can_hold_conference, can_send_links_and_enter_feedback

from .. import links
from ..forms_feedback import PaperFeedbackForm, ViewsLinkForm
from ..models import ChildView, OneTimeLink
from ..services import child_views, feedback, link_changes

TEMPLATES = "quality/feedback"


def may_make_views_link(user, conference: Conference) -> bool:
    """Business support (and the Senior IRO), or the conference's chair."""
    return can_send_links_and_enter_feedback(user) or can_hold_conference(user, conference)


def _require_sender(request) -> None:
    if not can_send_links_and_enter_feedback(request.user):
        raise PermissionDenied("Only business support send feedback links and type in feedback.")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _context(conference: Conference) -> dict:
    return {"conference": conference, "day": letters.format_day(conference.scheduled_for)}


@require_http_methods(["GET", "POST"])
def send_links(request, pk: int):
    """Check who gets what, then send; sending again only reaches those not yet sent one."""
    _require_sender(request)
    conference = access_conference(request.user, pk)
    if request.method == "POST":
        try:
            sent = feedback.send_links(
                conference=conference, by=request.user, base_url=_base_url(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            parts = []
            if sent.emailed:
                parts.append(f"{len(sent.emailed)} emailed")
            if sent.letters:
                parts.append(f"{len(sent.letters)} to get a letter: print the letters")
            messages.success(request, f"Feedback links sent: {', '.join(parts)}.")
            if sent.failed:
                names = ", ".join(invitee.name for invitee in sent.failed)
                messages.error(
                    request,
                    f"The email to {names} could not be sent. Nothing was recorded for them: "
                    "try again later.",
                )
        return redirect("quality:feedback_links", pk=conference.pk)
    planned = feedback.plan(conference)
    now = timezone.now()
    return render(
        request,
        f"{TEMPLATES}/send_links.html",
        {
            **_context(conference),
            "plan": planned,
            "refusal": feedback.send_refusal(conference, planned),
            "has_letters": feedback.letters_to_print(conference).exists(),
            "sent_links": _with_state(feedback.sent_links(conference), now),
            "returned": conference.feedback_questionnaires.count(),
            "now": now,
            "link_days": settings.IRO_FEEDBACK_LINK_DAYS,
        },
    )


def _with_state(sent, now) -> list[tuple[OneTimeLink, str]]:
    return [(link, links.state(link, now)) for link in sent]


@require_GET
def letters_pdf(request, pk: int):
    """Every letter to print, or ?invitee=<pk> for only theirs (a lost letter replaced)."""
    _require_sender(request)
    conference = access_conference(request.user, pk)
    invitee = request.GET.get("invitee")
    invitee = int(invitee) if invitee and invitee.isdigit() else None
    if not feedback.letters_to_print(conference, invitee=invitee).exists():
        raise Http404("No feedback letters for this conference")
    content = feedback.letters_pdf(
        conference,
        respond_url=request.build_absolute_uri(reverse("respond:start")),
        invitee=invitee,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feedback-letters-{conference.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def paper_entry(request):
    """/quality/feedback/new/?conference=<pk>: a paper questionnaire typed in."""
    _require_sender(request)
    conference = access_conference(request.user, request.GET.get("conference"))
    form = PaperFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            feedback.enter_paper(
                conference=conference,
                respondent=answers.pop("respondent"),
                received_on=answers.pop("received_on"),
                answers=answers,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Feedback questionnaire saved.")
            return redirect("quality:feedback_links", pk=conference.pk)
    refusal = (
        ""
        if conference.status == Conference.Status.HELD
        else "Feedback can only be recorded for a conference that was held."
    )
    return render(
        request,
        f"{TEMPLATES}/paper_entry.html",
        {**_context(conference), "form": form, "refusal": refusal},
    )


@require_http_methods(["GET", "POST"])
def views_link(request, pk: int):
    """Make a child's views link: emailed to the social worker and shown once to copy."""
    conference = access_conference(request.user, pk)
    if not may_make_views_link(request.user, conference):
        raise PermissionDenied("Only business support or the chair make a views link.")
    considered = list(conference.children.order_by("first_name", "last_name", "pk"))
    made_for = {
        link.child_id: link
        for link in conference.links.filter(
            purpose=OneTimeLink.Purpose.CHILD_VIEWS, cancelled_at__isnull=True
        )
    }
    waiting = [child for child in considered if child.pk not in made_for]
    form = ViewsLinkForm(request.POST or None, children=waiting)
    made = None
    if request.method == "POST" and form.is_valid():
        child = next(c for c in waiting if c.pk == form.cleaned_data["child"])
        try:
            made = child_views.make_link(
                conference=conference,
                child=child,
                by=request.user,
                base_url=_base_url(request),
                email_social_worker=form.cleaned_data["email_social_worker"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if made is not None:
        return _views_link_made(request, conference, made)
    now = timezone.now()
    refusal = child_views.link_refusal(conference, None, now=now)
    return render(
        request,
        f"{TEMPLATES}/views_link.html",
        {
            **_context(conference),
            "form": form,
            "considered": [(child, made_for.get(child.pk)) for child in considered],
            "waiting": waiting,
            "refusal": refusal,
            "views_links": _with_state(child_views.views_links(conference), now),
            "may_change": not refusal,
            "views": conference.child_views.select_related("child").order_by(
                "child__first_name", "pk"
            ),
        },
    )


def _views_link_made(request, conference: Conference, made, *, replaced: bool = False):
    # Shown once, never stored: the page is not redirected to, so the link is not in a URL.
    response = render(
        request,
        f"{TEMPLATES}/views_link_made.html",
        {**_context(conference), "made": made, "replaced": replaced},
    )
    response["Cache-Control"] = "no-store"
    return response


ACTIONS = {"cancel", "resend"}


def may_change_link(user, link: OneTimeLink, conference: Conference) -> bool:
    """Cancel a link or send a new one in its place: whoever may send it in the first place."""
    if link.purpose == OneTimeLink.Purpose.FEEDBACK:
        return can_send_links_and_enter_feedback(user)
    return may_make_views_link(user, conference)


def changeable_link(user, pk) -> tuple[OneTimeLink, Conference]:
    """The link and its conference, for someone who may cancel or replace it (the pages and
    the API). A conference outside a district manager's district is not found (404); other
    roles are refused (403)."""
    link = get_object_or_404(
        OneTimeLink.objects.select_related("invitee", "child", "created_by"), pk=pk
    )
    conference = access_conference(user, link.conference_id)
    if not may_change_link(user, link, conference):
        raise PermissionDenied(
            "Only business support send a new feedback link or cancel one."
            if link.purpose == OneTimeLink.Purpose.FEEDBACK
            else "Only business support or the chair send a new views link or cancel one."
        )
    link.conference = conference
    return link, conference


def _back_to(link: OneTimeLink) -> str:
    page = (
        "quality:feedback_links"
        if link.purpose == OneTimeLink.Purpose.FEEDBACK
        else "quality:views_link"
    )
    return reverse(page, args=[link.conference_id])


def _person(link: OneTimeLink) -> str:
    if link.invitee is not None:
        return link.invitee.name
    return link.child.first_name if link.child is not None else "this person"


@require_http_methods(["GET", "POST"])
def change_link(request, pk: int, action: str):
    """Cancel a link, or send a new one in its place: a check page, then the POST does it."""
    if action not in ACTIONS:
        raise Http404("No such change to a link")
    link, conference = changeable_link(request.user, pk)
    now = timezone.now()
    refusal = links.change_refusal(link, now)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect(_back_to(link))
        try:
            if action == "cancel":
                link_changes.cancel(link=link, by=request.user)
            elif link.purpose == OneTimeLink.Purpose.FEEDBACK:
                new = feedback.resend_link(link=link, by=request.user, base_url=_base_url(request))
            else:
                made = child_views.resend_link(
                    link=link, by=request.user, base_url=_base_url(request)
                )
                return _views_link_made(request, conference, made, replaced=True)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_back_to(link))
        if action == "cancel":
            messages.success(
                request, f"The link for {_person(link)} was cancelled. It no longer works."
            )
        elif new.sent_by == "email":
            messages.success(
                request,
                f"A new link was emailed to {new.invitee.name} at {new.invitee.email}. "
                "The old link no longer works.",
            )
        else:
            messages.success(
                request,
                f"A new letter with a new code is ready for {new.invitee.name}: print their "
                "letter. The old code no longer works.",
            )
        return redirect(_back_to(link))
    return render(
        request,
        f"{TEMPLATES}/change_link.html",
        {
            **_context(conference),
            "link": link,
            "state": links.state(link, now),
            "action": action,
            "person": _person(link),
            "new_expires": now + links.lifetime(link.purpose),
            "refusal": refusal or _resend_refusal(link, conference, action, now),
            "back": _back_to(link),
        },
    )


def _resend_refusal(link: OneTimeLink, conference: Conference, action: str, now) -> str:
    """Why a new link cannot be sent in this one's place ("" when it can), shown before the
    button is pressed; the services check again."""
    if action != "resend":
        return ""
    if link.purpose == OneTimeLink.Purpose.CHILD_VIEWS:
        return child_views.link_refusal(conference, None, now=now)
    return feedback.resend_refusal(link, conference)


@require_GET
def picture(request, pk: int):
    """A child's picture, to anyone who may see the child (no one else learns it exists)."""
    view = get_object_or_404(ChildView.objects.exclude(picture=""), pk=pk)
    access_child(request.user, view.child_id)
    extension = view.picture.name.rsplit(".", 1)[-1]
    response = FileResponse(
        view.picture.open("rb"),
        content_type=view.picture_type or "application/octet-stream",
        # A PDF is downloaded rather than opened in the page: the browser's viewer is not run
        # on a child's upload inside the service.
        as_attachment=view.picture_type == "application/pdf",
        filename=f"child-views-{view.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
