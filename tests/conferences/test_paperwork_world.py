"""A held conference for the paperwork tests (no tests here: the other test_paperwork files
import its fixtures). The personas' north household: Robin Ashdown, for whom a plan starts
under neglect, and Sky Ashdown, for whom no plan is needed (the police disagree), at an
initial conference held on Monday 1 March 2027 at 10am and chaired by the IRO persona. The
clock is NOW, that afternoon; the decision sheet is due by Tuesday 2 March, the minutes by
Monday 22 March (15 working days)."""

import datetime as dt
import subprocess
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings

from conferences import rules
from conferences.models import (
    Attendance,
    Conference,
    ConferenceChild,
    Dissent,
    Venue,
)
from people.models import Role
from plans.models import PlanTarget

from ..factories import ConferenceFactory, InviteeFactory, PlanFactory, UserFactory, VenueFactory

LONDON = ZoneInfo("Europe/London")
HELD_AT = dt.datetime(2027, 3, 1, 10, 0, tzinfo=LONDON)
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=LONDON)
SHEET_DUE = dt.date(2027, 3, 2)
MINUTES_DUE = dt.date(2027, 3, 22)
VENUE = "Northbridge Children's Centre"


@dataclass
class Held:
    conference: Conference
    chair: object
    other_iro: object
    taker: object
    robin: ConferenceChild
    sky: ConferenceChild
    by_email: list
    by_letter: list


def hold(world, *, chair, taker, starts=HELD_AT, household=None, **fields) -> Conference:
    """A conference already held (as the holding service leaves it), with its due dates."""
    sheet_due, minutes_due = rules.paperwork_due(
        held_on=starts.date(), timescales=settings.IRO_TIMESCALES
    )
    venue = Venue.objects.filter(name=VENUE).first() or VenueFactory(
        name=VENUE, district=world.north, address="1 Mill Lane\nNorthbridge\nNB1 2AB"
    )
    values = {
        "household": household or world.child.household,
        "kind": Conference.Kind.INITIAL,
        "status": Conference.Status.HELD,
        "scheduled_for": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "venue": venue,
        "chair": chair,
        "minute_taker": taker,
        "quorate": True,
        "decision_sheet_due_by": sheet_due,
        "minutes_due_by": minutes_due,
        "held_recorded_at": starts + dt.timedelta(hours=2),
        "held_recorded_by": chair,
        **fields,
    }
    return ConferenceFactory(**values)


def held_world(world) -> Held:
    chair = world.users[Role.IRO]
    other_iro = UserFactory(username="other_iro", role=Role.IRO, first_name="Morgan")
    taker = UserFactory(username="taker", role=Role.IRO, first_name="Taylor", last_name="Notes")
    conference = hold(world, chair=chair, taker=taker)
    robin = ConferenceChild.objects.create(
        conference=conference,
        child=world.child,
        outcome=ConferenceChild.Outcome.PLAN_STARTED,
        category="NEG",
        decision_note="Robin has been left alone at home at night several times.",
        next_review_due_by=dt.date(2027, 6, 1),
        first_core_group_due_by=dt.date(2027, 3, 15),
    )
    sky = ConferenceChild.objects.create(
        conference=conference,
        child=world.sibling,
        outcome=ConferenceChild.Outcome.NO_PLAN,
        decision_note="Sky is cared for by the grandparents during the week.",
    )
    Dissent.objects.create(
        decision=sky, agency="police", name="PC Dana Hale", reason="Worried about the father."
    )
    plan = PlanFactory(
        child=world.child,
        start_date=HELD_AT.date(),
        initial_category="NEG",
        initial_conference=conference,
    )
    PlanTarget.objects.create(
        plan=plan,
        description="Robin is never left alone at home overnight",
        due_by=dt.date(2027, 4, 1),
        who="Jo Ashdown, with the social worker",
        set_at=conference,
    )
    social_worker = InviteeFactory(
        conference=conference,
        name="Sam Okafor",
        agency="social_care",
        role="Social worker",
        email="sam.okafor@council.example",
    )
    police = InviteeFactory(
        conference=conference,
        name="PC Dana Hale",
        agency="police",
        role="Police officer",
        email="dana.hale@police.example",
    )
    gp = InviteeFactory(
        conference=conference, name="Dr Ada Pryce", agency="gp", role="GP", email="ada@gp.example"
    )
    father = InviteeFactory(
        conference=conference,
        name="Lee Ashdown",
        agency="family",
        role="Father",
        email="",
        postal_address="12 Canal Street\nNorthbridge\nNB3 4CD",
    )
    for invitee, status in (
        (social_worker, Attendance.Status.ATTENDED),
        (police, Attendance.Status.REMOTE),
        (gp, Attendance.Status.APOLOGIES),
        (father, Attendance.Status.ATTENDED),
    ):
        Attendance.objects.create(
            conference=conference,
            invitee=invitee,
            name=invitee.name,
            agency=invitee.agency,
            role=invitee.role,
            status=status,
        )
    Attendance.objects.create(
        conference=conference,
        name="Kim Lowe",
        agency="school",
        role="Head teacher",
        status=Attendance.Status.ATTENDED,
    )
    return Held(
        conference=conference,
        chair=chair,
        other_iro=other_iro,
        taker=taker,
        robin=robin,
        sky=sky,
        by_email=[gp, police, social_worker],
        by_letter=[father],
    )


def at_now():
    """The clock at NOW (each test file's `clock` fixture)."""
    return time_machine.travel(NOW, tick=False)


def held_in(world, *, settings, tmp_path) -> Held:
    """The held conference (each test file's `held` fixture), its uploads kept under tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return held_world(world)


def refresh(conference: Conference) -> Conference:
    return Conference.objects.get(pk=conference.pk)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def docx_bytes() -> bytes:
    """The smallest file Word would open: a zip with its content types and the document."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
