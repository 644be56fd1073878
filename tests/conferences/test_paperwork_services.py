"""The decision sheet and the minutes after a conference: conferences/decision_sheet.py and
conferences/services/paperwork.py. Good input does what the user relies on; bad input is
refused with a plain message and leaves nothing saved."""

import datetime as dt
import smtplib
from email import message_from_bytes, policy

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from conferences import decision_sheet as sheets
from conferences.models import Conference, ConferenceChild, MinutesUpload
from conferences.services import paperwork
from reporting.metrics.conferences import decision_sheets_on_time
from reporting.metrics.periods import Period

from ..factories import ChildFactory
from .test_paperwork_world import (
    EXE_BYTES,
    HELD_AT,
    LONDON,
    NOW,
    PDF_BYTES,
    SHEET_DUE,
    docx_bytes,
    hold,
    pdf_text,
    refresh,
)

pytestmark = pytest.mark.django_db


FAILING_ADDRESS = "dana.hale@police.example"


class FailingBackend(LocmemBackend):
    """In-memory email that refuses one address, as a mail server may."""

    def send_messages(self, messages):
        for message in messages:
            if FAILING_ADDRESS in message.recipients():
                raise smtplib.SMTPRecipientsRefused({FAILING_ADDRESS: (550, b"No such user")})
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"anyone": (550, b"No")})


class UnreachableBackend(LocmemBackend):
    def open(self):
        raise OSError("Connection refused")


def sign_off(held):
    return paperwork.decision_sheet_sign_off(conference=held.conference, by=held.chair, now=NOW)


def attachments(message) -> list:
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in parsed.iter_attachments()
    ]


# -- the decision sheet's content ------------------------------------------------------------


def test_the_sheet_says_who_took_part_and_each_childs_decision(held):
    sheet = sheets.decision_sheet_for(held.conference)
    assert sheet.is_draft and sheet.title.startswith("Draft decision sheet")
    present = {p.name for p in sheet.present}
    assert present == {"Lee Ashdown", "PC Dana Hale", "Kim Lowe", "Sam Okafor"}
    assert {(p.name, p.how) for p in sheet.apologies} == {("Dr Ada Pryce", "Sent apologies")}
    assert "was quorate" in sheet.quorum and "Police" in sheet.quorum
    assert "Parent or carer" not in sheet.quorum  # the family are not an agency
    robin, sky = sheet.children
    assert robin.name == "Robin Ashdown" and robin.born == "1 June 2015"
    assert robin.decision == "A child protection plan is needed: it starts from this conference."
    assert robin.category == "Neglect"
    assert robin.next_review_due_by == dt.date(2027, 6, 1)
    assert robin.first_core_group_due_by == dt.date(2027, 3, 15)
    (target,) = robin.targets
    assert target.who == "Jo Ashdown, with the social worker"
    assert sky.decision == "A child protection plan is not needed."
    (dissent,) = sky.dissents
    assert (dissent.agency, dissent.reason) == ("Police", "Worried about the father.")


def test_a_ceased_plan_gives_its_reason_and_an_unborn_child_the_expected_date(held, world):
    robin = held.robin
    robin.outcome, robin.category = ConferenceChild.Outcome.PLAN_CEASED, ""
    robin.cease_reason = ConferenceChild._meta.get_field("cease_reason").choices[0][0]
    robin.save()
    baby = ChildFactory(
        household=world.child.household,
        first_name="Baby",
        date_of_birth=None,
        expected_date_of_birth=dt.date(2027, 5, 3),
    )
    ConferenceChild.objects.create(conference=held.conference, child=baby, outcome="no_plan")
    by_name = {c.name: c for c in sheets.decision_sheet_for(held.conference).children}
    assert by_name["Robin Ashdown"].decision.startswith("The child protection plan ends")
    assert by_name["Robin Ashdown"].cease_reason == "No longer at risk of significant harm"
    assert by_name["Baby Example"].born == "Unborn, expected 3 May 2027"


def test_an_inquorate_conference_says_so(held):
    conference = held.conference
    conference.quorate, conference.proceeded_inquorate, conference.inquorate_again = (
        False,
        True,
        True,
    )
    conference.save()
    quorum = sheets.decision_sheet_for(conference).quorum
    assert "was not quorate" in quorum and "interim plan" in quorum
    assert "second conference in a row" in quorum


