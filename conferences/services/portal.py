"""The document portal (§8.2, §9.4; workflows.md, "Invitations and reports").

- An agency sends its report through the upload link that came with the request
  (reports.reports_request): a PDF or Word document, checked by its bytes and its size
  (IRO_REPORT_MAX_MB), or the short agency report form. The report is then received at that
  moment: nobody types the time, and the chasers stop (they chase reports not received).
- Business support shares the reports with the family: through each member's own link by
  email, or printed and posted. The time the email went (or the post was recorded) is the
  shared time, and for the social worker's report it is the conference's report_shared_at,
  which the QA form and the measures read.
- An hourly task warns business support and the chair when the social worker's report will
  not reach the family by its deadline (24 hours before an initial conference, 48 before a
  review): once per conference and deadline.
- report_in_time_for answers the feedback question "did you get the report in time?" from
  these records for a family member the reports were shared with through the portal.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from annual_report.pdf import render_pdf
from iro_service import documents
from iro_service.records import save_with_history
from people.models import User

from .. import letters, portal_links
from ..models import (
    Attendance,
    Conference,
    Invitee,
    PortalLink,
    ReportDocument,
    ReportRequest,
    ReportShare,
    ShareWarning,
)
from . import reports
from .mailing import (
    SEND_ERRORS,
    Sent,
    email_message,
    error_kind,
    locked_conference,
    open_connection,
    require_booked,
    send,
)

logger = logging.getLogger(__name__)
Purpose = PortalLink.Purpose

# The agency report form (§8.2): (field, question, hint), written once for the public page,
# the staff page, the check page and the printed report.
TEMPLATE_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "what_we_know",
        "What do you know about the child and family?",
        "Your agency's involvement, and what you have seen and heard.",
    ),
    ("worries", "What are you worried about?", "What has happened, and how it affects the child."),
    ("working_well", "What is working well?", "Strengths and safety in the family."),
    (
        "recommendation",
        "What do you recommend?",
        "For example, whether the child needs a child protection plan, and what would help.",
    ),
)
TEMPLATE_FIELDS = [name for name, _, _ in TEMPLATE_QUESTIONS]
ANSWER_MAX_LENGTH = 10_000
KIND_NAMES = {documents.PDF: "a PDF", documents.DOCX: "a Word document"}


def max_bytes() -> int:
    return settings.IRO_REPORT_MAX_MB * 1024 * 1024


# -- checking what is sent --------------------------------------------------------------------


def file_problem(upload) -> str:
    """What is wrong with an uploaded report ("" when nothing is). Judged by the file's bytes:
    a name that says one kind of file while the content is another is refused, since the
    person may have chosen the wrong file."""
    if upload is None:
        return "Choose the report to upload"
    if upload.size > max_bytes():
        return f"The report must be smaller than {settings.IRO_REPORT_MAX_MB}MB"
    if not upload.size:
        return "The chosen file is empty"
    kind = documents.kind_of(upload)
    named = documents.extension_of(upload.name or "")
    if not kind:
        if named == "doc":
            return (
                "The report is an older Word document (.doc). Save it as a .docx or a PDF "
                "and upload that"
            )
        return "The report must be a PDF or a Word document (.docx)"
    if named in {documents.PDF, documents.DOCX} and named != kind:
        return (
            f"The file is named .{named} but it is {KIND_NAMES[kind]}. Check you chose the "
            "right file"
        )
    return ""


def answers_problems(answers: dict) -> dict:
    """The agency report form's errors, by field (empty when it is complete)."""
    problems = {}
    for name, question, _ in TEMPLATE_QUESTIONS:
        text = (answers.get(name) or "").strip()
        if not text:
            problems[name] = f"Answer: {question[0].lower()}{question[1:]}"
        elif len(text) > ANSWER_MAX_LENGTH:
            problems[name] = f"The answer must be {ANSWER_MAX_LENGTH:,} characters or fewer"
    return problems


# -- receiving --------------------------------------------------------------------------------


def _file_document(report: ReportRequest, upload, *, source: str, by, now) -> ReportDocument:
    problem = file_problem(upload)
    if problem:
        raise ValidationError({"file": problem})
    kind = documents.kind_of(upload)
    document = ReportDocument(
        report=report,
        form=ReportDocument.Form.FILE,
        source=source,
        original_name=(upload.name or "")[-200:],
        content_type=documents.CONTENT_TYPES[kind],
        size=upload.size,
        received_at=now,
        added_by=by,
    )
    upload.seek(0)
    document.file.save(f"report.{kind}", upload, save=False)
    return document


