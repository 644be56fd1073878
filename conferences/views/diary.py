"""Diaries (a week per IRO, minute taker or venue) and each role's work list (workflows.md,
"What people must be able to see at a glance")."""

from datetime import date, datetime, time, timedelta

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from people.access import can_book_conferences
from people.models import Role, User
from plans.selectors import overdue_contacts_for
from quality_assurance.selectors import qa_forms_owed
from quality_assurance.selectors_escalations import open_escalations_raised_by

from .. import selectors
from ..models import Venue
from ..selectors_paperwork import paperwork_for
from ..selectors_strategy import no_conference_decisions_to_review, strategy_meetings_to_record
from .booking import require_reader

WORK_LIST_DAYS = 28


def _monday(value: str | None) -> date:
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _week_items(request, *, person=None, venue=None, monday: date):
    start = timezone.make_aware(datetime.combine(monday, time.min))
    items = selectors.meetings_between(
        user=request.user, start=start, end=start + timedelta(days=7), person=person, venue=venue
    )
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        on_day = [i for i in items if timezone.localdate(i.scheduled_for) == day]
        if offset < 5 or on_day:  # weekends only when something is booked on them
            days.append({"day": day, "items": on_day})
    return days


@require_http_methods(["GET"])
def diary(request):
    """A week of one person's or one venue's bookings. An IRO sees their own by default."""
    require_reader(request)
    monday = _monday(request.GET.get("week"))
    person = venue = None
    if request.GET.get("venue", "").isdigit():
        venue = get_object_or_404(Venue, pk=request.GET["venue"])
    elif request.GET.get("person", "").isdigit():
        person = get_object_or_404(
            User,
            pk=request.GET["person"],
            role__in=[Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT],
        )
    else:
        person = request.user
    staff = User.objects.filter(
        is_active=True, role__in=[Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT]
    ).order_by("last_name", "first_name")
    return render(
        request,
        "conferences/diary.html",
        {
            "days": _week_items(request, person=person, venue=venue, monday=monday),
            "person": person,
            "venue": venue,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "staff": staff,
            "venues": Venue.objects.filter(is_available=True),
        },
    )


@require_http_methods(["GET"])
def work_list(request):
    """An IRO's next four weeks; the Senior IRO's (and others') the whole team's."""
    require_reader(request)
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    mine = request.user.role == Role.IRO
    items = selectors.meetings_between(
        user=request.user,
        start=start,
        end=start + timedelta(days=WORK_LIST_DAYS),
        chair=request.user if mine else None,
    )
    today = timezone.localdate()
    return render(
        request,
        "conferences/work_list.html",
        {
            "items": items,
            "mine": mine,
            "days": WORK_LIST_DAYS,
            "can_book": can_book_conferences(request.user),
            "to_record": selectors.conferences_to_record(
                request.user, today=today, chair=request.user if mine else None
            ),
            "strategy_meetings_to_record": strategy_meetings_to_record(request.user, today=today),
            "paperwork": paperwork_for(request.user, today=today),
            "overdue_contacts": overdue_contacts_for(request.user, today=today),
            "no_conference_to_review": list(no_conference_decisions_to_review(request.user)),
            "open_escalations": open_escalations_raised_by(request.user),
            "qa_forms_owed": qa_forms_owed(request.user),
            "today": today,
        },
    )


def landing(request):
    """Each role's landing page is its work list."""
    role = getattr(request.user, "role", None)
    if role == Role.BUSINESS_SUPPORT:
        return redirect("conferences:to_book")
    if role in (Role.IRO, Role.SENIOR_IRO):
        return redirect("conferences:work_list")
    return redirect("children:search")