def test_the_sheet_takes_the_same_queries_for_one_child_or_five(
    held, world, django_assert_num_queries
):
    with django_assert_num_queries(7):
        sheets.decision_sheet_for(held.conference)
    for _ in range(3):
        child = ChildFactory(household=world.child.household)
        ConferenceChild.objects.create(
            conference=held.conference, child=child, outcome="plan_started", category="EMO"
        )
    with django_assert_num_queries(7):
        assert len(sheets.decision_sheet_for(held.conference).children) == 5


def test_the_pdf_names_each_child_and_decision_and_is_marked_draft_until_signed_off(held, tmp_path):
    content = sheets.decision_sheet_pdf(sheets.decision_sheet_for(held.conference))
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    for words in (
        "Robin Ashdown",
        "A child protection plan is needed",
        "Sky Ashdown",
        "A child protection plan is not needed",
        "Neglect",
        "Worried about the father",
        "Robin is never left alone at home overnight",
        "Kim Lowe",
        "Sent apologies",
        "DRAFT",
    ):
        assert words in text, words
    sign_off(held)
    signed = pdf_text(
        sheets.decision_sheet_pdf(sheets.decision_sheet_for(held.conference)), tmp_path
    )
    assert "DRAFT" not in signed and "Draft" not in signed
    assert "Signed off by" in signed


# -- signing off ---------------------------------------------------------------------------


def test_signing_off_records_who_and_when_in_the_history(held):
    sign_off(held)
    conference = refresh(held.conference)
    assert conference.decision_sheet_signed_off_at == NOW
    assert conference.decision_sheet_signed_off_by == held.chair
    latest = conference.history.latest()
    assert latest.history_change_reason == "Decision sheet signed off"
    assert latest.history_user == held.chair


def test_signing_off_twice_says_when_it_was_signed_off(held):
    sign_off(held)
    with pytest.raises(ValidationError, match="already signed off on Monday 1 March 2027 at 15:00"):
        sign_off(held)


def test_a_conference_not_held_cannot_have_its_sheet_signed_off(held):
    Conference.objects.filter(pk=held.conference.pk).update(status=Conference.Status.BOOKED)
    with pytest.raises(ValidationError, match="booked, not held"):
        sign_off(held)
    assert refresh(held.conference).decision_sheet_signed_off_at is None


def test_a_child_without_a_decision_stops_the_sign_off(held):
    ConferenceChild.objects.filter(pk=held.sky.pk).update(outcome=ConferenceChild.Outcome.PENDING)
    with pytest.raises(ValidationError, match="Record the decision for Sky Ashdown"):
        sign_off(held)
    assert refresh(held.conference).decision_sheet_signed_off_at is None


# -- sending -------------------------------------------------------------------------------


def send(held, **kwargs):
    return paperwork.decision_sheet_send(
        conference=held.conference, by=kwargs.get("by") or held.taker, now=kwargs.get("now", NOW)
    )


def test_sending_emails_the_pdf_to_each_invitee_with_email_and_lists_the_letters(held, world):
    sign_off(held)
    support = world.users["business_support"]
    sent = send(held, by=support)
    assert sent.emailed == held.by_email and sent.letters == held.by_letter and sent.failed == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in held.by_email)
    message = mail.outbox[0]
    assert message.subject.startswith("Decision sheet: child protection conference on Monday 1")
    for name in ("Robin", "Sky"):  # the children are named in the attachment only
        assert name not in message.subject and name not in message.body
    ((filename, kind, content),) = attachments(message)
    assert filename == f"decision-sheet-CPC-{held.conference.pk:06d}.pdf"
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    conference = refresh(held.conference)
    assert conference.decision_sheet_distributed_at == NOW
    assert conference.decision_sheet_distributed_by == support
    assert (
        conference.history.latest().history_change_reason == "Decision sheet sent to the invitees"
    )


def test_the_sheet_is_sent_once_and_a_second_time_says_when(held, world):
    sign_off(held)
    send(held, by=world.users["business_support"])
    with pytest.raises(ValidationError, match="already sent on Monday 1 March 2027 at 15:00 by"):
        send(held)
    assert len(mail.outbox) == 3


def test_a_second_click_with_the_page_still_open_sends_nothing_more(held, world):
    sign_off(held)
    stale = refresh(held.conference)  # read before the first send, as a second tab would
    send(held, by=world.users["business_support"])
    with pytest.raises(ValidationError, match="already sent"):
        paperwork.decision_sheet_send(conference=stale, by=held.taker, now=NOW)
    assert len(mail.outbox) == 3
    assert refresh(held.conference).decision_sheet_distributed_by == world.users["business_support"]


