"""Cancelling a one-time link that has not been used (a parent says the email went to the wrong
address; a letter was lost). A cancelled link is kept, with who cancelled it and when, and its
page says it is no longer valid. Sending a new one in its place is the purpose's own service
(feedback.resend_link, child_views.resend_link), which cancels the old link through here in
the same transaction. Only a link that still works can be cancelled: one already used keeps
its answers, one expired already does not work."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conferences.services.mailing import locked_conference

from .. import links
from ..models import OneTimeLink


def lock_for_change(link: OneTimeLink, *, now: datetime) -> OneTimeLink:
    """The link, locked against a parent answering at the same moment; a ValidationError
    saying why when it can no longer be cancelled. Call inside a transaction."""
    locked = (
        OneTimeLink.objects.select_for_update(of=("self",))
        .select_related("conference", "invitee", "child")
        .get(pk=link.pk)
    )
    refusal = links.change_refusal(locked, now)
    if refusal:
        raise ValidationError(refusal)
    return locked


def mark_cancelled(link: OneTimeLink, *, by, now: datetime) -> None:
    """Record the cancelling of a link locked by lock_for_change."""
    link.cancelled_at, link.cancelled_by = now, by
    link.save(update_fields=["cancelled_at", "cancelled_by"])


def cancel(*, link: OneTimeLink, by, now: datetime | None = None) -> OneTimeLink:
    """Cancel an unused, unexpired link: from now on it answers "no longer valid"."""
    now = now or timezone.now()
    with transaction.atomic():
        # The conference first, as sending does: sending, resending and cancelling take turns.
        locked_conference(link.conference)
        locked = lock_for_change(link, now=now)
        mark_cancelled(locked, by=by, now=now)
        return locked
