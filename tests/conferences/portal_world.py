"""The document portal's world: the booked review of invitation_world.py (Wednesday 17 March
2027, 10am; reports due by 10 March; the social worker's report to reach the family by 15
March, 10am), with the social worker, a police officer and a health visitor asked for reports
and the mother (email) and father (post) invited."""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from conferences.models import Attendance, Conference, Invitee, ReportRequest
from conferences.services import reports

from ..factories import InviteeFactory
from .invitation_world import LONDON, NOW, STARTS, booked_world

__all__ = ["LONDON", "NOW", "STARTS"]

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ANSWERS = {
    "what_we_know": "We have known the family since 2025 through the health visiting service.",
    "worries": "Missed health appointments for the younger child.",
    "working_well": "The mother engages with home visits.",
    "recommendation": "The plan should continue with a focus on health appointments.",
}


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class Portal:
    conference: Conference
    business_support: object
    social_worker: Invitee
    police: Invitee
    health: Invitee
    mother: Invitee
    father: Invitee
    links: dict  # invitee pk -> the upload URL emailed to them

    def report(self, invitee: Invitee) -> ReportRequest:
        return ReportRequest.objects.get(conference=self.conference, author=invitee)

    def token(self, invitee: Invitee) -> str:
        return self.links[invitee.pk].rstrip("/").rsplit("/", 1)[-1]


LINK = re.compile(r"https?://\S+/documents/(?:report|family)/[\w-]+/")


def links_in(messages) -> dict:
    """Each recipient's address -> the portal link in their email."""
    found = {}
    for message in messages:
        match = LINK.search(message.body)
        if match:
            found[message.to[0]] = match.group(0)
    return found


PEOPLE = {
    "social_worker": dict(
        name="Sam Okafor",
        agency=Attendance.Agency.SOCIAL_CARE,
        role="Social worker",
        email="sam.okafor@council.example",
    ),
    "police": dict(
        name="PC Dawn Hale",
        agency=Attendance.Agency.POLICE,
        role="Police officer",
        email="dawn.hale@police.example",
    ),
    "health": dict(
        name="Mo Reyes",
        agency=Attendance.Agency.HEALTH_VISITOR,
        role="Health visitor",
        email="mo.reyes@nhs.example",
    ),
    "mother": dict(
        name="Jo Ashdown", agency=Attendance.Agency.FAMILY, role="Mother", email="jo@family.example"
    ),
    "father": dict(
        name="Lee Ashdown",
        agency=Attendance.Agency.FAMILY,
        role="Father",
        email="",
        postal_address="12 Canal Street\nNorthbridge\nNB3 4CD",
    ),
}


def invite(conference) -> dict:
    """The three agencies' authors and the two parents, invited to the conference."""
    return {key: InviteeFactory(conference=conference, **fields) for key, fields in PEOPLE.items()}


def portal_world(world) -> Portal:
    booked = booked_world(world)
    conference = booked.conference
    people = invite(conference)
    social_worker, police, health = people["social_worker"], people["police"], people["health"]
    mother, father = people["mother"], people["father"]
    before = len(mail.outbox)
    reports.reports_request(
        conference=conference,
        by=booked.business_support,
        authors=[social_worker, police, health],
        now=NOW,
    )
    by_address = links_in(mail.outbox[before:])
    links = {person.pk: by_address[person.email] for person in (social_worker, police, health)}
    return Portal(
        conference, booked.business_support, social_worker, police, health, mother, father, links
    )


def day(days: float) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


def pdf_text(content: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it (layout-free, one string)."""
    import subprocess

    return subprocess.run(  # noqa: S603
        ["pdftotext", "-", "-"],  # noqa: S607 - poppler, as tests/annual_report/pdf_tools.py
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()


def private_reports(settings, tmp_path, monkeypatch):
    """Reports go to a temporary private folder (the field's storage is built at start-up)."""
    from django.core.files.storage import FileSystemStorage

    from conferences.models import ReportDocument

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)
    monkeypatch.setattr(ReportDocument._meta.get_field("file"), "storage", storage)
    return settings.PRIVATE_MEDIA_ROOT
