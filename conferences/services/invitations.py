"""Invitees, invitations, letters, and telling invitees of a change (workflows.md,
"Invitations and reports"; issue 9, "Email"). Reports and chasers: reports.py. How sending
and recording go together so that no one is emailed twice: mailing.py.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from children.models import Child, FamilyMember
from iro_service.records import save_with_history
from iro_service.validators import BIDI_MESSAGE, has_bidi_controls
from people.models import User

from .. import ics, letters
from ..models import Attendance, Conference, Invitee, ReportRequest
from .leaflets import LeafletAttachments
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

SOCIAL_WORKER = "Social worker"
TEAM_MANAGER = "Team manager"
INVITEE_FIELDS = (
    "name",
    "agency",
    "role",
    "email",
    "postal_address",
    "child",
    "manager_name",
    "manager_email",
)


def identity(*, email: str, name: str) -> str:
    """Who a person is, for "already invited": their email, else their name."""
    return (
        f"email:{email.strip().casefold()}" if email.strip() else f"name:{name.strip().casefold()}"
    )


def _identities(conference: Conference) -> set[str]:
    return {identity(email=i.email, name=i.name) for i in conference.invitees.all()}


# -- who to invite -------------------------------------------------------------------------


def invitees_suggest(*, conference: Conference) -> list[dict]:
    """The people on the children's records not yet invited: each parent or carer of the
    household, and each child's social worker and team manager, once each (by email, else by
    name). Unsaved: dicts of Invitee fields, with `key` to choose them by, `source` to say
    where they came from and `can_be_reached` (an email or a postal address is recorded)."""
    seen = _identities(conference)
    found = []

    def offer(key: str, source: str, **fields) -> None:
        who = identity(email=fields["email"], name=fields["name"])
        if who in seen or not fields["name"].strip():
            return
        seen.add(who)
        fields.setdefault("child", None)
        fields.setdefault("manager_name", "")
        fields.setdefault("manager_email", "")
        reachable = bool(fields["email"] or fields["postal_address"])
        found.append({"key": key, "source": source, "can_be_reached": reachable, **fields})

    members = FamilyMember.objects.filter(household_id=conference.household_id).select_related(
        "household"
    )
    for member in members.order_by("name", "pk"):
        offer(
            f"family-{member.pk}",
            "Parent or carer" if member.has_parental_responsibility else "Family",
            name=member.name,
            agency=Attendance.Agency.FAMILY,
            role=member.get_relationship_display(),
            email=member.email,
            postal_address=member.address_for_letters,
        )
    for child in conference_children(conference):
        whose = f"{child.first_name} {child.last_name}'s"
        offer(
            f"social-worker-{child.pk}",
            f"{whose} social worker{_team(child)}",
            name=child.social_worker_name,
            agency=Attendance.Agency.SOCIAL_CARE,
            role=SOCIAL_WORKER,
            email=child.social_worker_email,
            postal_address="",
            manager_name=child.team_manager_name,
            manager_email=child.team_manager_email,
        )
        offer(
            f"team-manager-{child.pk}",
            f"{whose} social worker's team manager",
            name=child.team_manager_name,
            agency=Attendance.Agency.SOCIAL_CARE,
            role=TEAM_MANAGER,
            email=child.team_manager_email,
            postal_address="",
        )
    return found


def _team(child: Child) -> str:
    return f" ({child.social_worker_team})" if child.social_worker_team else ""


def _invitee_errors(conference: Conference, fields: dict) -> dict[str, str]:
    errors = {}
    if not fields["name"]:
        errors["name"] = "Enter the person's name"
    elif has_bidi_controls(fields["name"]):
        errors["name"] = BIDI_MESSAGE
    if has_bidi_controls(fields.get("manager_name", "")):
        errors["manager_name"] = BIDI_MESSAGE
    if fields["agency"] not in Attendance.Agency.values:
        errors["agency"] = "Choose the agency they work for, or parent or carer"
    if not fields["role"]:
        errors["role"] = "Enter their role, for example GP, mother or head teacher"
    if not (fields["email"] or fields["postal_address"]):
        errors["email"] = "Enter an email address or a postal address, so they can be invited"
    child = fields["child"]
    if child is not None and not conference.child_outcomes.filter(child=child).exists():
        errors["child"] = "Choose a child this conference is about"
    if not errors and identity(email=fields["email"], name=fields["name"]) in _identities(
        conference
    ):
        errors["email" if fields["email"] else "name"] = (
            f"{fields['name']} is already on this conference's list of invitees"
        )
    return errors


@transaction.atomic
def invitee_add(
    *,
    conference: Conference,
    by: User,
    name: str,
    agency: str,
    role: str,
    email: str = "",
    postal_address: str = "",
    child: Child | None = None,
    manager_name: str = "",
    manager_email: str = "",
) -> Invitee:
    """Add someone to a booked conference's invitees. They are invited when invitations are
    sent (email) or their letter is printed."""
    conference = locked_conference(conference)
    require_booked(conference, doing="no one can be added to it")
    fields = {
        "name": name.strip(),
        "agency": agency,
        "role": role.strip(),
        "email": email.strip(),
        "postal_address": postal_address.strip(),
        "child": child,
        "manager_name": manager_name.strip(),
        "manager_email": manager_email.strip(),
    }
    errors = _invitee_errors(conference, fields)
    if errors:
        raise ValidationError(errors)
    invitee = Invitee(conference=conference, **fields)
    save_with_history(invitee, by=by, reason="Invitee added")
    return invitee


@transaction.atomic
def invitees_add_from_record(
    *, conference: Conference, by: User, keys: Iterable[str]
) -> list[Invitee]:
    """Add the chosen people of invitees_suggest (by their keys)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ValidationError({"keys": "Choose at least one person to invite"})
    offered = {
        suggestion["key"]: suggestion for suggestion in invitees_suggest(conference=conference)
    }
    missing = [key for key in keys if key not in offered]
    if missing:
        raise ValidationError(
            {
                "keys": "Someone chosen is no longer on the children's records, or is already "
                "invited: check the list and choose again"
            }
        )
    unreachable = [offered[key]["name"] for key in keys if not offered[key]["can_be_reached"]]
    if unreachable:
        raise ValidationError(
            {
                "keys": f"{', '.join(unreachable)} has no email or postal address on the record: "
                'add one with "Add an invitee" instead'
            }
        )
    return [
        invitee_add(
            conference=conference, by=by, **{name: offered[key][name] for name in INVITEE_FIELDS}
        )
        for key in keys
    ]


