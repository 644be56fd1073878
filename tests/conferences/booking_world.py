"""A small authority to book in: a household of two children on plans, an IRO with a
profile, a second IRO, a minute taker and two venues. Built through the services."""

import datetime as dt
from zoneinfo import ZoneInfo

from conferences.services.booking import BookingRequest
from people.models import Role
from plans.services import plan_start

from ..factories import IROProfileFactory, UserFactory, VenueFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)  # a Monday


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def booking_world(world):
    iro = UserFactory(username="iro_jo", first_name="Jo", last_name="Chair", role=Role.IRO)
    IROProfileFactory(user=iro)
    other_iro = UserFactory(username="iro_sam", first_name="Sam", last_name="Other", role=Role.IRO)
    taker = UserFactory(
        username="minutes", first_name="Min", last_name="Taker", role=Role.BUSINESS_SUPPORT
    )
    venue = VenueFactory(name="Northbridge Office", district=world.north, rooms=1)
    big = VenueFactory(name="Northbridge Centre", district=world.north, rooms=2)
    by = world.users[Role.BUSINESS_SUPPORT]
    for child in (world.child, world.sibling):
        plan_start(child=child, start_date=dt.date(2026, 11, 2), category="NEG", by=iro)
    return {
        "iro": iro,
        "other_iro": other_iro,
        "taker": taker,
        "venue": venue,
        "big": big,
        "by": by,
    }


def review_request(world, people, *, starts_at, **changes) -> BookingRequest:
    values = {
        "kind": "review",
        "household": world.child.household,
        "starts_at": starts_at,
        "children": (world.child, world.sibling),
        "chair": people["iro"],
        "venue": people["venue"],
        "minute_taker": people["taker"],
    }
    return BookingRequest(**{**values, **changes})
