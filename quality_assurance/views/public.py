"""Pages reached by a one-time link, without an account: a parent's or carer's feedback
questionnaire and a child's views. Each checks its token (or the code typed at /respond/,
which the session then remembers), counts the attempt against the client's address, and
shows nothing about the case beyond the conference date. A used, expired, cancelled, unknown
or tampered link gets a plain page and changes nothing.

A child's upload larger than IRO_UPLOAD_MAX_MB is refused from the request's Content-Length,
before anything reads the body: the CSRF check, which reads the form, runs after that one
(views_page is exempt from the middleware's and protected inside instead)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from conferences import letters
from iro_service.forms import add_service_errors
from iro_service.public_pages import public_page, too_many

from .. import links, uploads
from ..forms_feedback import ChildViewsForm, CodeForm, QuestionnaireForm
from ..models import OneTimeLink
from ..services import child_views, feedback

TEMPLATES = "quality/respond"
SESSION_KEY = "respond_link"
STATUS = {links.UNKNOWN: 404, links.USED: 410, links.EXPIRED: 410, links.CANCELLED: 410}
# Room in a views upload's body for the words (10,000 characters, up to 4 bytes each), the
# CSRF token, the file's name and the multipart boundaries, on top of the file itself.
FORM_ALLOWANCE_BYTES = 64 * 1024
PAGES = {
    OneTimeLink.Purpose.FEEDBACK: "respond:feedback_by_code",
    OneTimeLink.Purpose.CHILD_VIEWS: "respond:views_by_code",
}


def _page(request, template: str, context: dict | None = None, *, status: int = 200):
    return public_page(request, f"{TEMPLATES}/{template}", context, status=status)


def _too_many(request):
    return too_many(request, layout=f"{TEMPLATES}/_layout.html")


def _not_working(request, state: str):
    return _page(request, "not_working.html", {"state": state}, status=STATUS[state])


def _link(request, token: str | None, purpose: str) -> OneTimeLink | None:
    if token is not None:
        return links.find_by_token(token, purpose=purpose)
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return (
        OneTimeLink.objects.select_related("conference", "invitee", "child")
        .filter(pk=pk, purpose=purpose)
        .first()
    )


def _day(link: OneTimeLink) -> str:
    return letters.format_day(link.conference.scheduled_for)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    """Typing the code from a letter."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not links.allow_attempt(request):
            return _too_many(request)
        if form.is_valid():
            link = links.find_by_code(form.cleaned_data["code"])
            state = links.state(link, timezone.now())
            if state == links.UNKNOWN:
                form.add_error(
                    "code", "That code does not match one we sent. Check it and try again."
                )
            elif state != links.VALID:
                return _not_working(request, state)
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = link.pk
                return redirect(PAGES[link.purpose])
    return _page(request, "start.html", {"form": form})


def _answer(request, token, *, purpose, form_class, template, submit, form_kwargs=None):
    if not links.allow_attempt(request):
        return _too_many(request)
    link = _link(request, token, purpose)
    state = links.state(link, timezone.now())
    if state != links.VALID:
        return _not_working(request, state)
    extra = form_kwargs(link) if form_kwargs else {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **extra)
        if form.is_valid():
            try:
                submit(link, form)
            except ValidationError as error:
                if (
                    error.messages
                    and error.messages[0] in STATUS
                    and not hasattr(error, "error_dict")
                ):
                    return _not_working(request, error.messages[0])
                add_service_errors(form, error)
            else:
                request.session.pop(SESSION_KEY, None)
                return redirect("respond:thanks")
    else:
        form = form_class(**extra)
    return _page(request, template, {"form": form, "day": _day(link), "link": link})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_page(request, token: str | None = None):
    return _answer(
        request,
        token,
        purpose=OneTimeLink.Purpose.FEEDBACK,
        form_class=QuestionnaireForm,
        template="feedback.html",
        submit=lambda link, form: feedback.answer_online(link=link, answers=form.answers()),
        form_kwargs=lambda link: {"known": feedback.known_answers(link)},
    )


def _declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _too_large(request, token: str | None):
    """The upload is bigger than allowed: say so on the same page, with nothing read, saved
    or used. The link is checked as for any visit, so a dead link still says it is dead."""
    if not links.allow_attempt(request):
        return _too_many(request)
    link = _link(request, token, OneTimeLink.Purpose.CHILD_VIEWS)
    state = links.state(link, timezone.now())
    if state != links.VALID:
        return _not_working(request, state)
    form = ChildViewsForm(data={}, files={})
    form.is_valid()
    form.add_error(
        "picture",
        f"{uploads.too_large_message()} Nothing was sent, so add your words again too.",
    )
    return _page(
        request,
        "views.html",
        {"form": form, "day": _day(link), "link": link},
        status=413,
    )


@login_not_required
@never_cache
@csrf_exempt  # checked by csrf_protect below, once the body is known to be small enough
@require_http_methods(["GET", "POST"])
def views_page(request, token: str | None = None):
    if (
        request.method == "POST"
        and _declared_length(request) > uploads.max_bytes() + FORM_ALLOWANCE_BYTES
    ):
        return _too_large(request, token)
    return _views_page(request, token)


@csrf_protect
def _views_page(request, token: str | None):
    return _answer(
        request,
        token,
        purpose=OneTimeLink.Purpose.CHILD_VIEWS,
        form_class=ChildViewsForm,
        template="views.html",
        submit=lambda link, form: child_views.send_views(
            link=link, words=form.cleaned_data["words"], picture=form.cleaned_data["picture"]
        ),
    )


@login_not_required
@require_GET
def thanks(request):
    return _page(request, "thanks.html")
