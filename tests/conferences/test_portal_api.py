"""The document portal through the API (conferences/api/portal.py): a conference's reports with
their received and shared times and link states, each document as a file (in the access audit),
and sharing with the family, for each role: readers 200, writers only share, 403 for the
others, 404 for the other district, 400 with {field: [messages]} and nothing changed."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from audit.models import AccessEvent
from conferences.models import ReportShare
from conferences.services import portal
from people.models import Role

from ..fixtures import client_for
from .portal_world import ANSWERS, NOW, PDF_BYTES, day, portal_world, private_reports, upload
from .test_portal_services import link_of

pytestmark = pytest.mark.django_db

READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.BUSINESS_SUPPORT,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
NOT_SHARERS = [Role.IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]


@pytest.fixture
def p(world, settings, tmp_path, monkeypatch):
    private_reports(settings, tmp_path, monkeypatch)
    with time_machine.travel(NOW, tick=False):
        p = portal_world(world)
    with time_machine.travel(day(2), tick=False):
        portal.report_send(
            link=link_of(p, p.police), now=day(2), upload=upload("police.pdf", PDF_BYTES)
        )
        portal.report_send(link=link_of(p, p.social_worker), now=day(2), answers=ANSWERS)
    return p


@pytest.fixture(autouse=True)
def _two_days_later(p):
    """Each test signs in and asks on the fourth day, the reports in since the second."""
    with time_machine.travel(day(4), tick=False):
        yield


def reports_url(p) -> str:
    return reverse("api:conference-reports", args=[p.conference.pk])


def get_reports(client, p):
    return client.get(reports_url(p))


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_reports_with_their_times_and_link_states(p, world, role):
    response = get_reports(client_for(world.users[role]), p)

    assert response.status_code == 200
    rows = {row["author_name"]: row for row in response.json()}
    assert set(rows) == {"Sam Okafor", "PC Dawn Hale", "Mo Reyes"}
    police = rows["PC Dawn Hale"]
    assert police["received_at"] == "2027-03-03T09:00:00Z"
    assert police["upload_link"] == "used"
    (document,) = police["documents"]
    assert (document["form"], document["source"], document["size"]) == (
        "file",
        "link",
        len(PDF_BYTES),
    )
    assert rows["Sam Okafor"]["documents"][0]["form"] == "template"
    assert rows["Mo Reyes"]["received_at"] is None and rows["Mo Reyes"]["upload_link"] == "valid"
    assert rows["Mo Reyes"]["documents"] == []


def test_the_other_districts_manager_finds_no_conference(p, world):
    client = client_for(world.users["other_district_manager"])
    assert get_reports(client, p).status_code == 404


def test_reading_a_document_through_the_api_is_in_the_access_audit(p, world):
    client = client_for(world.users[Role.AUDITOR])
    police = next(r for r in get_reports(client, p).json() if r["author_name"] == "PC Dawn Hale")
    before = AccessEvent.objects.count()

    response = client.get(police["documents"][0]["file_url"])

    assert response.status_code == 200 and response.content == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    events = AccessEvent.objects.order_by("pk")[before:]
    assert {e.child_id for e in events} == {world.child.pk, world.sibling.pk}
    assert {e.user for e in events} == {world.users[Role.AUDITOR]}


def _documents(client, p) -> list[int]:
    return [d["id"] for row in get_reports(client, p).json() for d in row["documents"]]


def test_business_support_shares_through_the_api_as_on_the_page(p, world):
    client = client_for(p.business_support)
    chosen = _documents(client, p)
    response = client.post(
        reverse("api:conference-reports-share", args=[p.conference.pk]),
        {"documents": chosen},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "emailed": [p.mother.pk],
        "failed": [],
        "letters": [p.father.pk],
    }
    assert [m.to for m in mail.outbox if "/documents/family/" in m.body] == [[p.mother.email]]
    assert set(ReportShare.objects.values_list("invitee", flat=True)) == {p.mother.pk}
    rows = get_reports(client, p).json()
    social_worker = next(r for r in rows if r["author_name"] == "Sam Okafor")
    assert social_worker["shared_with_parents_at"] == "2027-03-05T09:00:00Z"
    assert social_worker["documents"][0]["shares"] == [
        {"invitee": p.mother.pk, "method": "email", "shared_at": "2027-03-05T09:00:00Z"}
    ]


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        ([], "This list may not be empty."),
        ([999_999], "No report of this conference has the id 999999"),
    ],
)
def test_a_refused_share_says_why_and_shares_nothing(p, documents, message):
    client = client_for(p.business_support)
    response = client.post(
        reverse("api:conference-reports-share", args=[p.conference.pk]),
        {"documents": documents},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"documents": [message]}
    assert not ReportShare.objects.exists()


def test_sharing_twice_is_refused_with_the_services_words(p):
    client = client_for(p.business_support)
    chosen = _documents(client, p)
    url = reverse("api:conference-reports-share", args=[p.conference.pk])
    client.post(url, {"documents": chosen}, content_type="application/json")
    portal.reports_posted(conference=p.conference, by=p.business_support, now=day(4))
    again = client.post(url, {"documents": chosen}, content_type="application/json")
    assert again.status_code == 400
    assert again.json() == {"documents": ["These reports are already shared with everyone"]}


@pytest.mark.parametrize("role", NOT_SHARERS)
def test_readers_may_not_share(p, world, role):
    client = client_for(world.users[role])
    chosen = _documents(client, p)
    response = client.post(
        reverse("api:conference-reports-share", args=[p.conference.pk]),
        {"documents": chosen},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ReportShare.objects.exists()


def test_the_reports_cost_the_same_queries_however_many_links_and_shares(
    p, django_assert_max_num_queries
):
    client = client_for(p.business_support)
    client.get(reports_url(p))  # the session and the user are read once
    with django_assert_max_num_queries(12):
        assert len(client.get(reports_url(p)).json()) == 3
    client.post(
        reverse("api:conference-reports-share", args=[p.conference.pk]),
        {"documents": _documents(client, p)},
        content_type="application/json",
    )
    with django_assert_max_num_queries(12):
        rows = client.get(reports_url(p)).json()
    assert sum(len(d["shares"]) for row in rows for d in row["documents"]) == 2
