"""The chair records a strategy meeting as held (with check your answers: held is final), and
IROs quality-assure decisions not to convene after significant harm (§4.1)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iro_service.forms import add_service_errors
from people.access import can_hold_strategy_meeting, can_review_no_conference
from people.models import User

from .. import selectors, selectors_strategy
from ..forms_strategy import HoldAnswers, NoConferenceReviewForm, with_another_row
from ..models import Attendance, StrategyMeeting
from ..services import strategy_holding
from .booking import require_reader

PAGE_SIZE = 25
NOT_SAVED = ("csrfmiddlewaretoken", "add_row", "continue")


def may_hold(user: User, meeting: StrategyMeeting, today: date | None = None) -> bool:
    """Whether to offer "Record the meeting as held": a booked meeting, on its day or after,
    to its chair or the Senior IRO."""
    today = today or timezone.localdate()
    return (
        meeting.status == StrategyMeeting.Status.BOOKED
        and meeting.date <= today
        and can_hold_strategy_meeting(user, meeting)
    )


def _holdable(request, pk: int) -> tuple[StrategyMeeting, bool]:
    """The meeting (404 if not visible), refused (403) to those who may not hold it; and
    whether it can be held now (a message says why not)."""
    meeting = selectors.access_strategy_meeting(request.user, pk)
    if not can_hold_strategy_meeting(request.user, meeting):
        raise PermissionDenied("Only the meeting's chair or the Senior IRO records it as held.")
    today = timezone.localdate()
    if meeting.status != StrategyMeeting.Status.BOOKED:
        messages.error(request, "This strategy meeting is not booked, so it cannot be held.")
        return meeting, False
    if meeting.date > today:
        messages.error(
            request,
            f"The meeting is on {meeting.date.day} {meeting.date:%B %Y}: record it as held on "
            "that day or after.",
        )
        return meeting, False
    return meeting, True


def _session_key(meeting) -> str:
    return f"strategy_hold:{meeting.pk}"


def _stored(request, meeting) -> QueryDict | None:
    stored = request.session.get(_session_key(meeting))
    if not stored:
        return None
    data = QueryDict(mutable=True)
    for name, values in stored.items():
        data.setlist(name, values)
    return data


def _chair_row(meeting) -> dict | None:
    if meeting.chair is None:
        return None
    return {
        "name": meeting.chair.display_name,
        "agency": Attendance.Agency.SOCIAL_CARE,
        "role": "Chair (IRO)",
        "status": Attendance.Status.ATTENDED,
    }


def _render_hold(request, meeting, answers):
    return render(
        request,
        "conferences/strategy/hold.html",
        {"meeting": meeting, "answers": answers},
    )


@require_http_methods(["GET", "POST"])
def strategy_meeting_hold(request, pk: int):
    meeting, open_ = _holdable(request, pk)
    if not open_:
        return redirect("conferences:strategy_meeting", pk=meeting.pk)
    if request.method == "GET":  # back from check your answers: what was given so far
        answers = HoldAnswers(meeting, _stored(request, meeting), chair_row=_chair_row(meeting))
        return _render_hold(request, meeting, answers)
    if "add_row" in request.POST:
        return _render_hold(
            request, meeting, HoldAnswers(meeting, with_another_row(request.POST)).quiet()
        )
    answers = HoldAnswers(meeting, request.POST)
    if answers.is_valid():
        errors = strategy_holding.strategy_meeting_hold_errors(
            meeting=meeting, today=timezone.localdate(), **answers.answers()
        )
        if not errors:
            request.session[_session_key(meeting)] = {
                name: request.POST.getlist(name) for name in request.POST if name not in NOT_SAVED
            }
            return redirect("conferences:strategy_meeting_hold_check", pk=meeting.pk)
        add_service_errors(answers.form, ValidationError(errors))
    return _render_hold(request, meeting, answers)


@require_http_methods(["GET", "POST"])
def strategy_meeting_hold_check(request, pk: int):
    """Check your answers: the register, decisions, follow-up and each child's next step,
    before the meeting is recorded as held for good."""
    meeting, open_ = _holdable(request, pk)
    if not open_:
        return redirect("conferences:strategy_meeting", pk=meeting.pk)
    data = _stored(request, meeting)
    answers = HoldAnswers(meeting, data) if data is not None else None
    if answers is None or not answers.is_valid():
        return redirect("conferences:strategy_meeting_hold", pk=meeting.pk)
    errors = []
    if request.method == "POST":
        try:
            strategy_holding.strategy_meeting_hold(
                meeting=meeting, by=request.user, now=timezone.now(), **answers.answers()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            del request.session[_session_key(meeting)]
            messages.success(request, _held_message(answers))
            return redirect("conferences:strategy_meeting", pk=meeting.pk)
    return render(
        request,
        "conferences/strategy/hold_check.html",
        {
            "meeting": meeting,
            "answers": answers,
            "data": answers.answers(),
            "decisions_by_child": answers.decisions_by_child(),
            "errors": errors,
            "change_url": reverse("conferences:strategy_meeting_hold", args=[meeting.pk]),
        },
    )


def _held_message(answers) -> str:
    started = [
        e for e in answers.form.enquiries() if e["decision"] == strategy_holding.START_ENQUIRY
    ]
    if not started:
        return "The strategy meeting has been recorded as held."
    return (
        f"The strategy meeting has been recorded as held, and {len(started)} section 47 "
        f"enquir{'y' if len(started) == 1 else 'ies'} started."
    )


# -- decisions not to convene, to quality-assure (§4.1) ---------------------------------------


@require_http_methods(["GET"])
def no_conference_decisions(request):
    """The list, oldest first: every role that reads conferences sees it (a district manager
    their district's); IROs and the Senior IRO quality-assure from it."""
    require_reader(request)
    decisions = selectors_strategy.no_conference_decisions_to_review(request.user)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conferences/strategy/no_conference_list.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "can_review": can_review_no_conference(request.user),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def no_conference_review(request, pk: int):
    enquiry = selectors_strategy.access_no_conference_decision(request.user, pk)
    if not can_review_no_conference(request.user):
        raise PermissionDenied("Only an IRO or the Senior IRO quality-assures these decisions.")
    form = NoConferenceReviewForm(request.POST or None)
    reviewed = enquiry.no_conference_reviewed_by_id is not None
    if request.method == "POST" and form.is_valid():
        try:
            strategy_holding.no_conference_review(
                enquiry=enquiry,
                note=form.cleaned_data["note"],
                agrees=form.cleaned_data["agrees"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["agrees"]:
                messages.success(request, "Your review of the decision has been saved.")
            else:
                messages.success(
                    request,
                    "Your review has been saved. You disagree with the decision: raise an "
                    "escalation under the Problem Resolution Protocol.",
                )
            return redirect("conferences:no_conference_decisions")
    return render(
        request,
        "conferences/strategy/no_conference_review.html",
        {
            "enquiry": enquiry,
            "form": form,
            "reviewed": reviewed,
            "agreed": strategy_holding.review_agreed(enquiry),
        },
    )
