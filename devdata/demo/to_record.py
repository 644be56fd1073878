"""Conferences waiting for their chair to record them: the demo IRO's next two bookings are
moved to today (09:30 and 14:00), with the household's parents, the social
worker and two other agencies invited, so `make run` shows the chair's side at once (the IRO
lands on "Conferences to record"). Written after the generator; the move has no history row
(they are bookings as business support left them), and the invitations go through the
service, emailed into the outbox and lettered, dated when they were sent."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from conferences import rules
from conferences.models import Attendance, Conference, Invitee
from conferences.services import invitations
from outbox.backends import BACKEND
from people.models import User

from .base import DEMO_USERNAMES, at, dated

A = Attendance.Agency
OTHER_AGENCIES = (
    (A.POLICE, "Public protection officer", "PC Morgan Tate"),
    (A.SCHOOL, "Designated safeguarding lead", "Alex Marsh"),
)


def create_conferences_to_record(*, today: date) -> int:
    iro = User.objects.filter(username=DEMO_USERNAMES["iro"]).first()
    if iro is None:
        return 0
    upcoming = list(
        Conference.objects.filter(chair=iro, status=Conference.Status.BOOKED, date__gt=today)
        .select_related("household")
        .order_by("scheduled_for")[:2]
    )
    # This morning's and this afternoon's: the demo's history runs up to today, so nothing
    # before today is left booked.
    # Booked three weeks or more before, so the invitations and the reports (portal.py) have
    # their time.
    for conference, starting in zip(upcoming, (time(9, 30), time(14)), strict=False):
        day = today
        starts = timezone.make_aware(datetime.combine(day, starting))
        dates = rules.booking_dates(
            starts_at=starts,
            held_on=day,
            booked_on=min(day - timedelta(days=21), _booked_on(conference)),
            is_review=conference.is_review,
            timescales=settings.IRO_TIMESCALES,
        )
        Conference.objects.filter(pk=conference.pk).update(
            scheduled_for=starts, date=day, **vars(dates)
        )
        Invitee.objects.bulk_create(invitees(conference))
        conference.refresh_from_db()
        staff = User.objects.filter(username=DEMO_USERNAMES["business_support"]).first()
        if staff is not None:
            invite(
                conference,
                by=staff,
                on=min(day - timedelta(days=17), conference.invitations_due_by),
            )
    return len(upcoming)


def invite(conference: Conference, *, by: User, on: date) -> None:
    """Business support sends the invitations on `on` at 09:00 (emailed, kept in the outbox),
    and prints the letters for those without an email address that afternoon."""
    with override_settings(EMAIL_BACKEND=BACKEND), dated(at(on, 9)) as now:
        sent = invitations.invitations_send(conference=conference, by=by, now=now)
    if sent.letters:
        with dated(at(on, 14)) as now:
            invitations.letters_print(conference=conference, by=by, now=now)


def _booked_on(conference: Conference) -> date:
    """The day the demo booked it: its first history row is dated then."""
    first = conference.history.filter(history_type="+").values_list("history_date", flat=True)
    return timezone.localdate(first.first() or conference.created_at)


def invitees(conference: Conference) -> list[Invitee]:
    invited = []
    for member in conference.household.family_members.all():
        invited.append(
            Invitee(
                conference=conference,
                name=member.name,
                agency=A.FAMILY,
                role=member.get_relationship_display(),
                email=member.email,
                postal_address="" if member.email else member.address_for_letters or "Not known",
            )
        )
    worker = next(
        (
            r.child
            for r in conference.child_outcomes.select_related("child")
            if r.child.social_worker_name
        ),
        None,
    )
    if worker is not None:
        invited.append(
            Invitee(
                conference=conference,
                name=worker.social_worker_name,
                agency=A.SOCIAL_CARE,
                role="Social worker",
                email=worker.social_worker_email or "social.worker@council.example",
            )
        )
    for agency, role, name in OTHER_AGENCIES:
        email = name.lower().replace(" ", ".").replace("pc.", "") + "@agency.example"
        invited.append(
            Invitee(conference=conference, name=name, agency=agency, role=role, email=email)
        )
    return invited