def _form_document(report: ReportRequest, answers: dict, *, source: str, by, now):
    problems = answers_problems(answers)
    if problems:
        raise ValidationError(problems)
    return ReportDocument(
        report=report,
        form=ReportDocument.Form.TEMPLATE,
        source=source,
        received_at=now,
        added_by=by,
        **{name: answers[name].strip() for name in TEMPLATE_FIELDS},
    )


def _receive(document: ReportDocument, *, by, now: datetime) -> ReportDocument:
    save_with_history(document, by=by, reason=f"Report received ({document.get_source_display()})")
    if document.report.received_at is None:
        reports.report_received(report=document.report, by=by, at=now)
    return document


def _locked_link(link: PortalLink, now: datetime) -> PortalLink:
    # Only the link's row: PostgreSQL cannot lock the nullable side of an outer join (report).
    link = (
        PortalLink.objects.select_for_update(of=("self",))
        .select_related("report", "conference")
        .get(pk=link.pk)
    )
    current = portal_links.state(link, now)
    if current != portal_links.VALID:
        raise ValidationError(current)  # the public page shows the link's state
    return link


@transaction.atomic
def report_send(*, link: PortalLink, now: datetime, upload=None, answers=None) -> ReportDocument:
    """An agency sends its report through its link: a file, or the form's answers. The link is
    used up, and the report is received now."""
    link = _locked_link(link, now)
    if link.purpose != Purpose.UPLOAD:
        raise ValidationError(portal_links.UNKNOWN)
    if upload is not None:
        document = _file_document(
            link.report, upload, source=ReportDocument.Source.LINK, by=None, now=now
        )
    else:
        document = _form_document(
            link.report, answers or {}, source=ReportDocument.Source.LINK, by=None, now=now
        )
    _receive(document, by=None, now=now)
    link.used_at = now
    link.save(update_fields=["used_at"])
    return document


@transaction.atomic
def report_add(
    *, report: ReportRequest, by: User, now: datetime, upload=None, answers=None
) -> ReportDocument:
    """Business support adds a report that came another way (secure email, paper). An upload
    link not yet used is cancelled: the report is in."""
    report = (
        ReportRequest.objects.select_for_update()
        .select_related("author", "conference")
        .get(pk=report.pk)
    )
    if upload is not None:
        document = _file_document(
            report, upload, source=ReportDocument.Source.STAFF, by=by, now=now
        )
    else:
        document = _form_document(
            report, answers or {}, source=ReportDocument.Source.STAFF, by=by, now=now
        )
    _receive(document, by=by, now=now)
    report.upload_links.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now, cancelled_by=by
    )
    return document


def latest_documents(conference: Conference) -> list[ReportDocument]:
    """Each report request's latest document, by author."""
    newest: dict[int, ReportDocument] = {}
    for document in (
        ReportDocument.objects.filter(report__conference=conference)
        .select_related("report__author")
        .order_by("received_at", "pk")
    ):
        newest[document.report_id] = document
    return sorted(newest.values(), key=lambda d: (d.report.author.name, d.pk))


def document_file(document: ReportDocument) -> tuple[bytes, str, str]:
    """(content, content type, download name) of a report: an upload as it came, the form's
    answers as a PDF. The name is the conference's reference, never the family's name."""
    reference = letters.meeting_context(document.report.conference)["reference"]
    if document.form == ReportDocument.Form.FILE:
        with document.file.open("rb") as stored:
            content = stored.read()
        extension = documents.extension_of(document.file.name)
        return content, document.content_type, f"report-{reference}-{document.pk}.{extension}"
    return (
        template_pdf([document]),
        documents.CONTENT_TYPES[documents.PDF],
        (f"report-{reference}-{document.pk}.pdf"),
    )


def template_pdf(forms: list[ReportDocument], *, covers: list[dict] = ()) -> bytes:
    """Agency report forms as printed pages (and, for the post, a covering letter first)."""
    html = render_to_string(
        "conferences/portal/report_pdf.html",
        {
            "covers": covers,
            "documents": [
                {
                    "document": document,
                    "meeting": letters.meeting_context(document.report.conference),
                    "answers": [
                        (question, getattr(document, name))
                        for name, question, _ in TEMPLATE_QUESTIONS
                    ],
                }
                for document in forms
            ],
            "authority": settings.IRO_AUTHORITY_NAME,
            "authority_address": settings.IRO_AUTHORITY_ADDRESS,
            "business_support": settings.DEFAULT_FROM_EMAIL,
            "today": timezone.localdate(),
        },
    )
    return render_pdf(html).content


