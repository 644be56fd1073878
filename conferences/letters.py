"""Printed letters for invitees without an email address: one A4 page each, in the project's
own font (annual_report/fonts.py; WeasyPrint fetches nothing else, annual_report/pdf.py).

Letters go by post, so unlike emails they name the children the conference is about.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from annual_report.pdf import render_pdf

from . import ics
from .models import Conference, Invitee

INVITATION = "invitation"
CANCELLED = "cancelled"
REARRANGED = "rearranged"


@dataclass(frozen=True)
class Letter:
    invitee: Invitee
    kind: str  # INVITATION, CANCELLED or REARRANGED
    conference: Conference  # the booking the letter is about (for REARRANGED: the old one)
    new: Conference | None = None  # for REARRANGED: the new booking


def format_day(moment: datetime) -> str:
    """ "Wednesday 10 January 2024", in London time (GOV.UK style)."""
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def format_time(moment: datetime) -> str:
    """ "10am", "2:30pm", "midday" (GOV.UK style), in London time."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def meeting_context(conference: Conference) -> dict:
    """What every letter and email says about when and where (no child's name)."""
    return {
        "conference": conference,
        "reference": ics.reference(conference),
        "day": format_day(conference.scheduled_for),
        "time": format_time(conference.scheduled_for),
        "end_time": format_time(ics.ends_at(conference)),
        "place": ics.location(conference) if conference.venue_id else "",
        "online_link": conference.meeting_link if conference.is_virtual else "",
        "reports_due_by": conference.reports_due_by,
        "business_support": settings.DEFAULT_FROM_EMAIL,
        "authority": settings.IRO_AUTHORITY_NAME,
    }


def _children(conference: Conference) -> str:
    considered = conference.child_outcomes.select_related("child").order_by(
        "child__first_name", "child__last_name"
    )
    names = [f"{row.child.first_name} {row.child.last_name}" for row in considered]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def letters_pdf(letters: Sequence[Letter], *, today: datetime | None = None) -> bytes:
    """One page per letter, in the order given."""
    from .services.leaflets import leaflets_in_use, letter_leaflet

    today = today or timezone.localdate()
    children = {}
    pages = []
    in_use = leaflets_in_use()
    for letter in letters:
        enclosed = letter_leaflet(letter, in_use)
        if letter.conference.pk not in children:
            children[letter.conference.pk] = _children(letter.conference)
        pages.append(
            {
                "letter": letter,
                "invitee": letter.invitee,
                "address_lines": [
                    line.strip() for line in letter.invitee.postal_address.splitlines() if line
                ],
                "children": children[letter.conference.pk],
                "meeting": meeting_context(letter.conference),
                "new_meeting": meeting_context(letter.new) if letter.new else None,
                "enclosed": enclosed.get_audience_display().lower() if enclosed else "",
            }
        )
    html = render_to_string(
        "conferences/invitations/letters_pdf.html",
        {
            "pages": pages,
            "today": today,
            "authority": settings.IRO_AUTHORITY_NAME,
            "authority_address": settings.IRO_AUTHORITY_ADDRESS,
            "business_support": settings.DEFAULT_FROM_EMAIL,
        },
    )
    return render_pdf(html).content
