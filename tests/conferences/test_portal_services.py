"""The document portal's services (conferences/services/portal.py, portal_links.py): reports
sent through one-time links and received without anyone typing a time, files checked by
their bytes, the chasers stopping, sharing with the family by link or post, the warnings
when sharing will miss its deadline, and the facts the QA form and feedback now read."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError

from conferences import portal_links, tasks
from conferences.models import Conference, PortalLink, ReportDocument, ReportShare, ShareWarning
from conferences.services import portal, reports
from quality_assurance.links import hash_token

from .portal_world import (
    ANSWERS,
    NOW,
    PDF_BYTES,
    STARTS,
    day,
    docx_bytes,
    links_in,
    pdf_text,
    portal_world,
    private_reports,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(settings, tmp_path, monkeypatch):
    return private_reports(settings, tmp_path, monkeypatch)


@pytest.fixture
def world_(world, private):
    with time_machine.travel(NOW, tick=False):
        yield portal_world(world)


def link_of(p, invitee) -> PortalLink:
    return portal_links.find(p.token(invitee), PortalLink.Purpose.UPLOAD)


def send_file(p, invitee, name="report.pdf", content=PDF_BYTES, at=None):
    with time_machine.travel(at or day(2), tick=False):
        return portal.report_send(
            link=link_of(p, invitee), now=at or day(2), upload=upload(name, content)
        )


# -- the request and its link -----------------------------------------------------------------


def test_each_report_request_email_carries_its_own_link_and_only_a_hash_is_kept(world_):
    p = world_
    urls = set(p.links.values())
    assert len(urls) == 3  # one each
    for invitee in (p.social_worker, p.police, p.health):
        token = p.token(invitee)
        link = PortalLink.objects.get(invitee=invitee)
        assert link.token_hash == hash_token(token) and token not in link.token_hash
        assert link.report == p.report(invitee)
        assert link.expires_at == STARTS  # it works until the conference starts
        assert p.links[invitee.pk].startswith(settings.IRO_SITE_URL.rstrip("/") + "/documents/")


def test_a_report_sent_through_the_link_is_received_at_that_moment_and_stored_privately(
    world_, private
):
    p = world_
    at = dt.datetime(2027, 3, 8, 14, 37, tzinfo=NOW.tzinfo)
    document = send_file(p, p.police, "Ashdown police report.pdf", at=at)
    report = p.report(p.police)
    assert report.received_at == at  # nobody typed it
    assert document.source == ReportDocument.Source.LINK and document.form == "file"
    stored = Path(document.file.path)
    assert stored.is_relative_to(private) and stored.read_bytes() == PDF_BYTES
    assert "Ashdown" not in document.file.name  # never the uploader's file name on disk
    public = Path(settings.MEDIA_ROOT)
    assert not public.exists() or not any(public.rglob("*.pdf"))
    assert PortalLink.objects.get(invitee=p.police).used_at == at
    assert report.history.first().history_change_reason == "Report received"


def test_a_used_link_cannot_send_a_second_report(world_):
    p = world_
    send_file(p, p.police)
    link = link_of(p, p.police)
    assert portal_links.state(link, day(3)) == portal_links.USED
    with pytest.raises(ValidationError) as refused:
        portal.report_send(link=link, now=day(3), upload=upload("again.pdf", PDF_BYTES))
    assert refused.value.messages == [portal_links.USED]
    assert ReportDocument.objects.filter(report__author=p.police).count() == 1


def test_a_tampered_or_unknown_token_finds_nothing(world_):
    p = world_
    token = p.token(p.police)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert portal_links.find(changed, PortalLink.Purpose.UPLOAD) is None
    assert portal_links.find("", PortalLink.Purpose.UPLOAD) is None
    assert portal_links.find("x" * 500, PortalLink.Purpose.UPLOAD) is None
    # An upload token is not a family link.
    assert portal_links.find(token, PortalLink.Purpose.FAMILY) is None


def test_the_link_expires_when_the_conference_starts_and_dies_with_a_cancelled_booking(world_):
    p = world_
    link = link_of(p, p.police)
    assert portal_links.state(link, STARTS - dt.timedelta(minutes=1)) == portal_links.VALID
    assert portal_links.state(link, STARTS) == portal_links.EXPIRED
    Conference.objects.filter(pk=p.conference.pk).update(status=Conference.Status.CANCELLED)
    link.refresh_from_db()
    link.conference.refresh_from_db()
    assert portal_links.state(link, day(1)) == portal_links.CANCELLED


def test_the_agency_report_form_is_a_report_and_prints_with_its_answers(world_):
    p = world_
    with time_machine.travel(day(2), tick=False):
        document = portal.report_send(link=link_of(p, p.health), now=day(2), answers=ANSWERS)
    assert document.form == ReportDocument.Form.TEMPLATE
    assert p.report(p.health).received_at == day(2)
    content, kind, name = portal.document_file(document)
    assert content.startswith(b"%PDF-") and kind == "application/pdf"
    assert "Ashdown" not in name and name.endswith(".pdf")
    text = pdf_text(content)
    assert "Missed health appointments" in text and "What is working well?" in text


def test_an_incomplete_form_names_each_missing_answer_and_changes_nothing(world_):
    p = world_
    with pytest.raises(ValidationError) as refused:
        portal.report_send(
            link=link_of(p, p.health), now=day(2), answers={**ANSWERS, "worries": "  "}
        )
    assert refused.value.message_dict == {"worries": ["Answer: what are you worried about?"]}
    assert p.report(p.health).received_at is None
    assert link_of(p, p.health).used_at is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", docx_bytes(), "The file is named .pdf but it is a Word document"),
        ("report.docx", PDF_BYTES, "The file is named .docx but it is a PDF"),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "older Word document"),
        ("report.pdf", b"MZ\x90\x00" + b"\0" * 64, "must be a PDF or a Word document"),
        ("report.docx", b"PK\x03\x04 not a zip", "must be a PDF or a Word document"),
        ("report.pdf", b"", "The chosen file is empty"),
    ],
)
def test_a_file_is_judged_by_its_bytes_and_a_refusal_changes_nothing(
    world_, name, content, message
):
    p = world_
    with pytest.raises(ValidationError) as refused:
        portal.report_send(link=link_of(p, p.police), now=day(2), upload=upload(name, content))
    assert message in refused.value.message_dict["file"][0]
    assert not ReportDocument.objects.exists()
    assert p.report(p.police).received_at is None
    assert link_of(p, p.police).used_at is None


def test_a_word_document_named_as_such_is_accepted(world_):
    p = world_
    document = send_file(p, p.police, "report.docx", docx_bytes())
    assert document.content_type.endswith("wordprocessingml.document")
    assert document.file.name.endswith(".docx")


def test_the_size_limit_is_a_setting(world_, settings):
    p = world_
    settings.IRO_REPORT_MAX_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        portal.report_send(link=link_of(p, p.police), now=day(2), upload=upload("r.pdf", big))
    assert refused.value.message_dict["file"] == ["The report must be smaller than 1MB"]
    assert not ReportDocument.objects.exists()


# -- the chasers stop -------------------------------------------------------------------------


def test_chasers_stop_as_soon_as_a_report_arrives(world_):
    p = world_
    send_file(p, p.police, at=day(8))  # 9 March, before the due date
    chase = dt.datetime(2027, 3, 10, 7, 30, tzinfo=NOW.tzinfo)
    with time_machine.travel(chase, tick=False):
        before = len(mail.outbox)
        assert reports.reports_chase(now=chase) == 2  # the social worker and health visitor
    chased = {message.to[0] for message in mail.outbox[before:]}
    assert chased == {p.social_worker.email, p.health.email}
    body = mail.outbox[-1].body
    assert "through the link in our email of 1 March 2027" in body


def test_business_support_adding_a_report_receives_it_and_retires_the_unused_link(world_):
    p = world_
    with time_machine.travel(day(3), tick=False):
        portal.report_add(
            report=p.report(p.police),
            by=p.business_support,
            now=day(3),
            upload=upload("scan.pdf", PDF_BYTES),
        )
    assert p.report(p.police).received_at == day(3)
    link = PortalLink.objects.get(invitee=p.police)
    assert link.cancelled_at == day(3)
    assert portal_links.state(link, day(3)) == portal_links.CANCELLED


def test_a_new_link_replaces_the_old_one_which_stops_working(world_):
    p = world_
    old = link_of(p, p.police)
    before = len(mail.outbox)
    with time_machine.travel(day(1), tick=False):
        new = portal.link_send_again(link=old, by=p.business_support, now=day(1))
    old.refresh_from_db()
    assert portal_links.state(old, day(1)) == portal_links.CANCELLED
    url = links_in(mail.outbox[before:])[p.police.email]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert portal_links.find(token, PortalLink.Purpose.UPLOAD).pk == new.pk
    with pytest.raises(ValidationError, match="no longer in use"):
        portal.link_send_again(link=old, by=p.business_support, now=day(1))


# -- sharing with the family ------------------------------------------------------------------


def everything_in(p):
    send_file(p, p.social_worker, at=day(5))
    send_file(p, p.police, at=day(6))
    with time_machine.travel(day(6), tick=False):
        portal.report_send(link=link_of(p, p.health), now=day(6), answers=ANSWERS)
    return portal.latest_documents(p.conference)


def test_sharing_emails_each_parent_their_own_link_and_records_the_time(world_):
    p = world_
    documents = everything_in(p)
    shared_at = day(10)  # 11 March, before the 15 March deadline
    before = len(mail.outbox)
    with time_machine.travel(shared_at, tick=False):
        sent = portal.reports_share(
            conference=p.conference, documents_=documents, by=p.business_support, now=shared_at
        )
    assert sent.emailed == [p.mother] and sent.letters == [p.father] and not sent.failed
    emails = mail.outbox[before:]
    assert [m.to for m in emails] == [[p.mother.email]]
    assert "/documents/family/" in emails[0].body
    assert "Robin" not in emails[0].body and "Sky" not in emails[0].body
    assert ReportShare.objects.filter(invitee=p.mother).count() == 3
    for invitee in (p.social_worker, p.police, p.health):
        assert p.report(invitee).shared_with_parents_at == shared_at
    p.conference.refresh_from_db()
    assert p.conference.report_shared_at == shared_at  # the measures read this
    assert [invitee for invitee, _ in portal.to_post(p.conference)] == [p.father]


def test_posting_records_the_father_as_shared_when_business_support_says_so(world_):
    p = world_
    documents = everything_in(p)
    with time_machine.travel(day(10), tick=False):
        portal.reports_share(
            conference=p.conference, documents_=documents, by=p.business_support, now=day(10)
        )
        pack = portal.post_pack_pdf(p.conference)
    assert pack.startswith(b"%PDF-")
    text = pdf_text(pack)
    assert "Lee Ashdown" in text and "12 Canal Street" in text and "Missed health" in text
    with time_machine.travel(day(11), tick=False):
        posted = portal.reports_posted(conference=p.conference, by=p.business_support, now=day(11))
    assert posted == [p.father]
    shares = ReportShare.objects.filter(invitee=p.father)
    assert shares.count() == 3 and {s.method for s in shares} == {"post"}
    assert {s.shared_at for s in shares} == {day(11)}
    assert portal.to_post(p.conference) == []
    with pytest.raises(ValidationError, match="no reports waiting"):
        portal.reports_posted(conference=p.conference, by=p.business_support, now=day(11))


def test_a_later_report_is_shared_without_a_new_link_and_sharing_twice_is_refused(world_):
    p = world_
    send_file(p, p.social_worker, at=day(5))
    first = portal.latest_documents(p.conference)
    with time_machine.travel(day(6), tick=False):
        portal.reports_share(
            conference=p.conference, documents_=first, by=p.business_support, now=day(6)
        )
        portal.reports_posted(conference=p.conference, by=p.business_support, now=day(6))
        with pytest.raises(ValidationError, match="already shared with everyone"):
            portal.reports_share(
                conference=p.conference, documents_=first, by=p.business_support, now=day(6)
            )
    send_file(p, p.police, at=day(7))
    before = len(mail.outbox)
    with time_machine.travel(day(7), tick=False):
        police_report = [
            d for d in portal.latest_documents(p.conference) if d.report.author == p.police
        ]
        portal.reports_share(
            conference=p.conference, documents_=police_report, by=p.business_support, now=day(7)
        )
    body = mail.outbox[before].body
    assert "/documents/" not in body and "the link in our email of 7 March 2027" in body
    assert PortalLink.objects.filter(invitee=p.mother, purpose="family").count() == 1
    link = PortalLink.objects.get(invitee=p.mother, purpose="family")
    assert [d.report.author for d in portal.shared_with(link)] == [p.social_worker, p.police]
    p.conference.refresh_from_db()
    assert p.conference.report_shared_at == day(6)  # the social worker's, not the later one


def test_the_family_reads_the_social_workers_report_first_even_when_it_came_last(world_):
    p = world_
    send_file(p, p.police, at=day(5))
    send_file(p, p.social_worker, at=day(6))
    for at, author in ((day(5), p.police), (day(6), p.social_worker)):
        chosen = [d for d in portal.latest_documents(p.conference) if d.report.author == author]
        with time_machine.travel(at, tick=False):
            portal.reports_share(
                conference=p.conference, documents_=chosen, by=p.business_support, now=at
            )
    link = PortalLink.objects.get(invitee=p.mother, purpose="family")

    assert [d.report.author for d in portal.shared_with(link)] == [p.social_worker, p.police]


def test_sharing_a_report_of_another_conference_is_refused(world_, world):
    p = world_
    everything_in(p)
    from .invitation_world import book

    with time_machine.travel(NOW, tick=False):
        other = book(world, starts=STARTS + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        portal.reports_share(
            conference=other,
            documents_=portal.latest_documents(p.conference),
            by=p.business_support,
            now=day(10),
        )
    assert "this conference's reports" in refused.value.message_dict["documents"][0]
    assert not ReportShare.objects.exists()


def test_the_family_link_opens_until_two_weeks_after_the_conference(world_):
    p = world_
    documents = everything_in(p)
    with time_machine.travel(day(10), tick=False):
        portal.reports_share(
            conference=p.conference, documents_=documents, by=p.business_support, now=day(10)
        )
    link = PortalLink.objects.get(invitee=p.mother, purpose="family")
    assert settings.IRO_FAMILY_LINK_DAYS_AFTER == 14
    # To the end of Wednesday 31 March 2027, London time (the clocks went forward on the 28th).
    assert link.expires_at == dt.datetime(2027, 4, 1, 0, 0, tzinfo=NOW.tzinfo)
    last_minute = dt.datetime(2027, 3, 31, 23, 59, tzinfo=NOW.tzinfo)
    assert portal_links.state(link, last_minute) == portal_links.VALID
    assert portal_links.state(link, last_minute + dt.timedelta(minutes=1)) == portal_links.EXPIRED


# -- what the QA form and the feedback now know -----------------------------------------------


@pytest.mark.parametrize(("shared_on", "answer"), [(10, "yes"), (14.1, "no")])
def test_the_feedback_answer_and_the_qa_fact_come_from_the_shared_time(world_, shared_on, answer):
    p = world_
    documents = everything_in(p)
    at = day(shared_on)  # the deadline is 15 March 10am: day(14) is 15 March 9am
    with time_machine.travel(at, tick=False):
        portal.reports_share(
            conference=p.conference, documents_=documents, by=p.business_support, now=at
        )
    assert portal.report_in_time_for(p.mother) == answer
    assert portal.report_in_time_for(p.father) == "no"  # nothing posted to him yet
    from quality_assurance.services import qa_forms  # noqa: PLC0415

    p.conference.refresh_from_db()
    assert qa_forms.prefill_for(p.conference)["report_shared_in_time"].answer == answer


def test_without_the_portal_the_record_does_not_answer_for_the_family(world_):
    p = world_
    assert portal.report_in_time_for(p.mother) is None


# -- warnings ---------------------------------------------------------------------------------


def test_business_support_and_the_chair_are_warned_once_when_sharing_will_miss(world_, world):
    p = world_
    from people.models import Role  # noqa: PLC0415

    chair = world.users[Role.IRO]
    chair.email = "chair@council.example"
    chair.save()
    Conference.objects.filter(pk=p.conference.pk).update(chair=chair)
    quiet = dt.datetime(2027, 3, 14, 9, 0, tzinfo=NOW.tzinfo)  # 25 hours before the deadline
    with time_machine.travel(quiet, tick=False):
        assert portal.share_warnings_send(now=quiet) == 0
    near = dt.datetime(2027, 3, 14, 10, 5, tzinfo=NOW.tzinfo)
    before = len(mail.outbox)
    with time_machine.travel(near, tick=False):
        assert tasks.warn_of_late_sharing() == 1
        assert tasks.warn_of_late_sharing() == 0  # once per deadline
    (warning,) = mail.outbox[before:]
    assert set(warning.to) == {settings.DEFAULT_FROM_EMAIL, "chair@council.example"}
    assert "has not come in" in warning.body and "Monday 15 March 2027, 10:00" in warning.body
    assert "Robin" not in warning.body and "Ashdown" not in warning.body
    assert ShareWarning.objects.get().due_by == p.conference.report_share_due_by


def test_no_warning_once_the_social_workers_report_is_shared(world_):
    p = world_
    documents = everything_in(p)
    with time_machine.travel(day(10), tick=False):
        portal.reports_share(
            conference=p.conference, documents_=documents, by=p.business_support, now=day(10)
        )
    near = dt.datetime(2027, 3, 14, 12, 0, tzinfo=NOW.tzinfo)
    with time_machine.travel(near, tick=False):
        assert portal.share_warnings_send(now=near) == 0
    p.conference.refresh_from_db()
    assert not portal.sharing_at_risk(p.conference, near)


def test_the_warning_is_on_the_beat_schedule():
    from django_celery_beat.models import PeriodicTask  # noqa: PLC0415

    task = PeriodicTask.objects.get(task="conferences.warn_of_late_sharing")
    assert task.enabled and task.crontab.hour == "*"
