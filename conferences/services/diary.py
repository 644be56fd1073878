"""Double bookings: a chair, a minute taker or a venue's rooms already taken at an overlapping
time (workflows.md, "Booking"). Shared by conferences and strategy meetings.

Two people booking the same chair or room at the same moment must not both succeed: the
booking services lock the chair's, minute taker's and venue's rows (SELECT ... FOR UPDATE, in
id order so two bookings never wait on each other) before looking for overlaps, and keep the
lock until their transaction commits. The second booking waits, then sees the first.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from people.models import User

from ..models import Conference, StrategyMeeting, Venue

OCCUPYING_CONFERENCE = [Conference.Status.BOOKED, Conference.Status.HELD]
OCCUPYING_MEETING = [StrategyMeeting.Status.BOOKED, StrategyMeeting.Status.HELD]


def meeting_length() -> timedelta:
    return timedelta(minutes=settings.IRO_TIMESCALES["MEETING_LENGTH_MINUTES"])


def overlapping(queryset: QuerySet, *, starts_at: datetime, ends_at: datetime) -> QuerySet:
    """Meetings that overlap [starts_at, ends_at). A record without a stored end (imported or
    made before lengths were stored) is taken to last the meeting length setting."""
    ends_after_start = Q(ends_at__isnull=False, ends_at__gt=starts_at) | Q(
        ends_at__isnull=True, scheduled_for__gt=starts_at - meeting_length()
    )
    return queryset.filter(ends_after_start, scheduled_for__lt=ends_at)


def lock_diaries(*, people: list[User | None], venue: Venue | None) -> None:
    """Hold the rows of everyone and everything being booked until the transaction ends."""
    ids = sorted({person.pk for person in people if person is not None})
    if ids:
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    if venue is not None:
        list(Venue.objects.select_for_update().filter(pk=venue.pk).values("pk"))


@dataclass(frozen=True)
class Clash:
    field: str
    message: str


def _length_in_words() -> str:
    """The meeting length setting as people say it: "2 hours", "1 hour 30 minutes"."""
    hours, minutes = divmod(int(meeting_length().total_seconds() // 60), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def _label(meeting) -> str:
    if isinstance(meeting, Conference):
        return f"{meeting.get_kind_display().lower()} conference"
    return "strategy meeting"


def _when(meeting) -> str:
    local = timezone.localtime(meeting.scheduled_for)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _busy(*, starts_at, ends_at, exclude_conference=None, exclude_meeting=None):
    conferences = overlapping(
        Conference.objects.filter(status__in=OCCUPYING_CONFERENCE),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    meetings = overlapping(
        StrategyMeeting.objects.filter(status__in=OCCUPYING_MEETING),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if exclude_conference is not None:
        conferences = conferences.exclude(pk=exclude_conference.pk)
    if exclude_meeting is not None:
        meetings = meetings.exclude(pk=exclude_meeting.pk)
    return conferences, meetings


def clashes(
    *,
    starts_at: datetime,
    ends_at: datetime,
    chair: User | None,
    minute_taker: User | None,
    venue: Venue | None,
    exclude_conference: Conference | None = None,
    exclude_meeting: StrategyMeeting | None = None,
) -> list[Clash]:
    """Every double booking the new meeting would make, each with a message saying what it
    clashes with. At most a handful of queries, whatever the size of the diaries."""
    conferences, meetings = _busy(
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_conference=exclude_conference,
        exclude_meeting=exclude_meeting,
    )
    found = []
    for field, person, what in (
        ("chair", chair, "chair"),
        ("minute_taker", minute_taker, "take minutes"),
    ):
        if person is None:
            continue
        people = Q(chair=person) | Q(minute_taker=person)
        other = conferences.filter(people).first() or meetings.filter(people).first()
        if other is not None:
            found.append(
                Clash(
                    field,
                    f"{person.display_name} cannot {what} then: they are already booked for "
                    f"a {_label(other)} at {_when(other)}, and meetings are booked for "
                    f"{_length_in_words()}.",
                )
            )
    if venue is not None:
        taken = conferences.filter(venue=venue).count() + meetings.filter(venue=venue).count()
        if taken >= venue.rooms:
            rooms = "its only room is" if venue.rooms == 1 else f"all {venue.rooms} rooms are"
            found.append(Clash("venue", f"{venue.name} is not free then: {rooms} booked."))
    return found
