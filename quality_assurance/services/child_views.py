"""The child's views before a conference (§7.2, §7.6): business support or the chair makes a
one-time link for a child considered at a booked conference; it is emailed to the child's
social worker (to share with the child) or shown once to copy. The child, or the social
worker with them, sends typed words and/or a picture; the picture is checked by its content
(quality_assurance/uploads.py) and kept in the private storage, read only through an
access-checked view. The views count as participation (the holding page pre-fills from them).
An unused link may be cancelled, or replaced by a new one made the same way (resend_link)."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from children.models import Child
from conferences import letters
from conferences.models import Conference
from conferences.services.mailing import SEND_ERRORS, error_kind, locked_conference
from iro_service.records import save_with_history

from .. import links, uploads
from ..models import ChildView, OneTimeLink
from . import link_changes

logger = logging.getLogger(__name__)


@dataclass
class Made:
    link: OneTimeLink
    url: str  # shown once: only the hash is kept
    emailed_to: str = ""
    email_failed: bool = False


def link_refusal(conference: Conference, child: Child | None, *, now: datetime) -> str:
    if conference.status != Conference.Status.BOOKED:
        return (
            f"This conference is {conference.get_status_display().lower()}, so the child's "
            "views can no longer be asked for."
        )
    if conference.scheduled_for <= now:
        return (
            "This conference has already started, so the child's views can no longer be asked for."
        )
    if child is not None:
        if not conference.child_outcomes.filter(child=child).exists():
            return "This child is not being considered at this conference."
        made = conference.links.filter(
            purpose=OneTimeLink.Purpose.CHILD_VIEWS, child=child, cancelled_at__isnull=True
        ).first()
        if made is not None:
            return (
                f"A views link for {child.first_name} was already made on "
                f"{letters.format_day(made.created_at)}."
            )
    return ""


def make_link(
    *,
    conference: Conference,
    child: Child,
    by,
    base_url: str,
    email_social_worker: bool = True,
    now: datetime | None = None,
) -> Made:
    now = now or timezone.now()
    with transaction.atomic():
        conference = locked_conference(conference)
        refusal = link_refusal(conference, child, now=now)
        if refusal:
            raise ValidationError({"child": [refusal]})
        link, token = links.new_link(
            purpose=OneTimeLink.Purpose.CHILD_VIEWS,
            conference=conference,
            child=child,
            by=by,
            now=now,
        )
        url = base_url.rstrip("/") + reverse("respond:views", args=[token])
        try:
            with transaction.atomic():
                link.save()
        except IntegrityError as error:
            raise ValidationError(
                {"child": ["A views link was already made for this child."]}
            ) from error
        made = Made(link=link, url=url)
        address = child.social_worker_email if email_social_worker else ""
        if address:
            try:
                with transaction.atomic():
                    link.sent_at, link.sent_by = now, "email"
                    link.save(update_fields=["sent_at", "sent_by"])
                    _email(child, conference, link, url, address)
            except SEND_ERRORS as error:
                logger.warning(
                    "The views link for child %s failed: %s", child.pk, error_kind(error)
                )
                link.sent_at, link.sent_by = None, ""
                made.email_failed = True
            else:
                made.emailed_to = address
        return made


def resend_link(*, link: OneTimeLink, by, base_url: str, now: datetime | None = None) -> Made:
    """Cancel an unused views link and make a new one the same way, in one transaction:
    emailed to the child's social worker (their address as it is now) if the old one was,
    and shown once to copy either way. Refused once the conference is no longer booked or
    has started, as making a link is."""
    now = now or timezone.now()
    with transaction.atomic():
        conference = locked_conference(link.conference)
        refusal = link_refusal(conference, None, now=now)
        if refusal:
            raise ValidationError(refusal)
        old = link_changes.lock_for_change(link, now=now)
        if old.purpose != OneTimeLink.Purpose.CHILD_VIEWS or old.child is None:
            raise ValidationError("This link is not for a child's views.")
        link_changes.mark_cancelled(old, by=by, now=now)
        child = Child.objects.get(pk=old.child_id)
        try:
            return make_link(
                conference=conference,
                child=child,
                by=by,
                base_url=base_url,
                email_social_worker=old.sent_by == "email",
                now=now,
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error


def views_links(conference: Conference):
    """Every views link made for the conference, cancelled ones too, by child then age."""
    return (
        conference.links.filter(purpose=OneTimeLink.Purpose.CHILD_VIEWS)
        .select_related("child", "created_by", "cancelled_by")
        .order_by("child__first_name", "child_id", "created_at", "pk")
    )


def _email(child: Child, conference: Conference, link: OneTimeLink, url: str, address: str):
    """To the social worker, who may name the child: they work with them."""
    body = render_to_string(
        "quality/email_feedback_child_views.txt",
        {
            "child": child,
            "social_worker": child.social_worker_name,
            "day": letters.format_day(conference.scheduled_for),
            "expires": letters.format_day(link.expires_at),
            "url": url,
            "authority": settings.IRO_AUTHORITY_NAME,
            "business_support": settings.DEFAULT_FROM_EMAIL,
        },
    )
    message = EmailMessage(
        subject=f"{child.first_name}'s views for the child protection conference",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        reply_to=[settings.DEFAULT_FROM_EMAIL],
        connection=get_connection(),
    )
    message.send()


def send_views(*, link: OneTimeLink, words: str, picture=None, now: datetime | None = None):
    """The child's words and/or picture through their link: saved once, and the link used."""
    now = now or timezone.now()
    words = (words or "").strip()
    checked = uploads.check_upload(picture) if picture else None
    if not words and checked is None:
        raise ValidationError({"words": ["Write something, or choose a picture to send."]})
    with transaction.atomic():
        link = OneTimeLink.objects.select_for_update().get(pk=link.pk)
        if link.purpose != OneTimeLink.Purpose.CHILD_VIEWS or link.child_id is None:
            raise ValidationError("This link is not for a child's views.")
        current = links.state(link, now)
        if current != links.VALID:
            raise ValidationError(current)
        view = ChildView(
            conference=link.conference,
            child=link.child,
            received_on=timezone.localtime(now).date(),
            words=words,
            link=link,
        )
        if checked is not None:
            view.picture_type = checked.content_type
            view.picture.save(
                f"{links.new_code().lower()}.{checked.extension}",
                ContentFile(checked.content),
                save=False,
            )
        save_with_history(view, by=None, reason="Sent through a one-time link")
        link.used_at = now
        link.save(update_fields=["used_at"])
        return view