# -- emails ----------------------------------------------------------------------------------


def _invitation_email(
    conference: Conference,
    invitee: Invitee,
    *,
    now: datetime,
    leaflets: LeafletAttachments | None = None,
) -> EmailMessage:
    """The invitation with its calendar file, and the information leaflet that fits the
    invitee (parents and carers, or the child's age range) when one is uploaded (§8.4)."""
    meeting = letters.meeting_context(conference)
    message = email_message(
        to=[invitee.email],
        subject=f"Invitation: child protection conference on {meeting['day']} at {meeting['time']}",
        template="email_invitation.txt",
        context={"invitee": invitee, "meeting": meeting},
    )
    content = ics.calendar(
        conference, method=ics.REQUEST, now=now, attendee=(invitee.name, invitee.email)
    )
    message.attach(ics.attachment(content, method=ics.REQUEST, filename="invitation.ics"))
    leaflet = leaflets.for_invitee(invitee, on=conference.date) if leaflets else None
    if leaflet is not None:
        message.attach(leaflet.filename, leaflet.content, leaflet.mimetype)
    return message


def invitations_pending(conference: Conference):
    return conference.invitees.filter(invited_at__isnull=True).order_by("name", "pk")


@transaction.atomic
def invitations_send(*, conference: Conference, by: User, now: datetime) -> Sent:
    """Email each invitee with an address who is not yet invited, with a calendar file; list
    those without one, whose letters are to be printed. Never emails anyone twice."""
    conference = locked_conference(conference)
    require_booked(conference, now=now, doing="invitations cannot be sent")
    pending = list(invitations_pending(conference).select_for_update())
    result = Sent(letters=[invitee for invitee in pending if not invitee.email])
    to_email = [invitee for invitee in pending if invitee.email]
    if not to_email:
        return result
    leaflets = LeafletAttachments()
    connection = open_connection()
    try:
        for invitee in to_email:
            try:
                with transaction.atomic():
                    invitee.invited_at, invitee.invited_by = now, Invitee.Method.EMAIL
                    save_with_history(invitee, by=by, reason="Invitation emailed")
                    message = _invitation_email(conference, invitee, now=now, leaflets=leaflets)
                    send(message, connection)
            except SEND_ERRORS as error:
                logger.warning(
                    "Invitation to invitee %s not sent: %s", invitee.pk, error_kind(error)
                )
                invitee.invited_at, invitee.invited_by = None, ""
                result.failed.append(invitee)
            else:
                result.emailed.append(invitee)
    finally:
        connection.close()
    return result


# -- letters ---------------------------------------------------------------------------------


def _by_identity(conference: Conference | None) -> dict[str, Invitee]:
    """A booking's invitees by who they are, to find the same person on another booking."""
    if conference is None:
        return {}
    return {identity(email=i.email, name=i.name): i for i in conference.invitees.all()}


