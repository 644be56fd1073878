"""After a conference: the decision sheet and the minutes, each signed off by the chair (or
the Senior IRO) and then sent by business support to the invitees: an email with the document
attached to those with an address, a letter to print for the rest (workflows.md, "After";
§5.4, §7.7.2). Who may do each is for the doors to ask (people.access); these say what is
allowed of the record.

Sending is recorded once per document (`*_distributed_at` and `_by`, which the measures count),
inside the lock of the conference row (mailing.py), so a second click or a second worker finds
it sent and is told when. The emails go inside the same transaction, after the record is
written: if the mail server cannot be reached nothing is recorded; if it refuses every
address, nothing is recorded either (nobody was sent anything); if it refuses some, the sending
stands and those people are listed, to be sent a letter.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from annual_report.pdf import render_pdf
from iro_service import documents
from iro_service.records import save_with_history
from people.models import User

from .. import decision_sheet as sheets
from .. import ics, letters
from ..models import Conference, ConferenceChild, Invitee, MinutesUpload
from ..selectors_paperwork import DECISION_SHEET, MINUTES, PAPERS, Paper
from .mailing import SEND_ERRORS, Sent, error_kind, locked_conference, open_connection, send

logger = logging.getLogger(__name__)

TEMPLATES = "conferences/paperwork"

# Minutes uploaded as a document: a PDF or a Word document, checked by the name's extension,
# the type the browser gave and the file's own first bytes, never by one of them alone.
MINUTES_MAX_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MINUTES_TYPES = {"pdf": PDF, "docx": DOCX}


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{letters.format_day(moment)} at {local:%H:%M}"


def _by(user: User | None) -> str:
    return f" by {user.display_name}" if user is not None else ""


def require_held(conference: Conference, *, doing: str) -> None:
    if conference.status != Conference.Status.HELD:
        raise ValidationError(
            f"This conference is {conference.get_status_display().lower()}, not held, so {doing}."
        )


def recipients(conference: Conference) -> tuple[list[Invitee], list[Invitee]]:
    """(by email, by letter): everyone invited, whether or not they came."""
    invitees = list(conference.invitees.order_by("name", "pk"))
    return [i for i in invitees if i.email], [i for i in invitees if not i.email]


def _email(*, to: str, subject: str, template: str, context: dict) -> EmailMessage:
    """A plain-text email from business support, who get the replies (as invitations are)."""
    return EmailMessage(
        subject=subject,
        body=render_to_string(f"{TEMPLATES}/{template}", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[settings.DEFAULT_FROM_EMAIL],
    )


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _send_all(conference: Conference, paper: Paper, *, attachment: Attachment) -> Sent:
    """Email each invitee with an address; those without are to get a letter. Called inside
    the transaction that records the sending: refused by every address, it raises."""
    by_email, by_letter = recipients(conference)
    result = Sent(letters=by_letter)
    if not by_email:
        return result
    meeting = letters.meeting_context(conference)
    subject = (
        f"{paper.what.capitalize()}: child protection conference on {meeting['day']} "
        f"({meeting['reference']})"
    )
    connection = open_connection()
    try:
        for invitee in by_email:
            message = _email(
                to=invitee.email,
                subject=subject,
                template=f"email_{paper.item}.txt",
                context={"invitee": invitee, "meeting": meeting},
            )
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
            try:
                send(message, connection)
            except SEND_ERRORS as error:
                logger.warning(
                    "The %s to invitee %s failed: %s", paper.what, invitee.pk, error_kind(error)
                )
                result.failed.append(invitee)
            else:
                result.emailed.append(invitee)
    finally:
        connection.close()
    if not result.emailed and not result.letters:
        raise ValidationError(
            f"None of the emails could be sent, so the {paper.what} {paper.is_} not recorded "
            "as sent. "
            "Try again later."
        )
    return result


def _recorded(conference: Conference, at: str, by: str) -> str:
    """ "Wednesday 17 March 2027 at 15:02 by Alex Brown" """
    return f"{_when(getattr(conference, at))}{_by(getattr(conference, by))}"


def send_refusal(conference: Conference, item: str) -> str:
    """Why the document cannot be sent now ("" when it can): the send services' own check,
    which the pages also show before anyone presses the button."""
    paper = PAPERS[item]
    if conference.status != Conference.Status.HELD:
        return (
            f"This conference is {conference.get_status_display().lower()}, not held, so there "
            f"is no {paper.what} to send yet."
        )
    if getattr(conference, paper.sent_at) is not None:
        return (
            f"The {paper.what} {paper.was} already sent on "
            f"{_recorded(conference, paper.sent_at, paper.sent_by)}."
        )
    if getattr(conference, paper.signed_at) is None:
        return f"The chair has not signed off the {paper.what} yet, so {paper.it} cannot be sent."
    if not conference.invitees.exists():
        return f"No one was invited to this conference, so there is no one to send the {paper.what} to."
    if item == MINUTES and minutes_draft_of(conference) is None:
        return "There are no minutes in the service to send (they were signed off elsewhere)."
    return ""


def _sign_off(conference: Conference, paper: Paper, *, by: User, now: datetime) -> Conference:
    if getattr(conference, paper.signed_at) is not None:
        raise ValidationError(
            f"The {paper.what} {paper.was} already signed off on "
            f"{_recorded(conference, paper.signed_at, paper.signed_by)}."
        )
    setattr(conference, paper.signed_at, now)
    setattr(conference, paper.signed_by, by)
    save_with_history(
        conference,
        by=by,
        reason=f"{paper.what.capitalize()} signed off",
        update_fields=[paper.signed_at, paper.signed_by],
        clean=False,
    )
    return conference


def _send(conference: Conference, item: str, *, by: User, now: datetime, attachment) -> Sent:
    """Record the sending, then email it (attachment() makes the document first, so if it
    cannot be made nothing is recorded). Called inside the service's transaction, with the
    conference locked."""
    paper = PAPERS[item]
    refusal = send_refusal(conference, item)
    if refusal:
        raise ValidationError(refusal)
    document = attachment(conference)
    setattr(conference, paper.sent_at, now)
    setattr(conference, paper.sent_by, by)
    save_with_history(
        conference,
        by=by,
        reason=f"{paper.what.capitalize()} sent to the invitees",
        update_fields=[paper.sent_at, paper.sent_by],
        clean=False,
    )
    return _send_all(conference, paper, attachment=document)


def _letter_recipients(conference: Conference, item: str, invitee_ids) -> list[Invitee]:
    """Those to write to, once the document is sent: by default everyone without an email
    address; or the invitees named (for instance those whose email failed)."""
    paper = PAPERS[item]
    if getattr(conference, paper.sent_at) is None:
        raise ValidationError(
            f"The {paper.what} {'have' if paper.plural else 'has'} not been sent yet: send "
            f"{'them' if paper.plural else 'it'} first, then print the letters."
        )
    invitees = conference.invitees.order_by("name", "pk")
    if invitee_ids:
        chosen = list(invitees.filter(pk__in=invitee_ids))
        if len(chosen) != len(set(invitee_ids)):
            raise ValidationError("Someone chosen is not invited to this conference.")
        return chosen
    chosen = list(invitees.filter(email=""))
    if not chosen:
        raise ValidationError(f"Everyone was sent the {paper.what} by email: no letters to print.")
    return chosen


# -- the decision sheet ----------------------------------------------------------------------


def _undecided(conference: Conference) -> list[str]:
    rows = conference.child_outcomes.filter(outcome=ConferenceChild.Outcome.PENDING)
    return [row.child.full_name for row in rows.select_related("child").order_by("child__pk")]


@transaction.atomic
def decision_sheet_sign_off(*, conference: Conference, by: User, now: datetime) -> Conference:
    """The chair (or the Senior IRO) signs off the decision sheet: from now on it can be sent.
    Every child considered must have a decision."""
    conference = locked_conference(conference)
    require_held(conference, doing="its decision sheet cannot be signed off yet")
    undecided = _undecided(conference)
    if undecided and conference.decision_sheet_signed_off_at is None:
        raise ValidationError(
            f"Record the decision for {', '.join(undecided)} before signing off the decision sheet."
        )
    return _sign_off(conference, PAPERS[DECISION_SHEET], by=by, now=now)


def decision_sheet_attachment(conference: Conference) -> Attachment:
    pdf = sheets.decision_sheet_pdf(sheets.decision_sheet_for(conference))
    return Attachment(f"decision-sheet-{ics.reference(conference)}.pdf", pdf, PDF)


@transaction.atomic
def decision_sheet_send(*, conference: Conference, by: User, now: datetime) -> Sent:
    """Send the signed-off decision sheet to every invitee, once: an email with the PDF, or a
    letter to print (decision_sheet_letters). Records when, and who sent it."""
    conference = locked_conference(conference)
    return _send(conference, DECISION_SHEET, by=by, now=now, attachment=decision_sheet_attachment)


def decision_sheet_letters(*, conference: Conference, invitee_ids=()) -> bytes:
    """The letters for those sent the decision sheet by post, each followed by the sheet.
    Printing records nothing: the sending did, and a jammed printer can print them again."""
    invitees = _letter_recipients(conference, DECISION_SHEET, invitee_ids)
    return sheets.decision_sheet_letters_pdf(sheets.decision_sheet_for(conference), invitees)


# -- the minutes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesDraft:
    """The latest draft: the text written in the service, or the latest document uploaded,
    whichever came last."""

    text: str = ""
    upload: MinutesUpload | None = None
    at: datetime | None = None
    by: User | None = None

    @property
    def is_upload(self) -> bool:
        return self.upload is not None


def minutes_draft_of(conference: Conference) -> MinutesDraft | None:
    upload = conference.minutes_uploads.select_related("uploaded_by").order_by(
        "-uploaded_at", "-pk"
    )
    upload = upload.first()
    written = conference.minutes_drafted_at if conference.minutes_text.strip() else None
    if upload is not None and (written is None or upload.uploaded_at >= written):
        return MinutesDraft(upload=upload, at=upload.uploaded_at, by=upload.uploaded_by)
    if written is not None:
        return MinutesDraft(
            text=conference.minutes_text, at=written, by=conference.minutes_drafted_by
        )
    return None


def _require_not_signed_off(conference: Conference) -> None:
    if conference.minutes_signed_off_at is not None:
        raise ValidationError(
            f"The minutes were signed off on {_when(conference.minutes_signed_off_at)}"
            f"{_by(conference.minutes_signed_off_by)}, so they can no longer be changed."
        )


@transaction.atomic
def minutes_write(*, conference: Conference, by: User, text: str, now: datetime) -> Conference:
    """Save the draft minutes written in the service (each version kept in the history)."""
    conference = locked_conference(conference)
    require_held(conference, doing="its minutes cannot be written yet")
    _require_not_signed_off(conference)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the minutes"})
    conference.minutes_text = text
    conference.minutes_drafted_at, conference.minutes_drafted_by = now, by
    save_with_history(
        conference,
        by=by,
        reason="Draft minutes written",
        update_fields=["minutes_text", "minutes_drafted_at", "minutes_drafted_by"],
        clean=False,
    )
    return conference


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like(kind: str, upload: UploadedFile) -> bool:
    """Whether the file's own bytes are a PDF, or a Word document (a zip with its parts)."""
    return documents.kind_of(upload) == kind


