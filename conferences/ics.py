"""Calendar files (RFC 5545) for conference invitations, built with `icalendar`.

One booking is one calendar entry: its UID (`conference-<pk>@<domain of DEFAULT_FROM_EMAIL>`)
never changes, so a later CANCEL with a higher SEQUENCE removes the very entry the invitation
made. A rearranged conference is a new booking (workflows.md, "Booking": the old one is kept),
so it gets a new entry, and the old one is cancelled.

Email is not a secure channel: the entry names no child, only "Child protection conference"
and the conference's reference.
"""

from datetime import datetime, timedelta
from email.mime.text import MIMEText
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from .models import Conference

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Safeguarding IRO service//Conference invitations//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
# The first invitation is sequence 0; telling of a cancellation bumps it.
FIRST_SEQUENCE = 0


def reference(conference: Conference) -> str:
    """What people quote when they write about the conference (no child's name in it)."""
    return f"CPC-{conference.pk:06d}"


def summary(conference: Conference) -> str:
    return f"Child protection conference ({reference(conference)})"


def uid(conference: Conference) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"conference-{conference.pk}@{domain}"


def ends_at(conference: Conference) -> datetime:
    if conference.ends_at:
        return conference.ends_at
    minutes = settings.IRO_TIMESCALES["MEETING_LENGTH_MINUTES"]
    return conference.scheduled_for + timedelta(minutes=minutes)


def location(conference: Conference) -> str:
    """The venue's name and address on one line, else the link to join online."""
    if conference.venue_id:
        venue = conference.venue
        lines = [venue.name, *(line.strip() for line in venue.address.splitlines())]
        return ", ".join(line for line in lines if line)
    return conference.meeting_link or "Online"


def _london_timezone() -> icalendar.Timezone:
    """Europe/London as Outlook and Google write it: the two yearly rules, not a list of dates."""
    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/London")
    for kind, name, start, before, after, month in (
        (icalendar.TimezoneDaylight, "BST", datetime(1970, 3, 29, 1), "+0000", "+0100", 3),  # noqa: DTZ001
        (icalendar.TimezoneStandard, "GMT", datetime(1970, 10, 25, 2), "+0100", "+0000", 10),  # noqa: DTZ001
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", icalendar.vUTCOffset.from_ical(before))
        part.add("tzoffsetto", icalendar.vUTCOffset.from_ical(after))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def _description(conference: Conference) -> str:
    lines = [
        f"Reference: {reference(conference)}.",
        "A child protection conference: the family and the professionals who work with the "
        "children meet to share what they know and agree how to keep the children safe.",
    ]
    if conference.is_virtual and conference.meeting_link:
        lines.append(f"Join online: {conference.meeting_link}")
    lines.append(
        f"Questions, apologies and reports to business support: {settings.DEFAULT_FROM_EMAIL}"
    )
    return "\n".join(lines)


def calendar(
    conference: Conference,
    *,
    method: str,
    now: datetime,
    attendee: tuple[str, str] | None = None,
    sequence: int = FIRST_SEQUENCE,
) -> bytes:
    """The .ics for one recipient: METHOD:REQUEST for an invitation, METHOD:CANCEL (with the
    same UID and a higher sequence) when the booking is called off or moved. `attendee` is
    the recipient's (name, email): the entry names nobody else."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_london_timezone())
    event = icalendar.Event()
    event.add("uid", uid(conference))
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", conference.scheduled_for.astimezone(LONDON))
    event.add("dtend", ends_at(conference).astimezone(LONDON))
    event.add("summary", summary(conference))
    event.add("location", location(conference))
    event.add("description", _description(conference))
    if conference.is_virtual and conference.meeting_link:
        event.add("url", conference.meeting_link)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = f"Business support, {settings.IRO_AUTHORITY_NAME}"
    event.add("organizer", organizer)
    if attendee is not None:
        name, email = attendee
        address = icalendar.vCalAddress(f"mailto:{email}")
        address.params.update(
            {"cn": name, "role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "FALSE"}
        )
        event.add("attendee", address)
    cal.add_component(event)
    return cal.to_ical()


def attachment(content: bytes, *, method: str, filename: str) -> MIMEText:
    """The .ics as a MIME part whose Content-Type carries the method, as calendar clients
    expect of an invitation (text/calendar; method=REQUEST)."""
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