# -- links ------------------------------------------------------------------------------------


def _family_email(invitee: Invitee, url: str, *, documents_=(), earlier=None) -> EmailMessage:
    """The family member's email: their link (or, when they have one already, that more
    reports are there) and the reports' authors, never the reports themselves."""
    meeting = letters.meeting_context(invitee.conference)
    return email_message(
        to=[invitee.email],
        subject=f"Reports for the child protection conference on {meeting['day']}",
        template="email_family_reports.txt",
        context={
            "invitee": invitee,
            "meeting": meeting,
            "url": url,
            "earlier": earlier,
            "documents": documents_,
            "expires_at_day": timezone.localtime(
                portal_links.expiry(Purpose.FAMILY, invitee.conference)
            ).date()
            - timedelta(days=1),
        },
    )


@transaction.atomic
def link_send_again(*, link: PortalLink, by: User, now: datetime) -> PortalLink:
    """Cancel a link that still works and email the same person a new one (lost, or sent to
    an old address since corrected). A used or expired link is left as it is."""
    link = (
        PortalLink.objects.select_for_update()
        .select_related("invitee", "conference")
        .get(pk=link.pk)
    )
    current = portal_links.state(link, now)
    if current != portal_links.VALID:
        raise ValidationError(
            {
                portal_links.USED: "This link has been used: the report came through it.",
                portal_links.CANCELLED: "This link is no longer in use.",
                portal_links.EXPIRED: "This link has expired.",
            }[current]
        )
    if not link.invitee.email:
        raise ValidationError(f"{link.invitee.name} has no email address: add it first.")
    link.cancelled_at, link.cancelled_by = now, by
    link.save(update_fields=["cancelled_at", "cancelled_by"])
    new, token = portal_links.new_link(
        purpose=link.purpose, invitee=link.invitee, report=link.report, by=by, now=now
    )
    connection = open_connection()
    try:
        url = portal_links.url(link.purpose, token)
        if link.purpose == Purpose.UPLOAD:
            message = reports.report_request_email(link.report, url)
        else:
            message = _family_email(link.invitee, url, documents_=shared_with(link))
        send(message, connection)
    except SEND_ERRORS as error:
        logger.warning("New portal link %s not sent: %s", new.pk, error_kind(error))
        raise ValidationError(
            "The email could not be sent, so nothing changed. Try again."
        ) from error
    finally:
        connection.close()
    new.sent_at = now
    new.save(update_fields=["sent_at"])
    return new


def link_opened(link: PortalLink, now: datetime) -> None:
    updates = {"last_opened_at": now}
    if link.first_opened_at is None:
        updates["first_opened_at"] = now
        link.first_opened_at = now
    PortalLink.objects.filter(pk=link.pk).update(**updates)
    link.last_opened_at = now


def shared_with(link: PortalLink) -> list[ReportDocument]:
    """The reports shared with this family member: the social worker's first (the one the
    conference is built on), then the others as they were shared."""
    documents_ = [
        share.document
        for share in link.invitee.report_shares.select_related(
            "document__report__author", "document__report__conference"
        ).order_by("shared_at", "document__pk")
    ]
    return sorted(documents_, key=lambda d: not reports.is_social_workers_report(d.report))


# -- sharing with the family ------------------------------------------------------------------


def family(conference: Conference) -> list[Invitee]:
    return list(
        conference.invitees.filter(agency=Attendance.Agency.FAMILY)
        .exclude(child__isnull=False)
        .order_by("name", "pk")
    )


@dataclass
class SharePlan:
    """What sharing these reports now would do, for the check page."""

    documents: list[ReportDocument]
    by_email: list[tuple[Invitee, list[ReportDocument]]] = field(default_factory=list)
    by_post: list[tuple[Invitee, list[ReportDocument]]] = field(default_factory=list)
    already: list[Invitee] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.by_email or self.by_post)


def share_plan(conference: Conference, chosen: list[ReportDocument]) -> SharePlan:
    plan = SharePlan(documents=chosen)
    shared = set(
        ReportShare.objects.filter(document__in=chosen).values_list("invitee_id", "document_id")
    )
    for invitee in family(conference):
        new = [d for d in chosen if (invitee.pk, d.pk) not in shared]
        if not new:
            plan.already.append(invitee)
        elif invitee.email:
            plan.by_email.append((invitee, new))
        else:
            plan.by_post.append((invitee, new))
    return plan


