"""Business support's at-a-glance list of feedback links still to send: held conferences of
the last weeks with a parent or carer invited and not yet sent a link."""

import datetime as dt

import pytest
import time_machine

from conferences.models import Conference
from people.models import Role
from quality_assurance.models import OneTimeLink
from quality_assurance.selectors import feedback_to_send
from tests.factories import LONDON, ConferenceFactory, HouseholdFactory, InviteeFactory
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _held(world, on: dt.date, *, parents: int = 1):
    conference = ConferenceFactory(
        household=HouseholdFactory(district=world.north),
        status=Conference.Status.HELD,
        scheduled_for=dt.datetime.combine(on, dt.time(10), tzinfo=LONDON),
    )
    invitees = [
        InviteeFactory(conference=conference, agency="family", role="Mother")
        for _ in range(parents)
    ]
    InviteeFactory(conference=conference, agency="police")
    return conference, invitees


def test_lists_held_conferences_whose_parents_have_no_link_yet(world):
    recent, parents = _held(world, dt.date(2026, 11, 25), parents=2)
    done, done_parents = _held(world, dt.date(2026, 11, 20))
    _held(world, dt.date(2026, 10, 1))  # longer ago than a link would last
    OneTimeLink.objects.create(
        purpose=OneTimeLink.Purpose.FEEDBACK,
        conference=done,
        invitee=done_parents[0],
        token_hash="a" * 64,
        code="ABCDEFGHJK",
        created_at=dt.datetime(2026, 11, 21, tzinfo=LONDON),
        expires_at=dt.datetime(2026, 12, 19, tzinfo=LONDON),
    )
    listed = list(feedback_to_send(world.users[Role.BUSINESS_SUPPORT], today=TODAY))
    assert [(c.pk, c.waiting) for c in listed] == [(recent.pk, 2)]


def test_business_support_see_it_on_the_paperwork_page_and_others_do_not(world):
    recent, _ = _held(world, dt.date(2026, 11, 25))
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=LONDON), tick=False):
        page = client_for(world.users[Role.BUSINESS_SUPPORT]).get("/conferences/paperwork/")
        assert "Feedback links to send" in page.text
        assert f"/quality/feedback/conferences/{recent.pk}/links/" in page.text
        other = client_for(world.users[Role.AUDITOR]).get("/conferences/paperwork/")
    assert other.status_code == 200 and "Feedback links to send" not in other.text
