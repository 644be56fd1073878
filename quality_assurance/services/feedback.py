"""Parent and carer feedback (§7.3, §7.4): after a held conference business support sends
each parent or carer invitee a one-time link (by email, or a printed letter with a short code
for those without an address); the parent answers online without an account; paper returns
are typed in by business support. One link per invitee (a unique constraint on the links not
cancelled), so sending twice is refused for those already sent; a link is used once. An unused
link may be cancelled, or replaced by a new one sent the same way (resend_link)."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from conferences import letters
from conferences.models import Attendance, Conference, Invitee
from conferences.services.mailing import (
    SEND_ERRORS,
    error_kind,
    locked_conference,
    open_connection,
    send,
)
from conferences.services.portal import report_in_time_for
from iro_service.records import save_with_history

from .. import links
from ..models import FeedbackQuestionnaire, OneTimeLink
from ..questions import FEEDBACK
from . import link_changes

logger = logging.getLogger(__name__)

# (field, plain-English question) in the questionnaire's order (§7.4), from the one list.
QUESTIONS: list[tuple[str, str]] = [(q.field, q.question) for q in FEEDBACK]
ANSWER_FIELDS = [name for name, _ in QUESTIONS]
TEMPLATES = "quality"


def respondent_for(invitee: Invitee | None) -> str:
    """The questionnaire's respondent from the invitee's role as written ("Mother", "Dad",
    "Foster carer"); anyone else in the family is "other"."""
    role = (invitee.role if invitee else "").lower()
    R = FeedbackQuestionnaire.Respondent
    if any(word in role for word in ("mother", "mum", "mom")):
        return R.MOTHER
    if any(word in role for word in ("father", "dad")):
        return R.FATHER
    if any(word in role for word in ("carer", "guardian", "foster")):
        return R.CARER
    return R.OTHER


def family_invitees(conference: Conference) -> list[Invitee]:
    return list(conference.invitees.filter(agency=Attendance.Agency.FAMILY).order_by("name", "pk"))


@dataclass
class Plan:
    """Who would get what if business support pressed send now."""

    by_email: list[Invitee] = field(default_factory=list)
    by_letter: list[Invitee] = field(default_factory=list)
    already: list[tuple[Invitee, OneTimeLink]] = field(default_factory=list)


def links_in_force(conference: Conference):
    """The conference's feedback links not cancelled (used or expired ones included)."""
    return conference.links.filter(purpose=OneTimeLink.Purpose.FEEDBACK, cancelled_at__isnull=True)


def sent_links(conference: Conference):
    """Every feedback link made for the conference, cancelled ones too, by person then age."""
    return (
        conference.links.filter(purpose=OneTimeLink.Purpose.FEEDBACK)
        .select_related("invitee", "created_by", "cancelled_by")
        .order_by("invitee__name", "invitee_id", "created_at", "pk")
    )


def plan(conference: Conference) -> Plan:
    """Someone whose link was cancelled, and not replaced, is to be sent one again."""
    sent = {link.invitee_id: link for link in links_in_force(conference)}
    result = Plan()
    for invitee in family_invitees(conference):
        if invitee.pk in sent:
            result.already.append((invitee, sent[invitee.pk]))
        elif invitee.email:
            result.by_email.append(invitee)
        else:
            result.by_letter.append(invitee)
    return result


def send_refusal(conference: Conference, planned: Plan | None = None) -> str:
    """Why links cannot be sent now ("" when they can)."""
    if conference.status != Conference.Status.HELD:
        return (
            f"This conference is {conference.get_status_display().lower()}, not held, so "
            "there is no feedback to ask for yet."
        )
    planned = planned or plan(conference)
    if not (planned.by_email or planned.by_letter or planned.already):
        return "No parent or carer was invited to this conference, so there is nobody to ask."
    if not (planned.by_email or planned.by_letter):
        return "Every parent or carer invited has already been sent a feedback link."
    return ""


@dataclass
class Sent:
    emailed: list[Invitee] = field(default_factory=list)
    failed: list[Invitee] = field(default_factory=list)
    letters: list[OneTimeLink] = field(default_factory=list)


