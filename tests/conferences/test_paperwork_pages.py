"""The decision sheet and minutes pages, for each role: every role that works with conferences
reads; the chair or the Senior IRO signs off; the minute taker, business support, the chair
or the Senior IRO write the minutes; business support and the Senior IRO send; the other
district's manager finds nothing there."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conferences.models import Conference, ConferenceChild, MinutesUpload
from conferences.services import paperwork
from people.models import Role

from ..fixtures import client_for
from .test_paperwork_world import (
    EXE_BYTES,
    NOW,
    PDF_BYTES,
    docx_bytes,
    pdf_text,
    refresh,
)

pytestmark = pytest.mark.django_db


READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
SENDERS = [Role.BUSINESS_SUPPORT, Role.SENIOR_IRO]
NOT_SENDERS = [Role.IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]
NOT_SIGNERS = [
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
    "other_iro",
]
NOT_DRAFTERS = [Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR, "other_iro"]


def url(name: str, held, *args) -> str:
    return reverse(f"conferences:{name}", args=[held.conference.pk, *args])


def as_user(world, held, who):
    if who == "other_iro":
        return client_for(held.other_iro)
    if who == "taker":
        return client_for(held.taker)
    return client_for(world.users[who])


def signed_off(held):
    paperwork.decision_sheet_sign_off(conference=held.conference, by=held.chair, now=NOW)


def minutes_signed_off(held):
    paperwork.minutes_write(conference=held.conference, by=held.taker, text="Minutes.", now=NOW)
    paperwork.minutes_sign_off(conference=held.conference, by=held.chair, now=NOW)


def text_of(response) -> str:
    return response.content.decode()


# -- the decision sheet --------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_decision_sheet_and_its_pdf(held, world, role):
    client = as_user(world, held, role)
    page = client.get(url("decision_sheet", held))
    assert page.status_code == 200
    text = text_of(page)
    assert "Draft decision sheet" in text and "Robin Ashdown" in text
    assert "A child protection plan is needed" in text and "Worried about the father." in text
    assert "Dr Ada Pryce (GP, GP): sent apologies" in text
    assert ("Sign off</button>" in text) == (role in (Role.SENIOR_IRO, Role.IRO))  # IRO: chair
    pdf = client.get(url("decision_sheet_pdf", held))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "draft-decision-sheet-CPC-" in pdf["Content-Disposition"]


def test_the_other_districts_manager_finds_no_paperwork(held, world):
    client = as_user(world, held, "other_district_manager")
    for name in (
        "decision_sheet",
        "decision_sheet_pdf",
        "decision_sheet_send",
        "decision_sheet_letters",
        "minutes",
        "minutes_pdf",
        "minutes_send",
        "minutes_letters",
    ):
        assert client.get(url(name, held)).status_code == 404, name
    for name in ("decision_sheet_sign_off", "minutes_sign_off", "minutes", "minutes_upload"):
        assert client.post(url(name, held), {"minutes-text": "x"}).status_code == 404, name
    assert refresh(held.conference).minutes_text == ""


def test_a_conference_not_held_has_no_decision_sheet_yet(held, world):
    Conference.objects.filter(pk=held.conference.pk).update(status=Conference.Status.BOOKED)
    client = as_user(world, held, Role.IRO)
    page = text_of(client.get(url("decision_sheet", held)))
    assert "made when the conference is held" in page and "Sign off</button>" not in page
    assert client.get(url("decision_sheet_pdf", held)).status_code == 404
    refused = client.post(url("decision_sheet_sign_off", held))
    assert refused.status_code == 200 and "There is a problem" in text_of(refused)
    assert "booked, not held" in text_of(refused)
    assert refresh(held.conference).decision_sheet_signed_off_at is None


@pytest.mark.parametrize("who", [Role.IRO, Role.SENIOR_IRO])
def test_the_chair_or_the_senior_iro_signs_off(held, world, who):
    client = as_user(world, held, who)
    response = client.post(url("decision_sheet_sign_off", held), follow=True)
    assert "The decision sheet is signed off" in text_of(response)
    conference = refresh(held.conference)
    assert conference.decision_sheet_signed_off_by == world.users[who]
    page = text_of(client.get(url("decision_sheet", held)))
    assert "Draft decision sheet" not in page and "Sign off</button>" not in page
    assert ("Send to the invitees" in page) == (who == Role.SENIOR_IRO)


@pytest.mark.parametrize("who", NOT_SIGNERS)
def test_anyone_else_is_refused_the_sign_off(held, world, who):
    response = as_user(world, held, who).post(url("decision_sheet_sign_off", held))
    assert response.status_code == 403
    assert refresh(held.conference).decision_sheet_signed_off_at is None


def test_signing_off_with_a_child_undecided_says_which(held, world):
    ConferenceChild.objects.filter(pk=held.sky.pk).update(outcome="pending")
    response = as_user(world, held, Role.IRO).post(url("decision_sheet_sign_off", held))
    assert "Record the decision for Sky Ashdown" in text_of(response)
    assert text_of(response).split("</title>")[0].count("Error:") == 1


def test_business_support_checks_who_gets_it_then_sends_it_and_prints_the_letters(
    held, world, tmp_path
):
    signed_off(held)
    client = as_user(world, held, Role.BUSINESS_SUPPORT)
    page = text_of(client.get(url("decision_sheet", held)))
    assert "Send to the invitees" in page
    check = text_of(client.get(url("decision_sheet_send", held)))
    assert "Check who gets the decision sheet" in check
    assert "dana.hale@police.example" in check and "sam.okafor@council.example" in check
    assert "By letter" in check and "Lee Ashdown" in check and "12 Canal Street" in check
    followed = client.post(url("decision_sheet_send", held), follow=True)
    text = text_of(followed)
    assert "The decision sheet was emailed to 3 people" in text
    assert "1 person to write to" in text
    assert len(mail.outbox) == 3
    assert (
        refresh(held.conference).decision_sheet_distributed_by == world.users[Role.BUSINESS_SUPPORT]
    )
    assert "Send to the invitees" not in text and "Download the 1 letter" in text
    letters = client.get(url("decision_sheet_letters", held))
    assert letters["Content-Type"] == "application/pdf"
    assert "Dear Lee Ashdown" in pdf_text(letters.content, tmp_path)


def test_sending_twice_says_when_it_went(held, world):
    signed_off(held)
    client = as_user(world, held, Role.BUSINESS_SUPPORT)
    client.post(url("decision_sheet_send", held))
    again = text_of(client.get(url("decision_sheet_send", held)))
    assert "already sent on Monday 1 March 2027 at 15:00" in again
    assert "Send the decision sheet</button>" not in again
    refused = text_of(client.post(url("decision_sheet_send", held)))
    assert "There is a problem" in refused and "already sent" in refused
    assert len(mail.outbox) == 3


def test_a_sheet_not_signed_off_cannot_be_sent(held, world):
    client = as_user(world, held, Role.BUSINESS_SUPPORT)
    check = text_of(client.get(url("decision_sheet_send", held)))
    assert "has not signed off the decision sheet yet" in check
    refused = text_of(client.post(url("decision_sheet_send", held)))
    assert "There is a problem" in refused
    assert mail.outbox == [] and refresh(held.conference).decision_sheet_distributed_at is None
    printed = client.get(url("decision_sheet_letters", held), follow=True)
    assert "not been sent yet" in text_of(printed)


@pytest.mark.parametrize("role", NOT_SENDERS)
def test_only_business_support_and_the_senior_iro_send(held, world, role):
    signed_off(held)
    client = as_user(world, held, role)
    assert client.get(url("decision_sheet_send", held)).status_code == 403
    assert client.post(url("decision_sheet_send", held)).status_code == 403
    assert client.get(url("decision_sheet_letters", held)).status_code == 403
    assert "Send to the invitees" not in text_of(client.get(url("decision_sheet", held)))
    assert mail.outbox == []


# -- the minutes ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_minutes_page(held, world, role):
    page = as_user(world, held, role).get(url("minutes", held))
    assert page.status_code == 200
    text = text_of(page)
    assert "Not yet written" in text
    may_write = role in (Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT)
    assert ("Save the draft" in text) == may_write


@pytest.mark.parametrize("who", ["taker", Role.BUSINESS_SUPPORT, Role.IRO, Role.SENIOR_IRO])
def test_the_minute_taker_business_support_and_the_chair_write_the_minutes(held, world, who):
    client = as_user(world, held, who)
    response = client.post(url("minutes", held), {"minutes-text": "The chair welcomed all."})
    assert response.status_code == 302
    conference = refresh(held.conference)
    assert conference.minutes_text == "The chair welcomed all."
    page = text_of(client.get(url("minutes", held)))
    assert "The chair welcomed all." in page and "download as a PDF" in page
    pdf = client.get(url("minutes_pdf", held))
    assert pdf.content.startswith(b"%PDF") and "draft-minutes-CPC-" in pdf["Content-Disposition"]


@pytest.mark.parametrize("who", NOT_DRAFTERS)
def test_anyone_else_cannot_write_or_upload_the_minutes(held, world, who):
    client = as_user(world, held, who)
    assert client.post(url("minutes", held), {"minutes-text": "x"}).status_code == 403
    upload = SimpleUploadedFile("m.pdf", PDF_BYTES, content_type=paperwork.PDF)
    assert client.post(url("minutes_upload", held), {"upload-file": upload}).status_code == 403
    assert refresh(held.conference).minutes_text == "" and not MinutesUpload.objects.exists()


def test_empty_minutes_show_the_error_on_the_field(held, world):
    response = as_user(world, held, "taker").post(url("minutes", held), {"minutes-text": "  "})
    text = text_of(response)
    assert response.status_code == 200 and "There is a problem" in text
    assert 'href="#id_minutes-text"' in text and "Enter the minutes" in text
    assert "– Error –" in text.split("</title>")[0]
    assert refresh(held.conference).minutes_drafted_at is None


def test_an_upload_is_kept_and_downloaded_only_through_the_service(held, world):
    client = as_user(world, held, Role.BUSINESS_SUPPORT)
    upload = SimpleUploadedFile("Draft minutes.docx", docx_bytes(), content_type=paperwork.DOCX)
    followed = client.post(url("minutes_upload", held), {"upload-file": upload}, follow=True)
    assert "Draft minutes.docx is uploaded as the draft minutes" in text_of(followed)
    record = MinutesUpload.objects.get()
    download = client.get(url("minutes_file", held, record.pk))
    assert download.status_code == 200 and download["Content-Type"] == paperwork.DOCX
    assert b"".join(download.streaming_content) == docx_bytes()
    assert f"minutes-CPC-{held.conference.pk:06d}-draft-1.docx" in download["Content-Disposition"]
    for role in (Role.AUDITOR, Role.DISTRICT_MANAGER):
        assert (
            as_user(world, held, role).get(url("minutes_file", held, record.pk)).status_code == 200
        )
    outsider = as_user(world, held, "other_district_manager")
    assert outsider.get(url("minutes_file", held, record.pk)).status_code == 404
    assert client.get(url("minutes_file", held, record.pk + 1)).status_code == 404


def test_an_exe_renamed_pdf_is_refused_on_the_page_and_nothing_kept(held, world, settings):
    client = as_user(world, held, "taker")
    upload = SimpleUploadedFile("minutes.pdf", EXE_BYTES, content_type=paperwork.PDF)
    response = client.post(url("minutes_upload", held), {"upload-file": upload})
    text = text_of(response)
    assert response.status_code == 200 and "There is a problem" in text
    assert 'href="#id_upload-file"' in text and "The chosen file is not a real PDF" in text
    assert not MinutesUpload.objects.exists() and not (settings.MEDIA_ROOT / "minutes").exists()
    nothing = client.post(url("minutes_upload", held), {})
    assert "Choose the minutes document to upload" in text_of(nothing)


def test_the_chair_signs_off_the_minutes_once_there_is_a_draft(held, world):
    chair = as_user(world, held, Role.IRO)
    refused = text_of(chair.post(url("minutes_sign_off", held)))
    assert "no draft minutes to sign off" in refused
    chair.post(url("minutes", held), {"minutes-text": "Minutes."})
    followed = chair.post(url("minutes_sign_off", held), follow=True)
    assert "The minutes are signed off" in text_of(followed)
    assert "Save the draft" not in text_of(followed)
    assert chair.post(url("minutes", held), {"minutes-text": "Later"}).status_code == 200
    assert refresh(held.conference).minutes_text == "Minutes."


@pytest.mark.parametrize("who", NOT_SIGNERS)
def test_anyone_else_is_refused_signing_off_the_minutes(held, world, who):
    paperwork.minutes_write(conference=held.conference, by=held.taker, text="M.", now=NOW)
    assert as_user(world, held, who).post(url("minutes_sign_off", held)).status_code == 403
    assert refresh(held.conference).minutes_signed_off_at is None


def test_business_support_send_the_minutes_once(held, world):
    minutes_signed_off(held)
    client = as_user(world, held, Role.BUSINESS_SUPPORT)
    assert "Send to the invitees" in text_of(client.get(url("minutes", held)))
    check = text_of(client.get(url("minutes_send", held)))
    assert "Check who gets the minutes" in check and "Lee Ashdown" in check
    followed = text_of(client.post(url("minutes_send", held), follow=True))
    assert "The minutes were emailed to 3 people" in followed
    assert len(mail.outbox) == 3
    again = text_of(client.get(url("minutes_send", held)))
    assert "The minutes were already sent on Monday 1 March 2027" in again
    letters = client.get(url("minutes_letters", held))
    assert letters.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", NOT_SENDERS)
def test_only_senders_send_the_minutes(held, world, role):
    minutes_signed_off(held)
    client = as_user(world, held, role)
    assert client.post(url("minutes_send", held)).status_code == 403
    assert client.get(url("minutes_letters", held)).status_code == 403
    assert mail.outbox == []


def test_a_late_decision_sheet_is_tagged_late(held, world, clock):
    clock.move_to(dt.datetime(2027, 3, 3, 9, 0, tzinfo=NOW.tzinfo))
    page = text_of(as_user(world, held, Role.BUSINESS_SUPPORT).get(url("decision_sheet", held)))
    assert 'govuk-tag--red">Late' in page