def test_letters_are_only_for_this_conferences_invitees(held, world):
    sign_off(held)
    send(held)
    stranger = hold(world, chair=held.chair, taker=None).invitees.create(
        name="Not Invited", agency="gp", role="GP", email="x@gp.example"
    )
    with pytest.raises(ValidationError, match="not invited to this conference"):
        paperwork.decision_sheet_letters(
            conference=refresh(held.conference), invitee_ids=[stranger.pk]
        )


def test_a_sheet_not_signed_off_is_not_sent(held):
    with pytest.raises(ValidationError, match="has not signed off the decision sheet"):
        send(held)
    assert mail.outbox == [] and refresh(held.conference).decision_sheet_distributed_at is None


def test_with_no_one_invited_there_is_no_one_to_send_it_to(world, clock):
    conference = hold(world, chair=world.users["iro"], taker=None)
    ConferenceChild.objects.create(conference=conference, child=world.child, outcome="no_plan")
    paperwork.decision_sheet_sign_off(conference=conference, by=world.users["iro"], now=NOW)
    with pytest.raises(ValidationError, match="No one was invited"):
        paperwork.decision_sheet_send(conference=conference, by=world.users["iro"], now=NOW)
    assert refresh(conference).decision_sheet_distributed_at is None


@override_settings(EMAIL_BACKEND=f"{__name__}.UnreachableBackend")
def test_a_mail_server_out_of_reach_records_nothing(held):
    sign_off(held)
    with pytest.raises(ValidationError, match="could not be reached"):
        send(held)
    assert refresh(held.conference).decision_sheet_distributed_at is None


@override_settings(EMAIL_BACKEND=f"{__name__}.FailingBackend")
def test_an_address_refused_is_listed_for_a_letter_and_the_rest_are_sent(held, tmp_path, caplog):
    sign_off(held)
    sent = send(held)
    assert [i.name for i in sent.failed] == ["PC Dana Hale"]
    assert len(sent.emailed) == 2 and refresh(held.conference).decision_sheet_distributed_at
    assert "dana.hale" not in caplog.text and "SMTPRecipientsRefused" in caplog.text
    letters = paperwork.decision_sheet_letters(
        conference=refresh(held.conference), invitee_ids=[sent.failed[0].pk]
    )
    text = pdf_text(letters, tmp_path)
    assert "Dear PC Dana Hale" in text and "Robin Ashdown" in text


@override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend")
def test_when_every_email_is_refused_and_no_one_is_written_to_nothing_is_recorded(held):
    held.by_letter[0].email = "lee@family.example"
    held.by_letter[0].save()
    sign_off(held)
    with pytest.raises(ValidationError, match="None of the emails could be sent"):
        send(held)
    assert refresh(held.conference).decision_sheet_distributed_at is None


def test_the_letters_are_printed_only_once_it_is_sent_and_hold_the_sheet(held, tmp_path):
    sign_off(held)
    with pytest.raises(ValidationError, match="not been sent yet"):
        paperwork.decision_sheet_letters(conference=held.conference)
    send(held)
    conference = refresh(held.conference)
    content = paperwork.decision_sheet_letters(conference=conference)
    text = pdf_text(content, tmp_path)
    assert "Dear Lee Ashdown" in text and "12 Canal Street" in text
    assert "Robin Ashdown" in text and "A child protection plan is needed" in text
    assert refresh(held.conference).history.count() == conference.history.count()  # nothing new


