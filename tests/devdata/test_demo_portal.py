"""The demo shows the document portal at work: this afternoon's conference has its reports in
and shared with the family in time, and the next booking has reports asked for, one in and the
others' links working from the emails in the outbox."""

import re
from datetime import date, timedelta

import pytest
import time_machine

from conferences import portal_links
from conferences.letters import meeting_context
from conferences.models import Conference, PortalLink, ReportDocument, ReportShare
from devdata.demo.base import DEMO_USERNAMES, at
from devdata.demo.load import load_demo_data
from outbox.models import OutboxMessage
from people.models import User

TODAY = date(2025, 6, 30)


@pytest.fixture
def demo(db):
    load_demo_data(
        today=TODAY, seed=2012, password="x", scale=0.3
    )  # at 0.1 the demo IRO has no bookings ahead
    iro = User.objects.get(username=DEMO_USERNAMES["iro"])
    booked = Conference.objects.filter(chair=iro, status=Conference.Status.BOOKED)
    shared = booked.filter(date=TODAY, report_shared_at__isnull=False)
    assert shared.count() == 1  # one of today's two
    return shared.get(), booked.filter(date__gt=TODAY).order_by("scheduled_for").first()


def test_this_afternoons_reports_came_through_their_links_and_were_shared_in_time(demo):
    afternoon, _ = demo
    assert afternoon is not None
    documents = ReportDocument.objects.filter(report__conference=afternoon)
    assert {d.report.author.agency for d in documents} == {"social_care", "police", "school"}
    assert {d.source for d in documents} == {ReportDocument.Source.LINK}
    police = documents.get(report__author__agency="police")
    assert police.form == ReportDocument.Form.FILE and police.file.read().startswith(b"%PDF-")
    assert documents.get(report__author__agency="school").worries
    # Shared four days before, so the 48-hour deadline of a review was met.
    afternoon.refresh_from_db()
    social_worker = documents.get(report__author__agency="social_care")
    first_shared = min(social_worker.shares.values_list("shared_at", flat=True))
    assert afternoon.report_shared_at == first_shared == at(TODAY - timedelta(days=4), 10)
    assert afternoon.scheduled_for - afternoon.report_shared_at > timedelta(hours=48)
    # Everyone was invited (by email, or by a printed letter) before reports were asked for.
    asked = min(r.requested_at for r in afternoon.report_requests.all())
    invited = [i.invited_at for i in afternoon.invitees.all()]
    assert None not in invited and max(invited) < asked
    assert {i.invited_by for i in afternoon.invitees.all()} >= {"email"}
    family = afternoon.invitees.filter(agency="family")
    assert family.exists()
    for member in family:
        shared = ReportShare.objects.filter(invitee=member)
        assert shared.count() == 3
        assert {s.method for s in shared} == {"email" if member.email else "post"}
    # The family member with an email address got a link, and opened it the next evening.
    links = PortalLink.objects.filter(conference=afternoon, purpose="family").order_by("pk")
    assert links.first().first_opened_at == at(TODAY - timedelta(days=3), 19, 12)


def test_the_next_booking_has_one_report_in_and_working_links_for_the_others(demo, client):
    _, upcoming = demo
    assert upcoming is not None
    assert not upcoming.invitees.filter(invited_at=None).exists()
    requests = upcoming.report_requests.select_related("author")
    assert requests.count() == 3
    received = {r.author.agency for r in requests if r.documents.exists()}
    assert received == {"police"}
    waiting = PortalLink.objects.filter(conference=upcoming, purpose="upload", used_at=None)
    now = at(TODAY, 9)
    assert [portal_links.state(link, now) for link in waiting] == [portal_links.VALID] * 2
    # The request emails are in the outbox: their links open the upload page.
    day = meeting_context(upcoming)["day"]
    bodies = [m.body for m in OutboxMessage.objects.filter(subject__startswith="Report requested")]
    bodies = [body for body in bodies if day in body]
    urls = {u for body in bodies for u in re.findall(r"https?://\S+/documents/report/\S+/", body)}
    assert len(urls) == 3
    with time_machine.travel(now):
        opened = [client.get(re.sub(r"^https?://[^/]+", "", url)) for url in urls]
    assert sorted(page.status_code for page in opened) == [200, 200, 410]
    used = next(page for page in opened if page.status_code == 410)
    assert "already" in used.content.decode()  # the police's link is used up