def _counterpart(invitee: Invitee, others: dict[str, Invitee]) -> Invitee | None:
    return others.get(identity(email=invitee.email, name=invitee.name))


# The bookings whose invitees are told: called off, moved, or adjourned and reconvened.
CHANGED = {Conference.Status.REARRANGED, Conference.Status.CANCELLED, Conference.Status.ADJOURNED}


def replacement(conference: Conference) -> Conference | None:
    """The booking that replaced this one, if it was rearranged (or adjourned and reconvened)."""
    return Conference.objects.filter(rearranged_from=conference).first()


def is_changed(conference: Conference, new: Conference | None) -> bool:
    """Whether its invitees are to be told: it is cancelled, or replaced by `new`."""
    if conference.status == Conference.Status.CANCELLED:
        return True
    return conference.status in CHANGED and new is not None


def letters_pending(conference: Conference) -> list[tuple[letters.Letter, list[Invitee]]]:
    """Letters to print for a booking, each with the invitee records it marks: invitations to
    a booked conference (a rearranged-letter for someone told of the old booking by post),
    and for a cancelled or rearranged booking, the letters telling its invitees so."""
    found = []
    if conference.status == Conference.Status.BOOKED:
        old = conference.rearranged_from
        before_change = _by_identity(old)
        for invitee in invitations_pending(conference).filter(email=""):
            before = _counterpart(invitee, before_change)
            if before is not None and before.invited_at and not before.told_of_change_at:
                letter = letters.Letter(invitee, letters.REARRANGED, old, new=conference)
                found.append((letter, [before, invitee]))
            else:
                found.append((letters.Letter(invitee, letters.INVITATION, conference), [invitee]))
        return found
    new = replacement(conference)
    if not is_changed(conference, new):
        return found  # held, or adjourned and not yet reconvened: nothing to tell
    untold = conference.invitees.filter(
        email="", invited_at__isnull=False, told_of_change_at__isnull=True
    )
    after_change = _by_identity(new)
    for invitee in untold.order_by("name", "pk"):
        if new is None:
            found.append((letters.Letter(invitee, letters.CANCELLED, conference), [invitee]))
        else:
            after = _counterpart(invitee, after_change)
            letter = letters.Letter(invitee, letters.REARRANGED, conference, new=new)
            found.append((letter, [invitee] + ([after] if after and not after.invited_at else [])))
    return found


def _mark_lettered(invitee: Invitee, *, by: User, now: datetime) -> None:
    if invitee.invited_at is None:
        invitee.invited_at, invitee.invited_by = now, Invitee.Method.LETTER
        save_with_history(invitee, by=by, reason="Invitation letter printed")
    else:
        invitee.told_of_change_at = now
        save_with_history(invitee, by=by, reason="Letter about the change printed")


@transaction.atomic
def letters_print(*, conference: Conference, by: User, now: datetime) -> bytes:
    """The PDF of the letters still to print (one page each), recording each person as
    invited (or told of the change) by letter. Nothing is recorded if the PDF fails."""
    conference = locked_conference(conference)
    if conference.status == Conference.Status.BOOKED:
        require_booked(conference, now=now, doing="invitation letters cannot be printed")
    pending = letters_pending(conference)
    if not pending:
        raise ValidationError("There are no letters to print: everyone has had theirs.")
    for _letter, records in pending:
        for record in records:
            _mark_lettered(record, by=by, now=now)
    return letters.letters_pdf(
        [letter for letter, _records in pending], today=timezone.localdate(now)
    )


def letters_reprint(*, conference: Conference) -> bytes:
    """The invitation letters already printed for a booked conference, again: nothing is
    recorded (for a lost or jammed print)."""
    printed = conference.invitees.filter(invited_by=Invitee.Method.LETTER).order_by("name", "pk")
    if not printed:
        raise ValidationError("No invitation letters have been printed for this conference.")
    return letters.letters_pdf(
        [letters.Letter(invitee, letters.INVITATION, conference) for invitee in printed]
    )


# -- telling invitees of a change ------------------------------------------------------------


def _copy_invitees(*, old: Conference, new: Conference, by: User) -> None:
    """Put the old booking's invitees, and the reports asked of them, on the new booking."""
    there = _by_identity(new)
    copies = {}
    for invitee in old.invitees.order_by("pk"):
        who = identity(email=invitee.email, name=invitee.name)
        if who not in there:
            copy = Invitee(
                conference=new, **{name: getattr(invitee, name) for name in INVITEE_FIELDS}
            )
            save_with_history(copy, by=by, reason="Invitee of the rearranged booking")
            there[who] = copy
        copies[invitee.pk] = there[who]
    asked = set(new.report_requests.values_list("author_id", flat=True))
    for report in old.report_requests.order_by("pk"):
        author = copies[report.author_id]
        if author.pk not in asked:
            moved = ReportRequest(
                conference=new,
                author=author,
                requested_at=report.requested_at,
                received_at=report.received_at,
                shared_with_parents_at=report.shared_with_parents_at,
            )
            save_with_history(moved, by=by, reason="Report request of the rearranged booking")


