"""The lists an audit is drawn from (§7.7.1, §9.2), and the cases it keeps once started."""

import datetime as dt

import pytest
import time_machine

from case_audits import services
from case_audits.models import AuditCase, Theme
from case_audits.selectors import candidates_for
from people.models import Role
from plans import services as plan_services
from reporting.selectors import repeat_plans_for

from ..factories import ChildFactory, PlanFactory
from .helpers import NOW, TODAY, ended_plan

pytestmark = pytest.mark.django_db


def _children(world, theme, on=TODAY, **kwargs):
    found = candidates_for(user=world.users[Role.SENIOR_IRO], theme=theme, on=on, **kwargs)
    return {c.child for c in found}


def test_repeat_plans_are_those_replanned_within_12_months_of_the_previous_ending(world):
    eleven = ChildFactory(first_name="Eleven")
    ended_plan(eleven, dt.date(2025, 1, 10), dt.date(2026, 3, 15))
    PlanFactory(child=eleven, start_date=dt.date(2027, 2, 15))  # 11 months after it ended
    thirteen = ChildFactory(first_name="Thirteen")
    ended_plan(thirteen, dt.date(2024, 6, 1), dt.date(2026, 1, 10))
    PlanFactory(child=thirteen, start_date=dt.date(2027, 2, 15))  # 13 months after
    first_time = ChildFactory(first_name="First")
    PlanFactory(child=first_time, start_date=dt.date(2027, 1, 5))

    chosen = _children(world, Theme.REPEAT_PLANS)

    assert chosen == {eleven}
    # Drawn from the monthly repeat plans list: both repeats are on it, and the theme keeps
    # the one within 12 months of the previous plan ending (§7.7.1).
    listed = {p.child for p in repeat_plans_for(world.users[Role.SENIOR_IRO], on=TODAY)}
    assert listed == {eleven, thirteen}
    assert chosen <= listed


def test_plans_over_two_years_are_open_plans_of_two_years_or_more(world):
    long = PlanFactory(child=world.child, start_date=dt.date(2025, 3, 1))  # 2 years today
    PlanFactory(child=world.sibling, start_date=dt.date(2025, 3, 2))  # a day short
    ended_plan(world.south_child, dt.date(2020, 1, 1), dt.date(2026, 1, 1))

    assert _children(world, Theme.OVER_TWO_YEARS) == {long.child}


def test_neglect_theme_uses_the_category_as_changed(world):
    became_neglect = PlanFactory(
        child=world.child, start_date=dt.date(2026, 1, 5), initial_category="EMO"
    )
    stopped_being = PlanFactory(
        child=world.sibling, start_date=dt.date(2026, 1, 5), initial_category="NEG"
    )
    senior = world.users[Role.SENIOR_IRO]
    plan_services.plan_change_category(
        plan=became_neglect, changed_on=dt.date(2026, 6, 1), to_category="NEG", by=senior
    )
    plan_services.plan_change_category(
        plan=stopped_being, changed_on=dt.date(2026, 6, 1), to_category="PHY", by=senior
    )

    assert _children(world, Theme.NEGLECT) == {world.child}
    # As at a date before the changes, the categories were the other way round.
    assert _children(world, Theme.NEGLECT, on=dt.date(2026, 5, 1)) == {world.sibling}


def test_children_chosen_by_id(world):
    found = candidates_for(
        user=world.users[Role.SENIOR_IRO],
        theme=Theme.CHOSEN,
        on=TODAY,
        local_ids=[world.south_child.local_id, "NO-SUCH-ID"],
    )
    assert [c.child for c in found] == [world.south_child]
    assert found[0].plan is None


def test_the_cases_stay_fixed_when_a_plan_is_later_ended(world):
    plan = PlanFactory(child=world.child, start_date=dt.date(2026, 1, 5), initial_category="NEG")
    PlanFactory(child=world.sibling, start_date=dt.date(2026, 1, 5), initial_category="NEG")
    senior = world.users[Role.SENIOR_IRO]
    with time_machine.travel(NOW, tick=False):
        audit = services.audit_start(
            by=senior,
            theme=Theme.NEGLECT,
            on=TODAY,
            name="Neglect, March 2027",
            child_ids=[str(world.child.pk), str(world.sibling.pk)],
        )
    plan_services.plan_end(
        plan=plan, end_date=dt.date(2027, 3, 10), reason="no_longer_at_risk", by=senior
    )
    later = dt.date(2027, 3, 20)

    assert _children(world, Theme.NEGLECT, on=later) == {world.sibling}  # the list moved on
    cases = AuditCase.objects.filter(audit=audit).order_by("position")
    assert [(c.child, c.plan) for c in cases][0] == (world.child, plan)  # the audit did not
    assert cases.count() == 2


def test_a_case_not_on_the_list_cannot_be_slipped_in(world):
    PlanFactory(child=world.child, start_date=dt.date(2026, 1, 5), initial_category="NEG")
    audit = services.audit_start(
        by=world.users[Role.SENIOR_IRO],
        theme=Theme.NEGLECT,
        on=TODAY,
        name="Neglect",
        child_ids=[str(world.child.pk), str(world.south_child.pk)],  # south child: no plan
    )
    assert [c.child for c in audit.cases.all()] == [world.child]
