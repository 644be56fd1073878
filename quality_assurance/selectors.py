"""Reads of QA forms, always through the user's access (style.md: selectors)."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from conferences.models import Conference
from conferences.selectors import access_conference, conference_list_for
from people.models import Role, User

from .models import QAForm


def qa_forms_owed(user: User) -> QuerySet[Conference]:
    """Held conferences without a completed QA form, oldest first: an IRO's own (those they
    chaired), the Senior IRO's the whole team's; nobody else owes one. Each carries its draft,
    if started, as `draft_started` (True/False)."""
    if not user.is_authenticated or user.role not in (Role.IRO, Role.SENIOR_IRO):
        return Conference.objects.none()
    completed = QAForm.objects.filter(conference=OuterRef("pk"), completed_at__isnull=False)
    draft = QAForm.objects.filter(conference=OuterRef("pk"), completed_at__isnull=True)
    conferences = conference_list_for(user).filter(status=Conference.Status.HELD)
    if user.role == Role.IRO:
        conferences = conferences.filter(chair=user)
    return (
        conferences.exclude(Exists(completed))
        .annotate(draft_started=Exists(draft))
        .select_related("household", "chair")
        .order_by("date", "scheduled_for", "pk")
    )


def held_conference_for_qa(user: User, conference_id) -> Conference:
    """A held conference the user can see, or 404 (a QA form is only for a held one)."""
    conference = access_conference(user, conference_id)
    if conference.status != Conference.Status.HELD:
        raise Http404("No held conference found")
    return conference


def qa_form_of(conference: Conference) -> QAForm | None:
    return QAForm.objects.filter(conference=conference).select_related("completed_by").first()


def feedback_to_send(user: User, *, today) -> QuerySet[Conference]:
    """Held conferences of the last IRO_FEEDBACK_LINK_DAYS days with a parent or carer invited
    who has not been sent a feedback link yet, the most recent first: business support's "feedback
    to send" (workflows.md, "What people must be able to see at a glance"). Each carries
    `waiting`, how many parents or carers have no link."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Count, Q

    from conferences.models import Attendance

    from .models import OneTimeLink

    linked = OneTimeLink.objects.filter(
        purpose=OneTimeLink.Purpose.FEEDBACK,
        invitee=OuterRef("invitees"),
        cancelled_at__isnull=True,  # a cancelled link not replaced is one still to send
    )
    since = today - timedelta(days=settings.IRO_FEEDBACK_LINK_DAYS)
    return (
        conference_list_for(user)
        .filter(status=Conference.Status.HELD, date__gte=since, date__lte=today)
        .annotate(
            waiting=Count(
                "invitees",
                filter=Q(invitees__agency=Attendance.Agency.FAMILY) & ~Exists(linked),
                distinct=True,
            )
        )
        .filter(waiting__gt=0)
        .select_related("household")
        .order_by("-date", "-pk")
    )
