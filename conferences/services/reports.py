"""Reports asked of invitees for a conference, when they come in and reach the parents, and
the chasers for those not in on time (workflows.md, "Invitations and reports").

As with invitations (invitations.py), each email is sent inside the savepoint that records
it: a request or chaser whose email fails is not recorded, and is tried again.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from iro_service.records import save_with_history
from people.models import User

from .. import letters, portal_links
from ..models import Attendance, Conference, Invitee, PortalLink, ReportChaser, ReportRequest
from .invitations import SOCIAL_WORKER
from .mailing import (
    SEND_ERRORS,
    Sent,
    conference_children,
    email_message,
    error_kind,
    locked_conference,
    open_connection,
    require_booked,
    send,
)

logger = logging.getLogger(__name__)


def report_request_email(report: ReportRequest, upload_url: str) -> EmailMessage:
    """The request, with the author's own link to send the report through (the portal)."""
    meeting = letters.meeting_context(report.conference)
    return email_message(
        to=[report.author.email],
        subject=f"Report requested: child protection conference on {meeting['day']}",
        template="email_report_request.txt",
        context={
            "invitee": report.author,
            "meeting": meeting,
            "upload_url": upload_url,
            "expires_at": report.conference.scheduled_for,
            "max_mb": settings.IRO_REPORT_MAX_MB,
        },
    )


@transaction.atomic
def reports_request(
    *, conference: Conference, by: User, authors: Sequence[Invitee], now: datetime
) -> Sent:
    """Ask each author (an invitee of this conference) for a report by the conference's
    reports-due date, by email. Each person is asked once."""
    conference = locked_conference(conference)
    require_booked(conference, now=now, doing="reports cannot be requested")
    if not authors:
        raise ValidationError({"authors": "Choose at least one person to ask for a report"})
    asked = set(conference.report_requests.values_list("author_id", flat=True))
    for author in authors:
        if author.conference_id != conference.pk:
            raise ValidationError({"authors": f"{author.name} is not invited to this conference"})
        if not author.email:
            raise ValidationError(
                {
                    "authors": f"{author.name} has no email address: reports are asked for by "
                    "email, so add their address first"
                }
            )
        if author.pk in asked:
            raise ValidationError({"authors": f"A report has already been asked of {author.name}"})
    result = Sent()
    connection = open_connection()
    try:
        for author in authors:
            try:
                with transaction.atomic():
                    report = ReportRequest(conference=conference, author=author, requested_at=now)
                    save_with_history(report, by=by, reason="Report requested")
                    _, token = portal_links.new_link(
                        purpose=PortalLink.Purpose.UPLOAD,
                        invitee=author,
                        report=report,
                        by=by,
                        now=now,
                    )
                    upload_url = portal_links.url(PortalLink.Purpose.UPLOAD, token)
                    send(report_request_email(report, upload_url), connection)
            except SEND_ERRORS as error:
                logger.warning(
                    "Report request to invitee %s not sent: %s", author.pk, error_kind(error)
                )
                result.failed.append(author)
            else:
                result.emailed.append(author)
    finally:
        connection.close()
    return result


def _locked_report(report: ReportRequest) -> ReportRequest:
    return (
        ReportRequest.objects.select_for_update()
        .select_related("author", "conference")
        .get(pk=report.pk)
    )


def _check_time(at: datetime, *, what: str) -> None:
    if timezone.is_naive(at):
        raise ValueError("at must be an aware datetime")
    if at > timezone.now():
        raise ValidationError({"at": f"The time the report was {what} cannot be in the future"})


@transaction.atomic
def report_received(*, report: ReportRequest, by: User, at: datetime) -> ReportRequest:
    report = _locked_report(report)
    if report.received_at:
        raise ValidationError(
            f"This report is already recorded as received on {letters.format_day(report.received_at)}."
        )
    _check_time(at, what="received")
    report.received_at = at
    save_with_history(report, by=by, reason="Report received")
    return report