def minutes_file_errors(upload: UploadedFile | None) -> str:
    """What is wrong with an uploaded minutes document ("" when nothing is)."""
    if upload is None:
        return "Choose the minutes document to upload"
    kind = _extension(upload.name or "")
    if kind not in MINUTES_TYPES:
        return "The minutes must be a PDF or a Word document (.docx)"
    if not upload.size:
        return "The chosen file is empty"
    if upload.size > MINUTES_MAX_BYTES:
        return "The minutes document must be smaller than 10 MB"
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared != MINUTES_TYPES[kind] or not _looks_like(kind, upload):
        return f"The chosen file is not a real {'PDF' if kind == 'pdf' else 'Word document'}"
    return ""


@transaction.atomic
def minutes_upload(
    *, conference: Conference, by: User, file: UploadedFile | None, now: datetime
) -> MinutesUpload:
    """Keep an uploaded draft of the minutes as a new row: earlier drafts are never replaced."""
    conference = locked_conference(conference)
    require_held(conference, doing="its minutes cannot be uploaded yet")
    _require_not_signed_off(conference)
    problem = minutes_file_errors(file)
    if problem:
        raise ValidationError({"file": problem})
    record = MinutesUpload(
        conference=conference,
        original_name=(file.name or "")[-200:],
        uploaded_at=now,
        uploaded_by=by,
    )
    record.file.save(file.name, file, save=False)
    record.save()
    save_with_history(
        conference,
        by=by,
        reason=f"Draft minutes uploaded ({record.original_name})",
        update_fields=[],
        clean=False,
    )
    return record


