"""Two people book the same chair at the same moment: one succeeds, the other is told.
Needs PostgreSQL: two real transactions on two connections, row locks between them."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from conferences.models import Conference
from conferences.services import booking

from .booking_world import TODAY, at, booking_world, review_request

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_bookings_of_one_chair_at_once_one_wins_and_the_other_is_told(world):
    people = booking_world(world)
    first_has_locked, outcome = threading.Event(), {}
    starts = at(dt.date(2027, 1, 27))

    def second_booker():
        # Waits on the first booker's lock of the chair, then sees its booking.
        try:
            first_has_locked.wait(10)
            south = {"household": world.south_child.household, "children": (world.south_child,)}
            request = review_request(
                world, people, starts_at=starts, venue=people["big"], minute_taker=None, **south
            )
            request = booking.BookingRequest(**{**request.__dict__, "kind": "transfer_in"})
            booking.conference_book(request=request, by=people["by"], now=TODAY)
            outcome["second"] = "booked"
        except ValidationError as error:
            outcome["second"] = error.message_dict
        finally:
            connection.close()

    thread = threading.Thread(target=second_booker)
    with transaction.atomic():
        booking.conference_book(
            request=review_request(world, people, starts_at=starts), by=people["by"], now=TODAY
        )
        thread.start()
        first_has_locked.set()
        thread.join(1.5)  # the second booker is blocked on the chair's row, not finished
        assert thread.is_alive()
    thread.join(10)
    assert "already booked" in outcome["second"]["chair"][0]
    assert Conference.objects.filter(chair=people["iro"]).count() == 1