def is_social_workers_report(report: ReportRequest) -> bool:
    """The report of the children's social worker: the one the 24 h / 48 h measure reads."""
    author = report.author
    if author.agency != Attendance.Agency.SOCIAL_CARE:
        return False
    if author.role.strip().casefold() == SOCIAL_WORKER.casefold():
        return True
    emails = {
        child.social_worker_email.casefold() for child in conference_children(report.conference)
    }
    return bool(author.email) and author.email.casefold() in emails


@transaction.atomic
def report_shared_with_parents(*, report: ReportRequest, by: User, at: datetime) -> ReportRequest:
    """Record when the report reached the parents. For the social worker's report this is
    also the conference's report_shared_at, which the measures read (§9.4)."""
    report = _locked_report(report)
    if report.shared_with_parents_at:
        raise ValidationError(
            "This report is already recorded as shared with the parents on "
            f"{letters.format_day(report.shared_with_parents_at)}."
        )
    _check_time(at, what="shared")
    report.shared_with_parents_at = at
    save_with_history(report, by=by, reason="Report shared with parents")
    if is_social_workers_report(report):
        conference = locked_conference(report.conference)
        if conference.report_shared_at is None:
            conference.report_shared_at = at
            save_with_history(
                conference, by=by, reason="Social worker's report shared with parents"
            )
    return report


# -- chasers ---------------------------------------------------------------------------------


def _manager(report: ReportRequest) -> tuple[str, str]:
    """(name, email) of the author's manager: as recorded on the invitee, else, for the
    children's social worker, the team manager on the child's record."""
    author = report.author
    if author.manager_email:
        return author.manager_name, author.manager_email
    if author.email:
        for child in conference_children(report.conference):
            if child.social_worker_email.casefold() == author.email.casefold():
                if child.team_manager_email:
                    return child.team_manager_name, child.team_manager_email
    return "", ""


def reports_to_chase(*, now: datetime):
    """Reports not in for booked conferences yet to happen whose reports were due by today,
    and not yet chased for that due date."""
    today = timezone.localdate(now)
    return (
        ReportRequest.objects.filter(
            received_at__isnull=True,
            conference__status=Conference.Status.BOOKED,
            conference__scheduled_for__gt=now,
            conference__reports_due_by__lte=today,
        )
        .exclude(chasers__due_by=F("conference__reports_due_by"))
        .exclude(author__email="")
        .select_related("author", "conference__venue")
        .order_by("conference__scheduled_for", "pk")
    )


def _chaser_email(report: ReportRequest, manager: tuple[str, str]) -> EmailMessage:
    meeting = letters.meeting_context(report.conference)
    manager_name, manager_email = manager
    copy = (
        [manager_email]
        if manager_email and manager_email.casefold() != report.author.email.casefold()
        else []
    )
    return email_message(
        to=[report.author.email],
        cc=copy,
        subject=f"Report overdue: child protection conference on {meeting['day']}",
        template="email_chaser.txt",
        context={
            "invitee": report.author,
            "meeting": meeting,
            "manager_name": manager_name if copy else "",
            "requested_at": report.requested_at,
            "has_link": report.upload_links.filter(
                used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
            ).exists(),
        },
    )


def _chase(report: ReportRequest, *, now: datetime, connection) -> bool:
    message = _chaser_email(report, _manager(report))
    try:
        with transaction.atomic():
            # The unique (report, due_by) row first: a second worker blocks on it and then fails.
            ReportChaser.objects.create(
                report=report,
                due_by=report.conference.reports_due_by,
                sent_at=now,
                sent_to=message.recipients(),
            )
            send(message, connection)
    except IntegrityError:
        return False  # chased already, by another run
    except SEND_ERRORS as error:
        logger.warning("Chaser for report request %s not sent: %s", report.pk, error_kind(error))
        return False
    return True


def reports_chase(*, now: datetime) -> int:
    """Chase every missing report once per due date: one email to the author, copied to their
    manager. Safe to run any number of times, by any number of workers. Answers how many
    chasers were sent."""
    reports = list(reports_to_chase(now=now))
    if not reports:
        return 0
    connection = get_connection()
    try:
        return sum(_chase(report, now=now, connection=connection) for report in reports)
    finally:
        connection.close()
