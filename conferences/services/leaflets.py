"""Information leaflets (§8.4): the Senior IRO uploads a PDF for parents and carers and one for
children of each age range; invitations carry the one that fits the invitee.

A file is checked by its content, never its name or the type the browser gave: it must start
with %PDF- and be no larger than IRO_UPLOAD_MAX_MB (the limits of quality_assurance/uploads.py).
A refused upload changes nothing. An accepted one replaces the leaflet in use for the same
readers, which is kept, file and all, with its history.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from iro_service.dates import age_on
from iro_service.records import save_with_history
from people.models import User
from quality_assurance.uploads import read_within_limit

from ..letters import INVITATION
from ..models import Attendance, Invitee, Leaflet

Audience = Leaflet.Audience
NOT_A_PDF = "The file must be a PDF. This file is not one, whatever its name says."
PDF_MIME = "application/pdf"


def _refuse(message: str):
    raise ValidationError({"file": [message]})


def checked_pdf(upload) -> bytes:
    """The upload's bytes, or a ValidationError on "file"."""
    if upload is None:
        _refuse("Choose the leaflet to upload")
    data = read_within_limit(upload, _refuse)
    if not data:
        _refuse("The chosen file is empty")
    if not data.startswith(b"%PDF-"):
        _refuse(NOT_A_PDF)
    return data


@transaction.atomic
def leaflet_upload(*, audience: str, upload, by: User, now: datetime) -> Leaflet:
    """Keep an uploaded leaflet as the one in use for its readers; the one it replaces is kept,
    marked replaced."""
    if audience not in Audience.values:
        raise ValidationError({"audience": ["Choose who the leaflet is for"]})
    data = checked_pdf(upload)
    for current in Leaflet.objects.select_for_update().filter(
        audience=audience, replaced_at__isnull=True
    ):
        current.replaced_at = now
        save_with_history(current, by=by, reason="Replaced by a newer leaflet", clean=False)
    leaflet = Leaflet(
        audience=audience,
        original_name=(upload.name or "leaflet.pdf")[-200:],
        size=len(data),
        uploaded_at=now,
        uploaded_by=by,
    )
    leaflet.file.save("leaflet.pdf", ContentFile(data), save=False)
    save_with_history(leaflet, by=by, reason="Leaflet uploaded", clean=False)
    return leaflet


def leaflets_in_use() -> dict[str, Leaflet]:
    return {
        leaflet.audience: leaflet
        for leaflet in Leaflet.objects.filter(replaced_at__isnull=True).select_related(
            "uploaded_by"
        )
    }


def child_audience(age: int | None) -> str | None:
    """The children's leaflet for an age in years: under 8, 8 to 12, 13 and over. None for an
    unborn child (no date of birth)."""
    if age is None:
        return None
    if age < 8:
        return Audience.CHILD_UNDER_8
    if age <= 12:
        return Audience.CHILD_8_TO_12
    return Audience.CHILD_13_AND_OVER


def audience_of(invitee: Invitee, *, on: date) -> str | None:
    """Which leaflet an invitee is sent: the child the conference is about gets the one for
    their age on the conference's date; a parent or carer (family) the parents' one."""
    if invitee.child_id is not None:
        return child_audience(age_on(invitee.child.date_of_birth, on))
    if invitee.agency == Attendance.Agency.FAMILY:
        return Audience.PARENTS
    return None


def leaflet_for(invitee: Invitee, *, on: date, in_use: dict[str, Leaflet]) -> Leaflet | None:
    """The leaflet in use that an invitee is sent with an invitation to a conference on `on`."""
    audience = audience_of(invitee, on=on)
    return in_use.get(audience) if audience else None


def enclosures(letters_) -> list[tuple[Leaflet, int]]:
    """The leaflets to put in the envelopes with these letters, and how many of each: one with
    every invitation and every letter of a new date, none with a cancellation."""
    in_use = leaflets_in_use()
    counts: dict[int, list] = {}
    for letter in letters_:
        leaflet = letter_leaflet(letter, in_use)
        if leaflet is not None:
            counts.setdefault(leaflet.pk, [leaflet, 0])[1] += 1
    return [(leaflet, count) for leaflet, count in counts.values()]


def letter_leaflet(letter, in_use: dict[str, Leaflet]) -> Leaflet | None:
    """The leaflet a letter encloses (conferences.letters.Letter): the invitee's, for the
    conference it invites them to."""
    invites_to = letter.new or (letter.conference if letter.kind == INVITATION else None)
    if invites_to is None:
        return None
    return leaflet_for(letter.invitee, on=invites_to.date, in_use=in_use)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = PDF_MIME


class LeafletAttachments:
    """The leaflets for one sending of invitations, each file read once however many
    invitees it goes to."""

    def __init__(self):
        self.in_use = leaflets_in_use()
        self._read: dict[str, bytes] = {}

    def for_invitee(self, invitee: Invitee, *, on: date) -> Attachment | None:
        leaflet = leaflet_for(invitee, on=on, in_use=self.in_use)
        if leaflet is None:
            return None
        if leaflet.audience not in self._read:
            with leaflet.file.open("rb") as stored:
                self._read[leaflet.audience] = stored.read()
        return Attachment(leaflet.attachment_name, self._read[leaflet.audience])