def _record_shared(documents_, *, by, now) -> None:
    """The report's shared time is its first share with anyone in the family; for the social
    worker's report, the conference's too (reports.report_shared_with_parents)."""
    for document in documents_:
        report = ReportRequest.objects.get(pk=document.report_id)
        if report.shared_with_parents_at is None:
            reports.report_shared_with_parents(report=report, by=by, at=now)


def _check_choice(conference: Conference, chosen: list[ReportDocument]) -> None:
    if not chosen:
        raise ValidationError({"documents": "Choose at least one report to share"})
    latest = {d.pk for d in latest_documents(conference)}
    for document in chosen:
        if document.pk not in latest:
            raise ValidationError(
                {"documents": "Choose from this conference's reports as they are now"}
            )


@transaction.atomic
def reports_share(
    *, conference: Conference, documents_: list[ReportDocument], by: User, now: datetime
) -> Sent:
    """Share the chosen reports with the family: each member with an email address gets their
    own link (or, if they already have one, an email saying more reports are there); those
    without are listed to be posted. Answers who was emailed, whose email failed, and who is
    to get the reports by post (recorded when business support says they are posted)."""
    conference = locked_conference(conference)
    require_booked(conference, now=now, doing="its reports cannot be shared now")
    _check_choice(conference, documents_)
    plan = share_plan(conference, documents_)
    if not plan.anything:
        raise ValidationError({"documents": "These reports are already shared with everyone"})
    result = Sent(letters=[invitee for invitee, _ in plan.by_post])
    shared: set[int] = set()
    connection = open_connection()
    try:
        for invitee, new in plan.by_email:
            try:
                with transaction.atomic():
                    link = portal_links.in_force(Purpose.FAMILY, invitee)
                    earlier = (
                        link.sent_at
                        if link and portal_links.state(link, now) == portal_links.VALID
                        else None
                    )
                    token = None
                    if earlier is None:
                        if link is not None:  # expired or never sent: replaced
                            link.cancelled_at, link.cancelled_by = now, by
                            link.save(update_fields=["cancelled_at", "cancelled_by"])
                        link, token = portal_links.new_link(
                            purpose=Purpose.FAMILY, invitee=invitee, by=by, now=now
                        )
                        link.sent_at = now
                        link.save(update_fields=["sent_at"])
                    ReportShare.objects.bulk_create(
                        ReportShare(
                            document=d,
                            invitee=invitee,
                            shared_at=now,
                            method=ReportShare.Method.EMAIL,
                            shared_by=by,
                        )
                        for d in new
                    )
                    url = portal_links.url(Purpose.FAMILY, token) if token else ""
                    send(
                        _family_email(invitee, url, documents_=new, earlier=earlier),
                        connection,
                    )
            except SEND_ERRORS as error:
                logger.warning(
                    "Reports link to invitee %s not sent: %s", invitee.pk, error_kind(error)
                )
                result.failed.append(invitee)
            else:
                result.emailed.append(invitee)
                shared.update(d.pk for d in new)
    finally:
        connection.close()
    _record_shared([d for d in documents_ if d.pk in shared], by=by, now=now)
    return result


def to_post(conference: Conference) -> list[tuple[Invitee, list[ReportDocument]]]:
    """Family members without an email address and the latest reports not yet posted to them."""
    return share_plan(conference, latest_documents(conference)).by_post


@transaction.atomic
def reports_posted(*, conference: Conference, by: User, now: datetime) -> list[Invitee]:
    """Business support has posted the printed reports to those without an email address:
    recorded as shared now. Answers who they were posted to."""
    conference = locked_conference(conference)
    waiting = to_post(conference)
    if not waiting:
        raise ValidationError("There are no reports waiting to be posted.")
    posted = set()
    for invitee, new in waiting:
        ReportShare.objects.bulk_create(
            ReportShare(
                document=d,
                invitee=invitee,
                shared_at=now,
                method=ReportShare.Method.POST,
                shared_by=by,
            )
            for d in new
        )
        posted.update(d.pk for d in new)
    _record_shared([d for _, new in waiting for d in new if d.pk in posted], by=by, now=now)
    return [invitee for invitee, _ in waiting]


def post_pack_pdf(conference: Conference) -> bytes:
    """For each family member to post to: a covering letter listing the reports enclosed, then
    the agency report forms printed. Uploaded documents are printed from their own files."""
    waiting = to_post(conference)
    covers = [
        {
            "invitee": invitee,
            "address_lines": [
                line.strip() for line in invitee.postal_address.splitlines() if line.strip()
            ],
            "documents": new,
            "meeting": letters.meeting_context(conference),
        }
        for invitee, new in waiting
    ]
    forms = {d.pk: d for _, new in waiting for d in new if d.form == ReportDocument.Form.TEMPLATE}
    return template_pdf(list(forms.values()), covers=covers)


