"""The document portal's pages: an agency's and a family's pages reached by a link without an
account (views/portal_public.py), and business support's pages (views/portal.py), for each
role. Tokens tested for reuse, expiry and tampering; every download in the access audit."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent
from conferences.models import PortalLink, ReportDocument, ReportShare
from conferences.services import portal
from people.models import Role

from ..fixtures import client_for
from .portal_world import (
    ANSWERS,
    NOW,
    PDF_BYTES,
    STARTS,
    day,
    docx_bytes,
    links_in,
    portal_world,
    private_reports,
    upload,
)

pytestmark = pytest.mark.django_db

WRITERS = [Role.BUSINESS_SUPPORT, Role.SENIOR_IRO]
READERS = [Role.IRO, Role.DISTRICT_MANAGER, Role.AUDITOR, Role.DIRECTORATE_MANAGER]


@pytest.fixture(autouse=True)
def _fresh_attempt_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def p(world, settings, tmp_path, monkeypatch):
    private_reports(settings, tmp_path, monkeypatch)
    with time_machine.travel(NOW, tick=False):
        yield portal_world(world)


def path_of(url: str) -> str:
    return url.split("8000", 1)[-1] if "8000" in url else url


def text(response) -> str:
    return response.content.decode()


def staff(name: str, p, *args) -> str:
    return reverse(f"conferences:{name}", args=[p.conference.pk, *args])


# -- the agency's page ------------------------------------------------------------------------


def test_the_agency_page_says_what_is_asked_and_nothing_about_the_child(p):
    page = Client().get(path_of(p.links[p.police.pk]))
    assert page.status_code == 200
    body = text(page)
    assert "Send your report" in body and "Wednesday 17 March 2027" in body
    assert "PC Dawn Hale" in body and "Wednesday 10 March 2027" in body  # asked of, due by
    assert "Robin" not in body and "Sky" not in body and "Ashdown" not in body
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"


def test_an_upload_through_the_page_is_received_and_the_link_then_says_used(p):
    client = Client()
    at = day(3)
    with time_machine.travel(at, tick=False):
        sent = client.post(
            path_of(p.links[p.police.pk]),
            {"file": upload("report.docx", docx_bytes())},
            follow=True,
        )
    assert "Report sent" in text(
        sent
    ) and "We received your report at 9am on Thursday 4 March 2027" in text(sent)
    assert p.report(p.police).received_at == at
    again = client.get(path_of(p.links[p.police.pk]))
    assert again.status_code == 410 and "already been used" in text(again)


def test_a_file_whose_name_and_content_disagree_is_refused_on_the_page(p):
    response = Client().post(
        path_of(p.links[p.police.pk]), {"file": upload("report.pdf", docx_bytes())}
    )
    assert response.status_code == 400
    assert "The file is named .pdf but it is a Word document" in text(response)
    assert not ReportDocument.objects.exists()


def test_an_upload_declared_too_large_is_refused_before_it_is_read(p, settings):
    settings.IRO_REPORT_MAX_MB = 1
    response = Client().post(
        path_of(p.links[p.police.pk]),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "The report must be smaller than 1MB. Nothing was sent." in text(response)
    assert not ReportDocument.objects.exists()


def test_the_agency_report_form_is_checked_before_it_is_sent(p):
    client = Client()
    token = p.token(p.health)
    form = reverse("portal:upload_form", args=[token])
    check_url = reverse("portal:upload_check", args=[token])
    with time_machine.travel(day(4), tick=False):
        missing = client.post(form, {**ANSWERS, "recommendation": ""})
        assert missing.status_code == 400 and "Answer: what do you recommend?" in text(missing)
        assert client.post(form, ANSWERS)["Location"] == check_url
        check = client.get(check_url)
        assert "Check your report before sending it" in text(check)
        assert ANSWERS["worries"] in text(check)
        assert p.report(p.health).received_at is None  # nothing sent by checking
        sent = client.post(check_url, follow=True)
    assert "Report sent" in text(sent)
    document = ReportDocument.objects.get(report__author=p.health)
    assert document.form == "template" and document.worries == ANSWERS["worries"]
    assert p.report(p.health).received_at == day(4)


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ("tamper", 404, "This link does not work"),
        ("expire", 410, "This link has expired"),
        ("cancel", 410, "This link is no longer valid"),
    ],
)
def test_a_tampered_expired_or_cancelled_link_changes_nothing(p, change, status, words):
    url = path_of(p.links[p.police.pk])
    at = NOW
    if change == "tamper":
        url = url[:-2] + ("A/" if url[-2] != "A" else "B/")
    elif change == "expire":
        at = STARTS + dt.timedelta(minutes=1)
    else:
        PortalLink.objects.filter(invitee=p.police).update(cancelled_at=NOW)
    with time_machine.travel(at, tick=False):
        page = Client().get(url)
        posted = Client().post(url, {"file": upload("r.pdf", PDF_BYTES)})
    assert page.status_code == status and words in text(page)
    assert posted.status_code == status
    assert not ReportDocument.objects.exists()


def test_guessing_tokens_is_stopped_by_the_attempt_limit(p):
    client = Client()
    codes = [client.get(f"/documents/report/guess{n}/").status_code for n in range(21)]
    assert codes[:20] == [404] * 20 and codes[20] == 429
    # Even the right link is refused from that address for a while.
    assert client.get(path_of(p.links[p.police.pk])).status_code == 429


# -- the family's page ------------------------------------------------------------------------


def shared(p, at=None):
    at = at or day(10)
    for invitee, when in ((p.social_worker, day(5)), (p.police, day(6))):
        with time_machine.travel(when, tick=False):
            portal.report_send(
                link=PortalLink.objects.get(invitee=invitee),
                now=when,
                upload=upload("r.pdf", PDF_BYTES),
            )
    before = len(mail.outbox)
    with time_machine.travel(at, tick=False):
        portal.reports_share(
            conference=p.conference,
            documents_=portal.latest_documents(p.conference),
            by=p.business_support,
            now=at,
        )
    return path_of(links_in(mail.outbox[before:])[p.mother.email])


def test_the_family_reads_the_reports_through_their_link_and_each_download_is_audited(p):
    url = shared(p)
    client = Client()
    with time_machine.travel(day(11), tick=False):
        page = client.get(url)
    assert page.status_code == 200
    body = text(page)
    assert (
        "Reports shared with you" in body and "Social worker" in body and "Police officer" in body
    )
    link = PortalLink.objects.get(invitee=p.mother, purpose="family")
    assert link.first_opened_at == day(11)
    document = ReportShare.objects.filter(invitee=p.mother).first().document
    download = client.get(f"{url}{document.pk}/")
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert "Ashdown" not in download["Content-Disposition"]
    events = AccessEvent.objects.filter(what="conference report, read through the family's link")
    assert {e.child_id for e in events} == {
        p.conference.children.first().pk,
        *p.conference.children.values_list("pk", flat=True),
    }
    assert all(e.user_id is None and e.detail["link"] == link.pk for e in events)
    # The link opens again: it is for reading as often as needed.
    assert client.get(url).status_code == 200


def test_a_family_link_shows_only_that_persons_reports(p):
    url = shared(p)
    other = ReportDocument.objects.create(
        report=p.report(p.social_worker),
        form="template",
        source="staff",
        received_at=day(12),
        **ANSWERS,
    )
    assert Client().get(f"{url}{other.pk}/").status_code == 404  # not shared with her


def test_the_family_email_says_until_when_the_link_works(p):
    shared(p)
    body = [m for m in mail.outbox if m.to == [p.mother.email]][-1].body
    assert "works until the end of Wednesday 31 March 2027" in body
    assert "Social worker" in body and "Police officer" in body


# -- business support's pages -----------------------------------------------------------------


@pytest.mark.parametrize("role", [*WRITERS, *READERS])
def test_those_who_read_the_conference_download_its_reports_and_are_audited(p, world, role):
    shared(p)
    document = portal.latest_documents(p.conference)[0]
    response = client_for(world.users[role]).get(
        staff("reports_document", p, document.report_id, document.pk)
    )
    assert response.status_code == 200 and response.content == PDF_BYTES
    event = AccessEvent.objects.filter(what="conference report").latest("at")
    assert event.user == world.users[role] and event.detail == {"report": document.pk}


def test_the_other_districts_manager_finds_no_report(p, world):
    shared(p)
    document = portal.latest_documents(p.conference)[0]
    client = client_for(world.users["other_district_manager"])
    assert (
        client.get(staff("reports_document", p, document.report_id, document.pk)).status_code == 404
    )
    assert client.get(staff("reports_share", p)).status_code == 404


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize(
    "name", ["reports_share", "reports_post", "reports_add", "portal_link_again"]
)
def test_readers_cannot_share_add_or_send_links(p, world, role, name):
    args = {
        "reports_add": [p.report(p.police).pk],
        "portal_link_again": [PortalLink.objects.get(invitee=p.police).pk],
    }.get(name, [])
    client = client_for(world.users[role])
    assert client.get(staff(name, p, *args)).status_code == 403
    assert client.post(staff(name, p, *args)).status_code == 403


def test_business_support_shares_after_a_check_and_sees_the_times(p, world):
    for invitee, when in ((p.social_worker, day(5)), (p.police, day(6))):
        with time_machine.travel(when, tick=False):
            portal.report_send(
                link=PortalLink.objects.get(invitee=invitee),
                now=when,
                upload=upload("r.pdf", PDF_BYTES),
            )
    documents = [str(d.pk) for d in portal.latest_documents(p.conference)]
    with time_machine.travel(day(10), tick=False):
        client = client_for(world.users[Role.BUSINESS_SUPPORT])
        choose = client.get(staff("reports_share", p))
        assert "Share the reports with the family" in text(choose)
        nothing = client.post(staff("reports_share", p), {})
        assert nothing.status_code == 400 and "Choose at least one report to share" in text(nothing)
        check = client.post(staff("reports_share", p), {"documents": documents})
        assert "Check before sharing the reports" in text(check)
        assert "Link by email to jo@family.example" in text(check) and "By post" in text(check)
        assert not ReportShare.objects.exists()  # nothing shared by the check
        done = client.post(staff("reports_share_confirm", p), {"documents": documents})
        assert done["Location"] == staff("reports_post", p)
        post_page = client.get(staff("reports_post", p))
        assert "Lee Ashdown" in text(post_page)
        pack = client.get(staff("reports_post_pack", p))
        assert pack.status_code == 200 and pack.content.startswith(b"%PDF-")
    with time_machine.travel(day(10.1), tick=False):
        client = client_for(world.users[Role.BUSINESS_SUPPORT])
        client.post(staff("reports_post", p))
        page = text(client.get(staff("invitees", p)))
    assert "Sent through their link" in page
    assert "11 Mar 2027, 09:00" in page  # shared with the parents
    assert "2 reports shared, first 11 Mar 2027, 09:00 (link by email)" in page
    assert "(printed and posted)" in page
    assert "Link not opened yet" in page


def test_business_support_adds_a_report_that_came_by_email(p, world):
    with time_machine.travel(day(3), tick=False):
        client = client_for(world.users[Role.BUSINESS_SUPPORT])
        wrong = client.post(
            staff("reports_add", p, p.report(p.police).pk),
            {"kind": "file", "file": upload("scan.pdf", b"not a pdf")},
        )
        assert wrong.status_code == 400 and "must be a PDF or a Word document" in text(wrong)
        client.post(
            staff("reports_add", p, p.report(p.police).pk),
            {"kind": "file", "file": upload("scan.pdf", PDF_BYTES)},
        )
    assert p.report(p.police).received_at == day(3)
    assert ReportDocument.objects.get().added_by == world.users[Role.BUSINESS_SUPPORT]


def test_the_invitees_page_warns_when_sharing_will_miss_its_deadline(p, world):
    with time_machine.travel(day(13.5), tick=False):  # 14 March, 9pm: 13 hours to the deadline
        page = text(client_for(world.users[Role.BUSINESS_SUPPORT]).get(staff("invitees", p)))
    assert "The social worker's report is not yet with the family" in page
    with time_machine.travel(day(5), tick=False):
        client = client_for(world.users[Role.BUSINESS_SUPPORT])
        assert "is not yet with the family" not in text(client.get(staff("invitees", p)))


def test_the_feedback_questionnaire_does_not_ask_what_the_record_knows(p):
    from conferences.models import Conference
    from quality_assurance import links
    from quality_assurance.models import FeedbackQuestionnaire, OneTimeLink
    from quality_assurance.questions import FEEDBACK

    shared(p, at=day(10))  # in time: the deadline was 15 March, 10am
    Conference.objects.filter(pk=p.conference.pk).update(status=Conference.Status.HELD)
    after = STARTS + dt.timedelta(days=1)
    with time_machine.travel(after, tick=False):
        link, token = links.new_link(
            purpose=OneTimeLink.Purpose.FEEDBACK,
            conference=p.conference,
            invitee=p.mother,
            now=after,
        )
        link.save()
        url = reverse("respond:feedback", args=[token])
        page = text(Client().get(url))
        asked = [q for q in FEEDBACK if q.question in page.replace("&#x27;", "'")]
        assert "Did you get the social worker" not in page
        assert len(asked) == len(FEEDBACK) - 1
        answers = {q.field: "partly" for q in asked} | {"stress_level": "2", "comments": ""}
        answers["report_received_in_time"] = "no"  # a value sent anyway is not the answer
        assert Client().post(url, answers).status_code == 302
    answer = FeedbackQuestionnaire.objects.get()
    assert answer.report_received_in_time == "yes" and answer.report_received_from_record
    assert answer.met_chair_before == "partly"
