"""Reads for holding strategy meetings and quality-assuring decisions not to convene (§4.1),
always through the user's access (style.md: selectors)."""

from datetime import date

from django.db.models import F, QuerySet
from django.http import Http404

from people.access import CHAIR_ROLES, district_scope, has_role
from people.models import Role, User

from .models import S47Enquiry, StrategyMeeting, StrategyMeetingAttendance
from .selectors import strategy_meeting_list_for


def no_conference_decisions_for(user: User) -> QuerySet[S47Enquiry]:
    """Every decision not to convene after significant harm that the user may see (a district
    manager: their district's), reviewed or not."""
    enquiries = S47Enquiry.objects.filter(
        outcome=S47Enquiry.Outcome.NO_CONFERENCE_HARM
    ).select_related("child__district", "strategy_meeting", "no_conference_reviewed_by")
    district_id = district_scope(user)
    if district_id is not None:
        enquiries = enquiries.filter(child__district_id=district_id)
    return enquiries


def no_conference_decisions_to_review(user: User) -> QuerySet[S47Enquiry]:
    """Those no IRO has quality-assured yet, the oldest decision first (an imported decision
    without a date first of all: it is older than the system).

    They are a few among every enquiry ever made (1.3 million at England's scale), found first
    by their own partial index alone (s47_no_conference_to_review). PostgreSQL cannot estimate
    how few from its statistics (it takes the decisions not to convene and the unreviewed
    enquiries as independent, and expects 100,000), and would otherwise hash every child and
    strategy meeting to join them: 0.6 s for an empty list."""
    waiting = S47Enquiry.objects.filter(
        outcome=S47Enquiry.Outcome.NO_CONFERENCE_HARM, no_conference_reviewed_by__isnull=True
    )
    return (
        no_conference_decisions_for(user)
        .filter(pk__in=list(waiting.values_list("pk", flat=True)))
        .order_by(F("decided_on").asc(nulls_first=True), "started_on", "pk")
    )


def access_no_conference_decision(user: User, enquiry_id) -> S47Enquiry:
    """The decision, or 404 whether it does not exist, is not a decision not to convene, or
    the user may not see it."""
    try:
        return no_conference_decisions_for(user).get(pk=enquiry_id)
    except (S47Enquiry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No decision not to convene found") from exc


def strategy_meeting_attendance(meeting: StrategyMeeting) -> QuerySet[StrategyMeetingAttendance]:
    """The register in the order it was taken."""
    return meeting.attendance.order_by("pk")


def strategy_meeting_enquiries(meeting: StrategyMeeting) -> QuerySet[S47Enquiry]:
    return meeting.enquiries.select_related("child").order_by("child__date_of_birth", "pk")


def strategy_meeting_next_steps(meeting: StrategyMeeting) -> list[tuple]:
    """Each child of the meeting with the section 47 enquiry it started, or None: for a held
    meeting, None is no further action under section 47. Two queries."""
    started = {enquiry.child_id: enquiry for enquiry in strategy_meeting_enquiries(meeting)}
    return [
        (child, started.get(child.pk)) for child in meeting.children.order_by("date_of_birth", "pk")
    ]


def strategy_meetings_to_record(user: User, *, today: date) -> QuerySet[StrategyMeeting]:
    """Booked meetings whose day has come and that are not yet recorded as held, oldest first:
    an IRO's own (they chair them), the Senior IRO's the whole team's; nobody else's. They drop off the
    four-week list once their day has passed, so they are listed here until recorded."""
    if not has_role(user, CHAIR_ROLES):  # recording a meeting is the chair's work
        return StrategyMeeting.objects.none()
    meetings = strategy_meeting_list_for(user).filter(
        status=StrategyMeeting.Status.BOOKED, date__lte=today
    )
    if user.role == Role.IRO:
        meetings = meetings.filter(chair=user)
    return meetings.order_by("scheduled_for", "pk")
