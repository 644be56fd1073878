"""The document portal in the demo (issue 15): reports asked for, sent and shared through the
same services the pages call, so `make run` shows every state of it at once.

- The demo IRO's conference later today (to_record.py): the social worker, the police and
  the school were asked for reports 16 days before; the police sent a PDF, the school and the
  social worker the agency form, all through their links; business support shared them with
  the family 4 days before (by email, and by post to anyone without an address) and the
  mother opened her link the next evening. The chair's QA form finds "report shared in time"
  already known.
- The demo IRO's next booking after today's: reports asked for when they were due to be; the
  police sent theirs yesterday, the others are still to come, and their links work: the
  request emails are in the outbox (/outbox/), so a demonstrator can open a link and send a
  report.

Every email goes to the outbox whatever the configured backend: the demo's people are
invented, and the demo never emails anyone. The history rows the services write are dated
when each step happened in the demo's story, not when the demo was loaded.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from conferences.models import Attendance, Conference, Invitee, PortalLink, ReportRequest
from conferences.services import portal, reports
from outbox.backends import BACKEND
from people.models import User

from .base import DEMO_USERNAMES, at, dated
from .to_record import invite, invitees

A = Attendance.Agency
# What the social worker and the school write in the agency form; the police send a PDF.
FORM_ANSWERS = {
    A.SOCIAL_CARE: {
        "what_we_know": "The family have worked with children's social care since the plan "
        "began. Home visits have taken place every ten working days.",
        "worries": "Missed health appointments, and two reports from neighbours of shouting "
        "late at night in the last month.",
        "working_well": "School attendance has improved to 94%. The mother has engaged with "
        "the parenting programme and finished six of its eight sessions.",
        "recommendation": "The plan continues for three more months, with the health "
        "appointments as a target.",
    },
    A.SCHOOL: {
        "what_we_know": "Both children attend the school; the class teachers see them daily.",
        "worries": "Late arrival two or three mornings a week, without breakfast.",
        "working_well": "The children are settled and the older one has joined the breakfast club.",
        "recommendation": "The school supports the plan continuing.",
    },
}


def create_portal_records(*, today: date) -> int:
    """The portal's reports for the demo IRO's conference this afternoon and next booking;
    answers how many reports were received."""
    staff = User.objects.filter(username=DEMO_USERNAMES["business_support"]).first()
    iro = User.objects.filter(username=DEMO_USERNAMES["iro"]).first()
    if staff is None or iro is None:
        return 0
    booked = Conference.objects.filter(
        chair=iro, status=Conference.Status.BOOKED, date__gte=today
    ).order_by("scheduled_for")
    # Of today's two, the later one whose family gave an email address (most did), so the demo
    # shows the family's link as well as the post.
    todays = list(booked.filter(date=today))
    this_afternoon = next(
        (c for c in reversed(todays) if c.invitees.filter(agency=A.FAMILY).exclude(email="")),
        todays[-1] if todays else None,
    )
    next_one = booked.filter(date__gt=today).first()
    received = 0
    with override_settings(EMAIL_BACKEND=BACKEND):
        if this_afternoon is not None:
            received += _shared_before(this_afternoon, staff=staff, today=today)
        if next_one is not None:
            received += _asked_on_time(next_one, staff=staff, today=today)
    return received


def _authors(conference: Conference) -> list[Invitee]:
    return list(
        conference.invitees.filter(agency__in=(A.SOCIAL_CARE, A.POLICE, A.SCHOOL))
        .exclude(email="")
        .order_by("pk")
    )


def _send(report: ReportRequest, *, now) -> None:
    """The author sends their report through their link: the police a PDF, the others the
    agency form."""
    link = report.upload_links.get(purpose=PortalLink.Purpose.UPLOAD, cancelled_at__isnull=True)
    agency = report.author.agency
    if agency in FORM_ANSWERS:
        portal.report_send(link=link, now=now, answers=FORM_ANSWERS[agency])
    else:
        upload = SimpleUploadedFile(
            "police-report.pdf", _pdf(f"Police report for conference {report.conference.pk}")
        )
        portal.report_send(link=link, now=now, upload=upload)


def _shared_before(conference: Conference, *, staff: User, today: date) -> int:
    authors = _authors(conference)
    if not authors:
        return 0
    with dated(at(today - timedelta(days=16), 10)) as now:
        reports.reports_request(conference=conference, by=staff, authors=authors, now=now)
    times = {A.POLICE: (9, 15, 20), A.SCHOOL: (6, 11, 5), A.SOCIAL_CARE: (5, 9, 40)}
    for report in conference.report_requests.select_related("author", "conference"):
        days, hour, minute = times[report.author.agency]
        with dated(at(today - timedelta(days=days), hour, minute)) as now:
            _send(report, now=now)
    documents_ = portal.latest_documents(conference)
    shared_on = today - timedelta(days=4)
    with dated(at(shared_on, 10)) as now:
        portal.reports_share(conference=conference, documents_=documents_, by=staff, now=now)
    if portal.to_post(conference):
        with dated(at(shared_on, 14)) as now:
            portal.reports_posted(conference=conference, by=staff, now=now)
    first = (
        PortalLink.objects.filter(conference=conference, purpose=PortalLink.Purpose.FAMILY)
        .order_by("pk")
        .first()
    )
    if first is not None:
        portal.link_opened(first, at(shared_on + timedelta(days=1), 19, 12))
    return len(documents_)


def _asked_on_time(conference: Conference, *, staff: User, today: date) -> int:
    """Invited and asked for reports when they were due to be (or yesterday, if that is
    later); the police sent theirs yesterday afternoon."""
    yesterday = today - timedelta(days=1)
    asked_on = min(yesterday, conference.reports_requested_by or yesterday)
    if not conference.invitees.exists():
        Invitee.objects.bulk_create(invitees(conference))
        invite(conference, by=staff, on=min(asked_on, conference.invitations_due_by))
    authors = _authors(conference)
    if not authors:
        return 0
    with dated(at(asked_on, 10)) as now:
        reports.reports_request(conference=conference, by=staff, authors=authors, now=now)
    police = conference.report_requests.filter(author__agency=A.POLICE).first()
    if police is None:
        return 0
    with dated(at(yesterday, 16, 30)) as now:
        _send(police, now=now)
    return 1


def _pdf(text: str) -> bytes:
    """A one-page PDF saying `text`: the police's invented report."""
    stream = f"BT /F1 16 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
