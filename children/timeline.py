"""A child's timeline: plans, conferences, strategy meetings, enquiries, core groups, visits.

A fixed number of queries whatever the size of the record (no N+1)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceChild, S47Enquiry, StrategyMeetingChild
from plans.models import CategoryChange, ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

from .models import Child


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def _conference_events(child: Child) -> list[TimelineEvent]:
    rows = ConferenceChild.objects.filter(child=child).select_related(
        "conference", "conference__chair", "conference__venue"
    )
    events = []
    for row in rows:
        conference = row.conference
        detail = [conference.get_status_display()]
        if conference.chair:
            detail.append(f"chaired by {conference.chair.display_name}")
        if conference.venue:
            detail.append(f"at {conference.venue.name}")
        if row.outcome != ConferenceChild.Outcome.PENDING:
            detail.append(row.get_outcome_display().lower())
        if conference.adjournment_reason:
            detail.append(f"reason: {conference.get_adjournment_reason_display().lower()}")
        events.append(
            TimelineEvent(
                on=_day(conference.scheduled_for),
                kind="conference",
                title=f"{conference.get_kind_display()} conference",
                detail=", ".join(detail),
            )
        )
    return events


def _meeting_events(child: Child) -> list[TimelineEvent]:
    rows = StrategyMeetingChild.objects.filter(child=child).select_related("meeting__chair")
    return [
        TimelineEvent(
            on=_day(row.meeting.scheduled_for),
            kind="strategy_meeting",
            title=f"Strategy meeting: {row.meeting.get_kind_display()}",
            detail=row.meeting.get_status_display()
            + (f", chaired by {row.meeting.chair.display_name}" if row.meeting.chair else ""),
        )
        for row in rows
    ]


def _plan_events(child: Child) -> list[TimelineEvent]:
    events = []
    for plan in ChildProtectionPlan.objects.filter(child=child):
        events.append(
            TimelineEvent(
                on=plan.start_date,
                kind="plan",
                title="Child protection plan started",
                detail=f"Category: {plan.get_initial_category_display()}",
                url=reverse("children:detail", args=[child.pk]) + f"#plan-{plan.pk}",
            )
        )
        if plan.end_date:
            events.append(
                TimelineEvent(
                    on=plan.end_date,
                    kind="plan",
                    title="Child protection plan ended",
                    detail=plan.get_end_reason_display(),
                )
            )
    for change in CategoryChange.objects.filter(plan__child=child):
        events.append(
            TimelineEvent(
                on=change.changed_on,
                kind="plan",
                title="Category of abuse changed",
                detail=f"{change.get_from_category_display()} to {change.get_to_category_display()}",
            )
        )
    return events


def _work_events(child: Child) -> list[TimelineEvent]:
    events = [
        TimelineEvent(
            on=enquiry.started_on,
            kind="enquiry",
            title="Section 47 enquiry started",
            detail=f"Strategy discussion {enquiry.strategy_discussion_on:%d %b %Y}; "
            f"{enquiry.get_outcome_display().lower()}",
        )
        for enquiry in S47Enquiry.objects.filter(child=child)
    ]
    events += [
        TimelineEvent(on=meeting.held_on, kind="core_group", title="Core group meeting")
        for meeting in CoreGroupMeeting.objects.filter(plan__child=child)
    ]
    events += [
        TimelineEvent(
            on=visit.visited_on,
            kind="visit",
            title="Child protection visit",
            detail="Child seen alone"
            if visit.child_seen_alone
            else ("Child seen" if visit.child_seen else "Child not seen"),
        )
        for visit in ProtectionVisit.objects.filter(plan__child=child)
    ]
    return events


def child_timeline(child: Child) -> list[TimelineEvent]:
    """Everything that happened around the child, newest first."""
    events = (
        _conference_events(child)
        + _meeting_events(child)
        + _plan_events(child)
        + _work_events(child)
    )
    return sorted(events, key=lambda event: event.on, reverse=True)
