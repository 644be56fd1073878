"""Shared set-ups of the case audit tests: dates, and an audit started through the service."""

import datetime as dt

from case_audits import services
from case_audits.models import Theme
from case_audits.questions import CHECKLIST
from people.models import Role

from ..factories import LONDON, ChildFactory, HouseholdFactory, PlanFactory

TODAY = dt.date(2027, 3, 1)
NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=LONDON)
ALL_YES = {q.key: {"answer": "yes", "note": "Seen in the file."} for q in CHECKLIST}


def ended_plan(child, start, end):
    return PlanFactory(child=child, start_date=start, end_date=end, end_reason="no_longer_at_risk")


def chosen_audit(world, *, children=None, name="Chosen children"):
    """An audit of children chosen by hand (the north child and sibling, and the south child),
    each with an open plan, started by the Senior IRO."""
    children = children or [world.child, world.sibling, world.south_child]
    for child in children:
        if not child.plans.exists():
            PlanFactory(child=child, start_date=dt.date(2026, 6, 1))
    return services.audit_start(
        by=world.users[Role.SENIOR_IRO],
        theme=Theme.CHOSEN,
        on=TODAY,
        name=name,
        child_ids=[str(c.pk) for c in children],
        local_ids=[c.local_id for c in children],
    )


def south_only_audit(world):
    """An audit whose only case is a south child: a north district manager cannot see it."""
    other = ChildFactory(household=HouseholdFactory(district=world.south), first_name="Ari")
    return chosen_audit(world, children=[other], name="South only")
