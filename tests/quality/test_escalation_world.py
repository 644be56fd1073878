"""Shared set-up for the escalation tests: a held conference for the world's child and
sibling (chaired by the world's IRO), its completed QA form, and an escalation raiser."""

import datetime as dt

from django.utils import timezone

from conferences.models import Conference
from people.models import Role
from quality_assurance.models import Escalation, QAForm
from quality_assurance.services import escalations as service
from tests.factories import LONDON, ConferenceChildFactory, ConferenceFactory

# Tuesday 1 December 2026; five working days on is Tuesday 8 December.
TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


def held_conference(world) -> Conference:
    conference = ConferenceFactory(
        household=world.child.household,
        status=Conference.Status.HELD,
        kind=Conference.Kind.REVIEW,
        scheduled_for=dt.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON),
        chair=world.users[Role.IRO],
    )
    ConferenceChildFactory(conference=conference, child=world.child)
    ConferenceChildFactory(conference=conference, child=world.sibling)
    return conference


def qa_form(world, **answers) -> QAForm:
    conference = held_conference(world)
    return QAForm.objects.create(
        conference=conference,
        completed_by=world.users[Role.IRO],
        completed_at=timezone.now(),
        escalation_needed=True,
        **answers,
    )


def raised(world, *, by=None, child=None, today=TODAY, **overrides) -> Escalation:
    fields = {
        "child": child or world.child,
        "theme": Escalation.Theme.VISITS,
        "concern": "Visits have not happened for six weeks.",
        "what_must_change": "Visits every ten working days, recorded.",
        "level": Escalation.Level.SOCIAL_WORKER,
        "addressed_to_name": "Sam Social",
        "addressed_to_email": "sam.social@council.example",
        "by": by or world.users[Role.IRO],
        "today": today,
    }
    fields.update(overrides)
    return service.escalation_raise(**fields)