def test_distributing_through_the_service_counts_towards_decision_sheets_on_time(held, world):
    period = Period(dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert decision_sheets_on_time(period=period) == {
        "numerator": 0,
        "denominator": 1,
        "percent": 0.0,
    }
    sign_off(held)
    send(held)  # the same day: on time
    assert decision_sheets_on_time(period=period)["numerator"] == 1

    other = hold(
        world,
        chair=held.chair,
        taker=None,
        starts=HELD_AT + dt.timedelta(days=1),
        household=world.south_child.household,
    )
    assert other.decision_sheet_due_by == dt.date(2027, 3, 3)
    ConferenceChild.objects.create(conference=other, child=world.south_child, outcome="no_plan")
    other.invitees.create(name="Ann Lee", agency="gp", role="GP", email="ann@gp.example")
    late = dt.datetime(2027, 3, 4, 9, 0, tzinfo=LONDON)  # a working day after it was due
    with time_machine.travel(late, tick=False):
        paperwork.decision_sheet_sign_off(conference=other, by=held.chair, now=late)
        paperwork.decision_sheet_send(conference=other, by=held.chair, now=late)
    assert decision_sheets_on_time(period=period) == {
        "numerator": 1,
        "denominator": 2,
        "percent": 50.0,
    }
    assert SHEET_DUE == held.conference.decision_sheet_due_by


# -- minutes -------------------------------------------------------------------------------


def upload(name: str, content: bytes, kind: str):
    return SimpleUploadedFile(name, content, content_type=kind)


def test_draft_minutes_keep_each_version_in_the_history(held):
    paperwork.minutes_write(conference=held.conference, by=held.taker, text="First go.", now=NOW)
    later = NOW + dt.timedelta(minutes=5)
    paperwork.minutes_write(
        conference=held.conference, by=held.chair, text="  Second go.  ", now=later
    )
    conference = refresh(held.conference)
    assert conference.minutes_text == "Second go."
    assert (conference.minutes_drafted_by, conference.minutes_drafted_at) == (held.chair, later)
    texts = list(conference.history.order_by("history_date").values_list("minutes_text", flat=True))
    assert "First go." in texts and texts[-1] == "Second go."
    draft = paperwork.minutes_draft_of(conference)
    assert draft.text == "Second go." and not draft.is_upload


def test_empty_minutes_are_refused_and_nothing_saved(held):
    with pytest.raises(ValidationError) as refused:
        paperwork.minutes_write(conference=held.conference, by=held.taker, text="   ", now=NOW)
    assert refused.value.message_dict == {"text": ["Enter the minutes"]}
    assert refresh(held.conference).minutes_drafted_at is None


def test_minutes_cannot_be_written_before_the_conference_is_held(held):
    Conference.objects.filter(pk=held.conference.pk).update(status=Conference.Status.BOOKED)
    with pytest.raises(ValidationError, match="not held"):
        paperwork.minutes_write(conference=held.conference, by=held.taker, text="x", now=NOW)


def test_uploads_are_kept_as_new_rows_never_overwritten(held):
    first = paperwork.minutes_upload(
        conference=held.conference,
        by=held.taker,
        file=upload("Minutes v1.pdf", PDF_BYTES, paperwork.PDF),
        now=NOW,
    )
    second = paperwork.minutes_upload(
        conference=held.conference,
        by=held.taker,
        file=upload("minutes v2.DOCX", docx_bytes(), paperwork.DOCX),
        now=NOW,  # the same second: a second file all the same
    )
    assert first.file.name != second.file.name
    assert "Ashdown" not in first.file.name and first.file.name.endswith(".pdf")
    with first.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert held.conference.minutes_uploads.count() == 2
    draft = paperwork.minutes_draft_of(refresh(held.conference))
    assert draft.upload == second and draft.by == held.taker
    reasons = set(refresh(held.conference).history.values_list("history_change_reason", flat=True))
    assert "Draft minutes uploaded (Minutes v1.pdf)" in reasons


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("minutes.pdf", EXE_BYTES, paperwork.PDF, "is not a real PDF"),
        ("minutes.exe", EXE_BYTES, "application/octet-stream", "must be a PDF or a Word"),
        ("minutes.pdf", PDF_BYTES, "text/plain", "is not a real PDF"),
        ("minutes.docx", PDF_BYTES, paperwork.DOCX, "is not a real Word document"),
        ("minutes.docx", b"PK\x03\x04 not a zip at all", paperwork.DOCX, "not a real Word"),
        ("minutes.txt", b"Minutes", "text/plain", "must be a PDF or a Word"),
        ("minutes", PDF_BYTES, paperwork.PDF, "must be a PDF or a Word"),
        ("minutes.pdf", b"", paperwork.PDF, "is empty"),
    ],
)
def test_a_file_that_is_not_a_real_pdf_or_word_document_is_refused(
    held, settings, name, content, kind, message
):
    with pytest.raises(ValidationError) as refused:
        paperwork.minutes_upload(
            conference=held.conference, by=held.taker, file=upload(name, content, kind), now=NOW
        )
    assert message in refused.value.message_dict["file"][0]
    assert not MinutesUpload.objects.exists()
    assert not (settings.MEDIA_ROOT / "minutes").exists()