def _feedback_email(
    invitee: Invitee, conference: Conference, url: str, link: OneTimeLink, respond_url: str
):
    return EmailMessage(
        subject="Tell us what you thought of the child protection conference",
        body=render_to_string(
            f"{TEMPLATES}/email_feedback.txt",
            {
                "invitee": invitee,
                "day": letters.format_day(conference.scheduled_for),
                "url": url,
                "respond_url": respond_url,
                "code": links.display_code(link.code),
                "expires": letters.format_day(link.expires_at),
                "authority": settings.IRO_AUTHORITY_NAME,
                "business_support": settings.DEFAULT_FROM_EMAIL,
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitee.email],
        reply_to=[settings.DEFAULT_FROM_EMAIL],
    )


def send_links(*, conference: Conference, by, base_url: str, now: datetime | None = None) -> Sent:
    """A link for each parent or carer invitee not yet sent one: by email to those with an
    address, by letter (its code) to the rest. Each email is sent inside the savepoint that
    records its link, so a failed email leaves no link (try again) and nobody is recorded as
    sent what they were not."""
    now = now or timezone.now()
    with transaction.atomic():
        conference = locked_conference(conference)
        planned = plan(conference)
        refusal = send_refusal(conference, planned)
        if refusal:
            raise ValidationError(refusal)
        result = Sent()
        for invitee in planned.by_letter:
            link, _token = links.new_link(
                purpose=OneTimeLink.Purpose.FEEDBACK,
                conference=conference,
                invitee=invitee,
                by=by,
                now=now,
            )
            link.sent_at, link.sent_by = now, "letter"
            _save_link(link)
            result.letters.append(link)
        if planned.by_email:
            connection = open_connection()
            try:
                for invitee in planned.by_email:
                    _email_one(conference, invitee, by, now, base_url, connection, result)
            finally:
                connection.close()
        if not result.emailed and not result.letters:
            raise ValidationError(
                "None of the emails could be sent, so no link was recorded as sent. "
                "Try again later."
            )
        return result


def _save_link(link: OneTimeLink) -> None:
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:
        raise ValidationError("A link was already made for this person.") from error


def _email_one(conference, invitee, by, now, base_url, connection, result: Sent) -> None:
    link, token = links.new_link(
        purpose=OneTimeLink.Purpose.FEEDBACK, conference=conference, invitee=invitee, by=by, now=now
    )
    link.sent_at, link.sent_by = now, "email"
    url = base_url.rstrip("/") + reverse("respond:feedback", args=[token])
    try:
        with transaction.atomic():
            link.save()
            respond_url = base_url.rstrip("/") + reverse("respond:start")
            send(_feedback_email(invitee, conference, url, link, respond_url), connection)
    except SEND_ERRORS as error:
        logger.warning("The feedback link to invitee %s failed: %s", invitee.pk, error_kind(error))
        result.failed.append(invitee)
    else:
        result.emailed.append(invitee)


def letters_to_print(conference: Conference, *, invitee: int | None = None):
    """The letters sent by post whose link is not cancelled (a cancelled code is never
    printed again), or only the one to this invitee."""
    sent = links_in_force(conference).filter(sent_by="letter")
    if invitee is not None:
        sent = sent.filter(invitee_id=invitee)
    return sent


def letters_pdf(
    conference: Conference,
    *,
    respond_url: str,
    today: date | None = None,
    invitee: int | None = None,
) -> bytes:
    """One letter per parent or carer sent a code by post, to print (or only this invitee's,
    after a lost letter was replaced)."""
    from annual_report.pdf import render_pdf

    sent = (
        letters_to_print(conference, invitee=invitee)
        .select_related("invitee")
        .order_by("invitee__name", "pk")
    )
    pages = [
        {
            "invitee": link.invitee,
            "address_lines": [
                line.strip() for line in link.invitee.postal_address.splitlines() if line.strip()
            ],
            "code": links.display_code(link.code),
            "expires": letters.format_day(link.expires_at),
        }
        for link in sent
    ]
    html = render_to_string(
        f"{TEMPLATES}/feedback/letters_pdf.html",
        {
            "pages": pages,
            "today": today or timezone.localdate(),
            "day": letters.format_day(conference.scheduled_for),
            "authority": settings.IRO_AUTHORITY_NAME,
            "authority_address": settings.IRO_AUTHORITY_ADDRESS,
            "business_support": settings.DEFAULT_FROM_EMAIL,
            "respond_url": respond_url,
        },
    )
    return render_pdf(html).content


def resend_refusal(link: OneTimeLink, conference: Conference) -> str:
    """Why a new feedback link cannot be sent in this one's place ("" when it can), besides
    the link itself no longer working (links.change_refusal)."""
    if conference.status != Conference.Status.HELD:
        return send_refusal(conference)
    if link.sent_by == "email" and not link.invitee.email:
        return (
            f"{link.invitee.name} has no email address now, so a new link cannot be emailed. "
            "Add their email address to the conference's invitees, or cancel this link and "
            "send links again to post a letter."
        )
    return ""


def resend_link(
    *, link: OneTimeLink, by, base_url: str, now: datetime | None = None
) -> OneTimeLink:
    """Cancel an unused feedback link and send its person a new one the same way: emailed to
    the invitee's address as it is now (corrected if it was wrong), or a new letter with a new
    code to print. All in one transaction: if the email cannot be sent nothing changes and
    the old link still works."""
    now = now or timezone.now()
    with transaction.atomic():
        conference = locked_conference(link.conference)
        old = link_changes.lock_for_change(link, now=now)
        if old.purpose != OneTimeLink.Purpose.FEEDBACK or old.invitee is None:
            raise ValidationError("This link is not a parent's or carer's feedback link.")
        refusal = resend_refusal(old, conference)
        if refusal:
            raise ValidationError(refusal)
        invitee = old.invitee
        way = "email" if old.sent_by == "email" else "letter"
        link_changes.mark_cancelled(old, by=by, now=now)
        new, token = links.new_link(
            purpose=OneTimeLink.Purpose.FEEDBACK,
            conference=conference,
            invitee=invitee,
            by=by,
            now=now,
        )
        new.sent_at, new.sent_by = now, way
        _save_link(new)
        if way == "email":
            url = base_url.rstrip("/") + reverse("respond:feedback", args=[token])
            respond_url = base_url.rstrip("/") + reverse("respond:start")
            try:
                send(_feedback_email(invitee, conference, url, new, respond_url), None)
            except SEND_ERRORS as error:
                logger.warning(
                    "The new feedback link to invitee %s failed: %s", invitee.pk, error_kind(error)
                )
                raise ValidationError(
                    f"The email to {invitee.name} could not be sent, so nothing changed: the "
                    "link sent before still works. Try again later."
                ) from error
        return new


def _answers(answers: dict) -> dict:
    return {name: answers.get(name, "") for name in [*ANSWER_FIELDS, "stress_level", "comments"]}


def enter_paper(
    *, conference: Conference, respondent: str, received_on: date, answers: dict, by
) -> FeedbackQuestionnaire:
    """A paper questionnaire typed in by business support."""
    if conference.status != Conference.Status.HELD:
        raise ValidationError(
            {"conference": ["Feedback can only be recorded for a conference that was held."]}
        )
    if received_on < timezone.localtime(conference.scheduled_for).date():
        raise ValidationError(
            {"received_on": ["The date received must be on or after the conference date."]}
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": ["The date received must be today or in the past."]})
    with transaction.atomic():
        return save_with_history(
            FeedbackQuestionnaire(
                conference=conference,
                respondent=respondent,
                source=FeedbackQuestionnaire.Source.PAPER,
                received_on=received_on,
                entered_by=by,
                **_answers(answers),
            ),
            by=by,
            reason="Paper feedback questionnaire typed in",
        )


def known_answers(link: OneTimeLink) -> dict:
    """Answers the record already holds for this parent or carer, so they are not asked: whether
    the social worker's report reached them in time, when it was shared with them through the
    document portal (conferences.services.portal.report_in_time_for)."""
    in_time = report_in_time_for(link.invitee)
    return {} if in_time is None else {"report_received_in_time": in_time}


def answer_online(*, link: OneTimeLink, answers: dict, now: datetime | None = None):
    """A parent's or carer's answers through their link: saved once, and the link used. An
    answer the record holds (known_answers) is taken from the record, not from the form."""
    now = now or timezone.now()
    known = known_answers(link)
    answers = {**answers, **known}
    with transaction.atomic():
        link = OneTimeLink.objects.select_for_update().get(pk=link.pk)
        if link.purpose != OneTimeLink.Purpose.FEEDBACK:
            raise ValidationError("This link is not for feedback.")
        current = links.state(link, now)
        if current != links.VALID:
            raise ValidationError(current)
        answer = save_with_history(
            FeedbackQuestionnaire(
                conference=link.conference,
                respondent=respondent_for(link.invitee),
                source=FeedbackQuestionnaire.Source.ONLINE,
                received_on=timezone.localtime(now).date(),
                link=link,
                report_received_from_record="report_received_in_time" in known,
                **_answers(answers),
            ),
            by=None,
            reason="Answered online through a one-time link",
        )
        link.used_at = now
        link.save(update_fields=["used_at"])
        return answer