@transaction.atomic
def minutes_sign_off(*, conference: Conference, by: User, now: datetime) -> Conference:
    """The chair (or the Senior IRO) signs off the latest draft: it can no longer change."""
    conference = locked_conference(conference)
    require_held(conference, doing="its minutes cannot be signed off yet")
    if conference.minutes_signed_off_at is None and minutes_draft_of(conference) is None:
        raise ValidationError(
            "There are no draft minutes to sign off: the minute taker writes or uploads them first."
        )
    return _sign_off(conference, PAPERS[MINUTES], by=by, now=now)


def minutes_html(conference: Conference, *, letters_to=(), draft=None) -> str:
    draft = draft or minutes_draft_of(conference)
    return render_to_string(
        f"{TEMPLATES}/minutes_pdf.html",
        {
            "conference": conference,
            "meeting": letters.meeting_context(conference),
            "draft": draft,
            "is_draft": conference.minutes_signed_off_at is None,
            "signed_off_by": conference.minutes_signed_off_by,
            "letters_to": [sheets.addressed(invitee) for invitee in letters_to],
            "today": timezone.localdate(),
            "authority": settings.IRO_AUTHORITY_NAME,
            "authority_address": settings.IRO_AUTHORITY_ADDRESS,
            "business_support": settings.DEFAULT_FROM_EMAIL,
        },
    )


