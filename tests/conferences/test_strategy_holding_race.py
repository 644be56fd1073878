"""Two people record the same strategy meeting as held at the same moment: one succeeds, the
other is told. Needs PostgreSQL: two real transactions on two connections, a row lock."""

import threading

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction

from conferences.models import S47Enquiry, StrategyMeeting, StrategyMeetingAttendance
from conferences.services import strategy_holding
from people.models import Role

from .test_strategy_holding_world import NOW, book_meeting, hold_input

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_holds_at_once_one_wins_and_the_other_is_told(world):
    meeting = book_meeting(world)
    first_has_locked, outcome = threading.Event(), {}

    def second_chair():
        try:
            first_has_locked.wait(10)
            strategy_holding.strategy_meeting_hold(
                meeting=meeting, by=world.users[Role.SENIOR_IRO], now=NOW, **hold_input(world)
            )
            outcome["second"] = "held"
        except ValidationError as error:
            outcome["second"] = error.message_dict
        finally:
            connection.close()

    thread = threading.Thread(target=second_chair)
    with transaction.atomic():
        strategy_holding.strategy_meeting_hold(
            meeting=meeting, by=world.users[Role.IRO], now=NOW, **hold_input(world)
        )
        thread.start()
        first_has_locked.set()
        thread.join(1.5)  # blocked on the meeting's row, not finished
        assert thread.is_alive()
    thread.join(10)
    assert outcome["second"][NON_FIELD_ERRORS] == [
        "This strategy meeting has already been recorded as held."
    ]
    assert StrategyMeeting.objects.get(pk=meeting.pk).held_recorded_by == world.users[Role.IRO]
    assert StrategyMeetingAttendance.objects.count() == 3
    assert S47Enquiry.objects.filter(strategy_meeting=meeting).count() == 1
