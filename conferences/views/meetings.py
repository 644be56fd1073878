"""Strategy meetings, section 47 enquiries and transfers in: booked and recorded by business
support (workflows.md, "Who does what")."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from children.selectors import access_child, access_household
from iro_service.forms import add_service_errors
from people.access import can_book_conferences

from .. import selectors, selectors_strategy
from ..forms import (
    CancelForm,
    EnquiryDecisionForm,
    EnquiryForm,
    StrategyMeetingForm,
    TransferInForm,
)
from ..models import S47Enquiry, StrategyMeeting
from ..services import meetings
from .booking import _chair_hints, require_booker, require_reader
from .strategy_holding import may_hold


@require_http_methods(["GET", "POST"])
def strategy_meeting_book(request, household_pk: int):
    require_booker(request)
    household = access_household(request.user, household_pk)
    children = list(household.children.order_by("date_of_birth", "first_name"))
    hints, last_chair = _chair_hints(household=household, today=timezone.localdate())
    form = StrategyMeetingForm(
        request.POST or None,
        initial={"children": [str(c.pk) for c in children], "chair": last_chair},
        household_children=children,
        chair_hints=hints,
        last_chair=last_chair,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {int(pk) for pk in data["children"]}
        try:
            meeting = meetings.strategy_meeting_book(
                by=request.user,
                kind=data["kind"],
                district=household.district,
                starts_at=form.starts_at(),
                children=[c for c in children if c.pk in chosen],
                chair=data["chair"],
                venue=data["venue"],
                is_virtual=data["is_virtual"],
                meeting_link=data["meeting_link"],
                minute_taker=data["minute_taker"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The strategy meeting has been booked.")
            return redirect("conferences:strategy_meeting", pk=meeting.pk)
    return render(
        request, "conferences/strategy_meeting_book.html", {"form": form, "household": household}
    )


@require_http_methods(["GET"])
def strategy_meeting_detail(request, pk: int):
    require_reader(request)
    meeting = selectors.access_strategy_meeting(request.user, pk)
    return render(
        request,
        "conferences/strategy_meeting_detail.html",
        {
            "meeting": meeting,
            "children": meeting.children.all(),
            "enquiries": meeting.enquiries.select_related("child"),
            "can_book": can_book_conferences(request.user),
            "can_hold": may_hold(request.user, meeting),
            "next_steps": selectors_strategy.strategy_meeting_next_steps(meeting)
            if meeting.status == StrategyMeeting.Status.HELD
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def strategy_meeting_cancel(request, pk: int):
    require_booker(request)
    meeting = selectors.access_strategy_meeting(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.strategy_meeting_cancel(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The strategy meeting has been cancelled.")
            return redirect("conferences:strategy_meeting", pk=meeting.pk)
    return render(
        request, "conferences/cancel.html", {"form": form, "conference": meeting, "meeting": True}
    )


@require_http_methods(["GET", "POST"])
def enquiry_record(request, child_pk: int):
    require_booker(request)
    child = access_child(request.user, child_pk)
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enquiry = meetings.s47_enquiry_record(
                by=request.user, child=child, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The enquiry has been recorded. An initial conference, if one is needed, is due "
                f"by {enquiry.initial_conference_due_by.day} "
                f"{enquiry.initial_conference_due_by:%B %Y}.",
            )
            return redirect("conferences:enquiry_decide", pk=enquiry.pk)
    return render(
        request,
        "conferences/simple_form.html",
        {"form": form, "child": child, "title": "Record a section 47 enquiry", "button": "Save"},
    )


@require_http_methods(["GET", "POST"])
def enquiry_decide(request, pk: int):
    require_booker(request)
    enquiry = S47Enquiry.objects.select_related("child").filter(pk=pk).first()
    child = access_child(request.user, enquiry.child_id if enquiry else None)
    form = EnquiryDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.s47_enquiry_decide(
                enquiry=enquiry, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The outcome of the enquiry has been recorded.")
            return redirect("conferences:to_book")
    return render(
        request,
        "conferences/simple_form.html",
        {
            "form": form,
            "child": child,
            "title": "Record the outcome of the section 47 enquiry",
            "intro": f"Enquiry started {enquiry.started_on.day} {enquiry.started_on:%B %Y}. "
            f"An initial conference, if one is needed, is due by "
            f"{enquiry.initial_conference_due_by.day} {enquiry.initial_conference_due_by:%B %Y}.",
            "button": "Save outcome",
        },
    )


@require_http_methods(["GET", "POST"])
def transfer_in_record(request, child_pk: int):
    require_booker(request)
    child = access_child(request.user, child_pk)
    form = TransferInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.transfer_in_record(
                by=request.user, child=child, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The transfer in has been recorded: it is on the list to book."
            )
            return redirect("conferences:to_book")
    return render(
        request,
        "conferences/simple_form.html",
        {"form": form, "child": child, "title": "Record a transfer in", "button": "Save"},
    )