def minutes_pdf(conference: Conference) -> bytes:
    """The minutes written in the service, as a PDF ("Draft" until signed off)."""
    draft = minutes_draft_of(conference)
    if draft is None or draft.is_upload:
        raise ValidationError("The minutes were not written in the service: download the document.")
    return render_pdf(minutes_html(conference, draft=draft)).content


def minutes_attachment(conference: Conference) -> Attachment:
    draft = minutes_draft_of(conference)
    reference = ics.reference(conference)
    if draft.is_upload:
        kind = _extension(draft.upload.file.name)
        with draft.upload.file.open("rb") as stored:
            content = stored.read()
        return Attachment(f"minutes-{reference}.{kind}", content, MINUTES_TYPES[kind])
    pdf = render_pdf(minutes_html(conference, draft=draft)).content
    return Attachment(f"minutes-{reference}.pdf", pdf, PDF)


@transaction.atomic
def minutes_send(*, conference: Conference, by: User, now: datetime) -> Sent:
    """Send the signed-off minutes to every invitee, once: an email with the document, or a
    letter to print (minutes_letters). Records when, and who sent them."""
    conference = locked_conference(conference)
    return _send(conference, MINUTES, by=by, now=now, attachment=minutes_attachment)


def minutes_letters(*, conference: Conference, invitee_ids=()) -> bytes:
    """The covering letters for those sent the minutes by post; minutes written in the service
    follow each letter, an uploaded document is printed and enclosed."""
    invitees = _letter_recipients(conference, MINUTES, invitee_ids)
    return render_pdf(minutes_html(conference, letters_to=invitees)).content
