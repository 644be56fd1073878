"""factory_boy factories for the records the tests need. Invented data only."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from children.models import Child, Household, LookedAfterEpisode
from conferences.models import Conference, ConferenceChild, StrategyMeeting, Venue
from people.models import District, IROProfile, Role, User
from plans.models import ChildProtectionPlan

LONDON = ZoneInfo("Europe/London")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"District {n}")
    code = factory.Sequence(lambda n: f"d{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Tester"
    role = Role.IRO
    password = factory.django.Password("correct-horse-battery")


class IROProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IROProfile

    user = factory.SubFactory(UserFactory)
    qualification_year = 1998
    began_as_iro_year = 2006


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"H{n:05d}")
    district = factory.SubFactory(DistrictFactory)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    local_id = factory.Sequence(lambda n: f"C{n:06d}")
    first_name = factory.Sequence(lambda n: f"Kit{n}")
    last_name = "Example"
    date_of_birth = dt.date(2015, 6, 1)
    household = factory.SubFactory(HouseholdFactory)
    district = factory.SelfAttribute("household.district")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildProtectionPlan

    child = factory.SubFactory(ChildFactory)
    start_date = dt.date(2024, 1, 10)
    initial_category = "NEG"
    latest_category = factory.SelfAttribute("initial_category")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = Venue.Kind.DISTRICT_OFFICE
    district = factory.SubFactory(DistrictFactory)


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    kind = Conference.Kind.INITIAL
    status = Conference.Status.HELD
    household = factory.SubFactory(HouseholdFactory)
    scheduled_for = factory.LazyFunction(lambda: dt.datetime(2024, 1, 10, 10, 0, tzinfo=LONDON))


class ConferenceChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferenceChild

    conference = factory.SubFactory(ConferenceFactory)
    child = factory.SubFactory(ChildFactory)


class StrategyMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyMeeting

    kind = StrategyMeeting.Kind.CHILD_PROTECTION
    scheduled_for = factory.LazyFunction(lambda: dt.datetime(2023, 12, 15, 14, 0, tzinfo=LONDON))
    district = factory.SubFactory(DistrictFactory)


class LookedAfterEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LookedAfterEpisode

    child = factory.SubFactory(ChildFactory)
    started_on = dt.date(2024, 3, 1)
    legal_status = LookedAfterEpisode.LegalStatus.SECTION_20
    placement_type = LookedAfterEpisode.PlacementType.FOSTER_OTHER_IN_AREA


# Invitations (conferences/services/invitations.py). Models named by label, so the imports
# above stay as they are.
class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "children.FamilyMember"

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"Parent{n} Example")
    relationship = "mother"
    email = factory.Sequence(lambda n: f"parent{n}@family.example")
    has_parental_responsibility = True


class InviteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.Invitee"

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Invitee{n} Example")
    agency = "police"
    role = "Police officer"
    email = factory.Sequence(lambda n: f"invitee{n}@agency.example")