def _change_email(
    invitee: Invitee,
    *,
    old: Conference,
    new: Conference | None,
    now: datetime,
    leaflets: LeafletAttachments | None = None,
) -> EmailMessage:
    meeting = letters.meeting_context(old)
    cancel = ics.calendar(
        old,
        method=ics.CANCEL,
        now=now,
        attendee=(invitee.name, invitee.email),
        sequence=ics.FIRST_SEQUENCE + 1,
    )
    if new is None:
        message = email_message(
            to=[invitee.email],
            subject=f"Cancelled: child protection conference on {meeting['day']}",
            template="email_cancelled.txt",
            context={"invitee": invitee, "meeting": meeting},
        )
    else:
        new_meeting = letters.meeting_context(new)
        message = email_message(
            to=[invitee.email],
            subject=f"Rearranged: child protection conference now on {new_meeting['day']} at "
            f"{new_meeting['time']}",
            template="email_rearranged.txt",
            context={"invitee": invitee, "meeting": meeting, "new_meeting": new_meeting},
        )
        request = ics.calendar(
            new, method=ics.REQUEST, now=now, attendee=(invitee.name, invitee.email)
        )
        message.attach(ics.attachment(request, method=ics.REQUEST, filename="invitation.ics"))
        # Invited to the new date: with the leaflet an invitation carries (§8.4).
        leaflet = leaflets.for_invitee(invitee, on=new.date) if leaflets else None
        if leaflet is not None:
            message.attach(leaflet.filename, leaflet.content, leaflet.mimetype)
    message.attach(ics.attachment(cancel, method=ics.CANCEL, filename="cancelled.ics"))
    return message


@transaction.atomic
def invitees_tell_of_change(
    *, old: Conference, new: Conference | None = None, by: User, now: datetime
) -> Sent:
    """Tell everyone invited to `old` that it is cancelled (`new` None) or rearranged as `new`:
    by email, with a calendar file cancelling the old entry (and the new invitation), or by a
    letter to print. For a rearrangement the invitees (and the reports asked of them) are
    copied to the new booking, each marked invited there when told. Safe to call again: those
    already told are not told twice."""
    old = locked_conference(old)
    if not is_changed(old, new):
        raise ValidationError(
            "Invitees are told of a change only once the booking is cancelled, or rearranged "
            "with a new booking."
        )
    if new is not None:
        new = locked_conference(new)
        _copy_invitees(old=old, new=new, by=by)
    untold = old.invitees.select_for_update().filter(
        invited_at__isnull=False, told_of_change_at__isnull=True
    )
    untold = list(untold.order_by("name", "pk"))
    result = Sent(letters=[invitee for invitee in untold if not invitee.email])
    to_email = [invitee for invitee in untold if invitee.email]
    if not to_email:
        return result
    copies = _by_identity(new)
    attachments = LeafletAttachments() if new is not None else None
    connection = get_connection()
    try:
        for invitee in to_email:
            after = _counterpart(invitee, copies)
            if _tell(
                invitee,
                after,
                old=old,
                new=new,
                by=by,
                now=now,
                connection=connection,
                leaflets=attachments,
            ):
                result.emailed.append(invitee)
            else:
                result.failed.append(invitee)
    finally:
        connection.close()
    return result


def _tell(invitee, after, *, old, new, by, now, connection, leaflets=None) -> bool:
    """Email one person of the change, and mark them told (and invited to the new booking,
    `after` being them there), or, if the email fails, nothing."""
    try:
        with transaction.atomic():
            invitee.told_of_change_at = now
            save_with_history(invitee, by=by, reason="Told of the change by email")
            if after is not None and after.invited_at is None:
                after.invited_at, after.invited_by = now, Invitee.Method.EMAIL
                save_with_history(after, by=by, reason="Invited to the rearranged booking by email")
            send(_change_email(invitee, old=old, new=new, now=now, leaflets=leaflets), connection)
    except SEND_ERRORS as error:
        logger.warning("Invitee %s not told of the change: %s", invitee.pk, error_kind(error))
        invitee.told_of_change_at = None
        if after is not None:
            after.refresh_from_db(fields=["invited_at", "invited_by"])
        return False
    return True