def test_a_document_over_10_mb_is_refused(held, monkeypatch):
    monkeypatch.setattr(paperwork, "MINUTES_MAX_BYTES", len(PDF_BYTES) - 1)
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        paperwork.minutes_upload(
            conference=held.conference,
            by=held.taker,
            file=upload("minutes.pdf", PDF_BYTES, paperwork.PDF),
            now=NOW,
        )
    assert not MinutesUpload.objects.exists()


def test_the_latest_of_text_and_upload_is_the_draft(held):
    paperwork.minutes_upload(
        conference=held.conference,
        by=held.taker,
        file=upload("m.pdf", PDF_BYTES, paperwork.PDF),
        now=NOW,
    )
    paperwork.minutes_write(
        conference=held.conference,
        by=held.chair,
        text="Typed after",
        now=NOW + dt.timedelta(minutes=1),
    )
    assert paperwork.minutes_draft_of(refresh(held.conference)).text == "Typed after"


def test_minutes_are_signed_off_only_with_a_draft_and_then_frozen(held):
    with pytest.raises(ValidationError, match="no draft minutes to sign off"):
        paperwork.minutes_sign_off(conference=held.conference, by=held.chair, now=NOW)
    paperwork.minutes_write(conference=held.conference, by=held.taker, text="Minutes.", now=NOW)
    paperwork.minutes_sign_off(conference=held.conference, by=held.chair, now=NOW)
    conference = refresh(held.conference)
    assert (conference.minutes_signed_off_at, conference.minutes_signed_off_by) == (
        NOW,
        held.chair,
    )
    with pytest.raises(ValidationError, match="can no longer be changed"):
        paperwork.minutes_write(conference=conference, by=held.taker, text="Changed", now=NOW)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        paperwork.minutes_upload(
            conference=conference,
            by=held.taker,
            file=upload("m.pdf", PDF_BYTES, paperwork.PDF),
            now=NOW,
        )
    with pytest.raises(ValidationError, match="already signed off"):
        paperwork.minutes_sign_off(conference=conference, by=held.chair, now=NOW)
    assert refresh(conference).minutes_text == "Minutes."


def test_written_minutes_go_as_a_pdf_and_once(held, world, tmp_path):
    support = world.users["business_support"]
    with pytest.raises(ValidationError, match="not signed off the minutes"):
        paperwork.minutes_send(conference=held.conference, by=support, now=NOW)
    paperwork.minutes_write(
        conference=held.conference, by=held.taker, text="Robin's mother spoke first.", now=NOW
    )
    paperwork.minutes_sign_off(conference=held.conference, by=held.chair, now=NOW)
    sent = paperwork.minutes_send(conference=held.conference, by=support, now=NOW)
    assert len(sent.emailed) == 3 and sent.letters == held.by_letter
    ((filename, kind, content),) = attachments(mail.outbox[0])
    assert filename.endswith(".pdf") and kind == "application/pdf"
    assert "Robin's mother spoke first." in pdf_text(content, tmp_path)
    assert mail.outbox[0].subject.startswith("Minutes: child protection conference")
    conference = refresh(held.conference)
    assert (conference.minutes_distributed_at, conference.minutes_distributed_by) == (NOW, support)
    with pytest.raises(ValidationError, match="minutes were already sent on"):
        paperwork.minutes_send(conference=conference, by=support, now=NOW)
    letters = pdf_text(paperwork.minutes_letters(conference=conference), tmp_path)
    assert "Dear Lee Ashdown" in letters and "Robin's mother spoke first." in letters


def test_an_uploaded_document_goes_as_itself(held, world):
    paperwork.minutes_upload(
        conference=held.conference,
        by=held.taker,
        file=upload("Ashdown minutes.docx", docx_bytes(), paperwork.DOCX),
        now=NOW,
    )
    paperwork.minutes_sign_off(conference=held.conference, by=held.chair, now=NOW)
    paperwork.minutes_send(conference=held.conference, by=world.users["business_support"], now=NOW)
    ((filename, kind, content),) = attachments(mail.outbox[0])
    assert filename == f"minutes-CPC-{held.conference.pk:06d}.docx"  # not the family's name
    assert kind == paperwork.DOCX and content == docx_bytes()
    cover = paperwork.minutes_letters(conference=refresh(held.conference))
    assert cover.startswith(b"%PDF")