# -- the family's answer, known from the record -----------------------------------------------


def report_in_time_for(invitee: Invitee | None) -> str | None:
    """ "yes" or "no": whether the social worker's report reached this family member by the
    conference's sharing deadline, when the reports were shared through the portal; None
    when the record cannot say (nothing shared through the portal, or no deadline)."""
    if invitee is None:
        return None
    conference = invitee.conference
    due = conference.report_share_due_by
    if (
        due is None
        or not ReportShare.objects.filter(document__report__conference=conference).exists()
    ):
        return None
    firsts = [
        share.shared_at
        for share in ReportShare.objects.filter(invitee=invitee)
        .select_related("document__report__author", "document__report__conference")
        .order_by("shared_at")
        if reports.is_social_workers_report(share.document.report)
    ]
    return "yes" if firsts and firsts[0] <= due else "no"


# -- warnings ---------------------------------------------------------------------------------


def sharing_at_risk(conference: Conference, now: datetime) -> bool:
    """The social worker's report is not with the family and its deadline is within
    IRO_SHARE_WARNING_HOURS (or past), for a booked conference yet to happen."""
    due = conference.report_share_due_by
    return (
        conference.status == Conference.Status.BOOKED
        and conference.scheduled_for > now
        and conference.report_shared_at is None
        and due is not None
        and due <= now + timedelta(hours=settings.IRO_SHARE_WARNING_HOURS)
    )


def warnings_due(now: datetime):
    warned = ShareWarning.objects.filter(
        conference=OuterRef("pk"), due_by=OuterRef("report_share_due_by")
    )
    return (
        Conference.objects.filter(
            status=Conference.Status.BOOKED,
            scheduled_for__gt=now,
            report_shared_at__isnull=True,
            report_share_due_by__isnull=False,
            report_share_due_by__lte=now + timedelta(hours=settings.IRO_SHARE_WARNING_HOURS),
        )
        .exclude(Exists(warned))
        .select_related("chair", "venue")
        .order_by("report_share_due_by", "pk")
    )


def social_workers_report(conference: Conference) -> ReportRequest | None:
    for report in conference.report_requests.select_related("author", "conference"):
        if reports.is_social_workers_report(report):
            return report
    return None


def _warning_email(conference: Conference, now: datetime) -> EmailMessage:
    meeting = letters.meeting_context(conference)
    report = social_workers_report(conference)
    if report is None:
        state = "The social worker's report has not been asked for."
    elif report.received_at is None:
        state = "The social worker's report has not come in."
    else:
        state = "The social worker's report is in but has not been shared with the family."
    to = [settings.DEFAULT_FROM_EMAIL]
    if conference.chair_id and conference.chair.email:
        to.append(conference.chair.email)
    return EmailMessage(
        subject=f"Reports not yet with the family: conference {meeting['reference']}",
        body=render_to_string(
            "conferences/portal/email_share_warning.txt",
            {
                "meeting": meeting,
                "state": state,
                "due": conference.report_share_due_by,
                "missed": conference.report_share_due_by <= now,
                "hours": 24 if conference.is_initial else 48,
                "url": settings.IRO_SITE_URL.rstrip("/")
                + reverse("conferences:invitees", args=[conference.pk]),
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def share_warnings_send(*, now: datetime) -> int:
    """Warn business support and the chair of each conference whose social worker's report
    will miss (or has missed) its sharing deadline. Safe to run any number of times: one
    warning per conference and deadline (a rearranged date has a new deadline). Answers how
    many were sent. The email names the conference's reference, never a child."""
    due = list(warnings_due(now))
    if not due:
        return 0
    sent = 0
    connection = get_connection()
    try:
        for conference in due:
            message = _warning_email(conference, now)
            try:
                with transaction.atomic():
                    ShareWarning.objects.create(
                        conference=conference,
                        due_by=conference.report_share_due_by,
                        sent_at=now,
                        sent_to=message.recipients(),
                    )
                    send(message, connection)
            except IntegrityError:
                continue
            except SEND_ERRORS as error:
                logger.warning(
                    "Sharing warning for conference %s not sent: %s",
                    conference.pk,
                    error_kind(error),
                )
                continue
            sent += 1
    finally:
        connection.close()
    return sent
