"""Recording core groups and visits: good and bad input (nothing saved), the stored due dates
the plan keeps, its history, and recomputing those dates for every plan at once."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Role
from plans import services
from plans.models import ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

from ..factories import ChildFactory, PlanFactory
from .contacts_world import FIRST_DUE, NOW, STARTED, TODAY, contacts_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def contacts(world):
    return contacts_world(world)


@pytest.fixture
def support(world):
    return world.users[Role.BUSINESS_SUPPORT]


def _fresh(plan) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.get(pk=plan.pk)


def _record_core_group(plan, by, **changes):
    values = {
        "plan": plan,
        "held_on": dt.date(2026, 3, 12),
        "attendees": "Pat Social (social worker)\nDee Health (health visitor)",
        "note": "Plan reviewed.",
        "by": by,
    }
    return services.core_group_record(**{**values, **changes})


def _record_visit(plan, by, **changes):
    values = {
        "plan": plan,
        "visited_on": dt.date(2026, 3, 13),
        "child_seen": True,
        "child_seen_alone": True,
        "visited_by": "Pat Social",
        "note": "",
        "by": by,
    }
    return services.visit_record(**{**values, **changes})


def test_starting_a_plan_stores_when_the_first_core_group_and_visit_are_due(contacts):
    plan = contacts.plan
    assert plan.first_core_group_due_by == FIRST_DUE
    assert plan.next_core_group_due_by == FIRST_DUE
    assert plan.next_visit_due_by == FIRST_DUE


def test_a_plan_started_before_easter_counts_working_days_past_the_bank_holidays(world):
    iro = world.users[Role.IRO]
    # Thu 26 March 2026: 27, 30, 31 March, 1, 2, (Good Friday, Easter Monday) 7, 8, 9, 10, 13.
    plan = services.plan_start(
        child=ChildFactory(), start_date=dt.date(2026, 3, 26), category="EMO", by=iro
    )
    assert plan.first_core_group_due_by == dt.date(2026, 4, 13)
    assert plan.next_visit_due_by == dt.date(2026, 4, 13)


def test_recording_a_core_group_moves_the_next_one_to_a_month_later(contacts, support):
    meeting = _record_core_group(contacts.plan, support)
    plan = _fresh(contacts.plan)
    assert plan.next_core_group_due_by == dt.date(2026, 4, 12)
    assert plan.first_core_group_due_by == FIRST_DUE  # when the first was due stays
    assert plan.next_visit_due_by == FIRST_DUE  # a core group is not a visit
    assert meeting.recorded_by == support
    assert meeting.attendees.startswith("Pat Social")


def test_the_latest_core_group_governs_even_if_an_earlier_one_is_recorded_after(contacts, support):
    _record_core_group(contacts.plan, support, held_on=dt.date(2026, 3, 12))
    _record_core_group(contacts.plan, support, held_on=dt.date(2026, 3, 5))
    assert _fresh(contacts.plan).next_core_group_due_by == dt.date(2026, 4, 12)


def test_a_core_group_keeps_its_history_and_the_plans_change_names_who_and_why(contacts, support):
    meeting = _record_core_group(contacts.plan, support)
    created = meeting.history.get()
    assert created.history_user == support
    assert created.history_change_reason == "Core group recorded"
    change, before = contacts.plan.history.order_by("-history_id")[:2]
    assert change.history_user == support
    assert change.history_change_reason == "Core group recorded"
    assert change.next_core_group_due_by == dt.date(2026, 4, 12)
    assert before.next_core_group_due_by == FIRST_DUE


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"held_on": dt.date(2026, 3, 17)}, "held_on", "cannot be in the future"),
        ({"held_on": dt.date(2026, 3, 1)}, "held_on", "before the plan started (2 March 2026)"),
        ({"attendees": "  \n "}, "attendees", "Enter who attended"),
    ],
)
def test_a_core_group_refused_saves_nothing(contacts, support, changes, field, message):
    history = contacts.plan.history.count()
    with pytest.raises(ValidationError) as refused:
        _record_core_group(contacts.plan, support, **changes)
    assert message in " ".join(refused.value.message_dict[field])
    assert not CoreGroupMeeting.objects.exists()
    assert contacts.plan.history.count() == history
    assert _fresh(contacts.plan).next_core_group_due_by == FIRST_DUE


def test_the_same_core_group_is_not_recorded_twice(contacts, support):
    _record_core_group(contacts.plan, support)
    with pytest.raises(ValidationError, match="already recorded"):
        _record_core_group(contacts.plan, support)
    assert CoreGroupMeeting.objects.count() == 1


def test_nothing_is_recorded_after_a_plan_ended_and_an_ended_plan_has_nothing_due(
    contacts, support, world
):
    services.plan_end(
        plan=contacts.plan, end_date=dt.date(2026, 3, 10), reason="other", by=world.users[Role.IRO]
    )
    plan = _fresh(contacts.plan)
    assert plan.next_core_group_due_by is None and plan.next_visit_due_by is None
    assert plan.first_core_group_due_by == FIRST_DUE
    with pytest.raises(ValidationError) as refused:
        _record_core_group(plan, support, held_on=dt.date(2026, 3, 11))
    assert "after the plan ended (10 March 2026)" in refused.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError, match="after the plan ended"):
        _record_visit(plan, support, visited_on=dt.date(2026, 3, 12))
    # One held while the plan was open is recorded late; still nothing is due.
    _record_core_group(plan, support, held_on=dt.date(2026, 3, 9))
    _record_visit(plan, support, visited_on=dt.date(2026, 3, 9))
    plan = _fresh(plan)
    assert plan.next_core_group_due_by is None and plan.next_visit_due_by is None


def test_recording_a_visit_moves_the_next_one_ten_working_days_on(contacts, world):
    iro = world.users[Role.IRO]
    visit = _record_visit(contacts.plan, iro)
    # Fri 13 March 2026: 16-20, 23-27 March.
    assert _fresh(contacts.plan).next_visit_due_by == dt.date(2026, 3, 27)
    assert _fresh(contacts.plan).next_core_group_due_by == FIRST_DUE
    assert visit.history.get().history_change_reason == "Visit recorded"
    assert visit.recorded_by == iro and visit.child_seen_alone


def test_a_visit_where_the_child_was_not_seen_still_counts_as_a_visit(contacts, support):
    visit = _record_visit(contacts.plan, support, child_seen=False, child_seen_alone=False)
    assert not visit.child_seen
    assert _fresh(contacts.plan).next_visit_due_by == dt.date(2026, 3, 27)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"child_seen": False, "child_seen_alone": True}, "child_seen_alone", "not seen"),
        ({"visited_on": dt.date(2026, 3, 17)}, "visited_on", "cannot be in the future"),
        ({"visited_on": dt.date(2026, 2, 27)}, "visited_on", "before the plan started"),
        ({"visited_by": " "}, "visited_by", "Enter who made the visit"),
    ],
)
def test_a_visit_refused_saves_nothing(contacts, support, changes, field, message):
    history = contacts.plan.history.count()
    with pytest.raises(ValidationError) as refused:
        _record_visit(contacts.plan, support, **changes)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ProtectionVisit.objects.exists()
    assert contacts.plan.history.count() == history


def test_a_child_not_yet_born_cannot_have_been_seen(world, support):
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=dt.date(2026, 5, 1))
    plan = services.plan_start(
        child=unborn,
        start_date=STARTED,
        category="NEG",
        by=world.users[Role.IRO],
        is_pre_birth=True,
    )
    with pytest.raises(ValidationError) as refused:
        _record_visit(plan, support, child_seen=True, child_seen_alone=False)
    assert "was not born by 13 March 2026" in refused.value.message_dict["child_seen"][0]
    # A visit to the expectant mother: the child not seen.
    _record_visit(plan, support, child_seen=False, child_seen_alone=False)
    assert _fresh(plan).next_visit_due_by == dt.date(2026, 3, 27)


def test_the_same_visit_is_not_recorded_twice_but_two_visitors_on_a_day_are(contacts, support):
    _record_visit(contacts.plan, support)
    with pytest.raises(ValidationError, match="already recorded"):
        _record_visit(contacts.plan, support, visited_by="pat social")
    _record_visit(contacts.plan, support, visited_by="Sam Duty")
    assert ProtectionVisit.objects.count() == 2


def test_recomputing_stores_every_plans_dates_from_what_is_recorded(contacts, settings):
    # Written without the services, as the generators and imports write them.
    bare = PlanFactory(start_date=dt.date(2026, 1, 5))
    CoreGroupMeeting.objects.create(plan=bare, held_on=dt.date(2026, 1, 31))
    ProtectionVisit.objects.create(plan=bare, visited_on=dt.date(2026, 3, 6))
    ended = PlanFactory(
        start_date=dt.date(2025, 6, 2),
        end_date=dt.date(2026, 1, 5),
        end_reason="other",
        next_core_group_due_by=dt.date(2026, 1, 10),
        next_visit_due_by=dt.date(2026, 1, 12),
        first_core_group_due_by=dt.date(2025, 6, 16),
    )
    assert services.plans_recompute_contact_deadlines() == 2  # the world's plans are right
    bare.refresh_from_db()
    assert bare.first_core_group_due_by == dt.date(2026, 1, 19)
    assert bare.next_core_group_due_by == dt.date(2026, 2, 28)  # a month from 31 January
    assert bare.next_visit_due_by == dt.date(2026, 3, 20)
    change = bare.history.order_by("-history_id").first()
    assert change.history_change_reason == "Core group and visit dates recomputed"
    assert change.history_user is None
    ended.refresh_from_db()
    assert ended.next_core_group_due_by is None and ended.next_visit_due_by is None
    assert ended.first_core_group_due_by == dt.date(2025, 6, 16)
    assert services.plans_recompute_contact_deadlines() == 0  # safe to run again

    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, "CP_VISIT_WORKING_DAYS": 5}
    assert services.plans_recompute_contact_deadlines() == 4  # every open plan's visit date
    bare.refresh_from_db()
    assert bare.next_visit_due_by == dt.date(2026, 3, 13)
    assert _fresh(contacts.plan).next_visit_due_by == dt.date(2026, 3, 9)


def _recompute_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        services.plans_recompute_contact_deadlines()
    return len(queries)


def test_recomputing_takes_the_same_queries_for_many_plans_as_for_a_few(db):
    def plans(count, start):
        for number in range(count):
            plan = PlanFactory(start_date=start + dt.timedelta(days=number % 20))
            CoreGroupMeeting.objects.create(plan=plan, held_on=plan.start_date)
            ProtectionVisit.objects.create(plan=plan, visited_on=plan.start_date)

    plans(3, dt.date(2025, 1, 6))
    few = _recompute_queries()
    ChildProtectionPlan.objects.update(next_visit_due_by=None)
    plans(60, dt.date(2025, 3, 3))
    many = _recompute_queries()
    assert ChildProtectionPlan.objects.filter(next_visit_due_by__isnull=True).count() == 0
    # Reads, one update and one insert of history rows per batch: SQLite caps a batch by its
    # limit on a statement's parameters, so 63 plans' history rows may take two inserts.
    assert many <= few + 2


def test_the_recompute_command_stores_the_contact_dates_too(contacts, settings):
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, "FIRST_CORE_GROUP_WORKING_DAYS": 5}
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert "3 plan(s) had their core group or visit dates changed" in out.getvalue()
    # Five working days from Mon 2 March 2026.
    assert _fresh(contacts.plan).next_core_group_due_by == dt.date(2026, 3, 9)
    assert _fresh(contacts.plan).first_core_group_due_by == dt.date(2026, 3, 9)
    assert TODAY > dt.date(2026, 3, 9)
