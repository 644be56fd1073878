"""A booked conference for the invitation tests: the personas' north household (Robin and Sky
Ashdown), booked for Wednesday 17 March 2027 at 10am; the tests set the clock to NOW,
1 March 2027."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from conferences.models import Conference, ConferenceChild, Venue
from people.models import Role

from ..factories import ConferenceFactory, FamilyMemberFactory, VenueFactory

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)
STARTS = dt.datetime(2027, 3, 17, 10, 0, tzinfo=LONDON)
VENUE = "Northbridge Children's Centre"


@dataclass
class Booked:
    conference: Conference
    mother: object
    father: object
    business_support: object


def book(world, *, starts=STARTS, **fields) -> Conference:
    household = world.child.household
    conference = ConferenceFactory(
        household=household,
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
        scheduled_for=starts,
        ends_at=starts + dt.timedelta(hours=2),
        venue=Venue.objects.filter(name=VENUE).first()
        or VenueFactory(
            name=VENUE, district=world.north, address="1 Mill Lane\nNorthbridge\nNB1 2AB"
        ),
        invitations_due_by=dt.date(2027, 2, 17),
        reports_requested_by=dt.date(2027, 2, 3),
        reports_due_by=dt.date(2027, 3, 10),
        report_share_due_by=starts - dt.timedelta(hours=48),
        **fields,
    )
    for child in (world.child, world.sibling):
        ConferenceChild.objects.create(conference=conference, child=child)
    return conference


def booked_world(world) -> Booked:
    """The booked conference, the social worker and team manager on both children's records,
    and the parents on the household's (the father with no email)."""
    for child in (world.child, world.sibling):
        child.social_worker_name = "Sam Okafor"
        child.social_worker_team = "Northbridge Child Protection Team"
        child.social_worker_email = "sam.okafor@council.example"
        child.team_manager_name = "Priya Shah"
        child.team_manager_email = "priya.shah@council.example"
        child.save()
    household = world.child.household
    household.address, household.postcode = "12 Canal Street\nNorthbridge", "NB3 4CD"
    household.save()
    mother = FamilyMemberFactory(
        household=household, name="Jo Ashdown", relationship="mother", email="jo@family.example"
    )
    father = FamilyMemberFactory(
        household=household, name="Lee Ashdown", relationship="father", email=""
    )
    return Booked(book(world), mother, father, world.users[Role.BUSINESS_SUPPORT])
