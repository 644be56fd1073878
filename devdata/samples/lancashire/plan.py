"""The whole sample planned in memory, in order: plans, siblings, end reasons, repeat plans,
households, districts, caseloads, children, reviews (with the ten late ones, the other
adjournments and the category changes), the early reviews that reach the published count,
and the strategy meetings. Nothing touches the database here."""

import random
from dataclasses import dataclass

from .changes import change_categories
from .children import describe
from .endings import choose_end_reasons
from .households import Households
from .lateness import adjourn_initials, adjourn_others, make_reviews_late
from .meetings import attach_children, plan_meetings
from .repeats import link_repeats
from .schedule import schedule_reviews
from .siblings import group_plans
from .skeleton import Skeleton
from .specs import GroupSpec, MeetingSpec
from .tune import add_early_reviews, review_targets, set_due_dates


@dataclass
class SamplePlan:
    groups: list[GroupSpec]
    households: Households
    meetings: list[MeetingSpec]


def plan_sample(rng: random.Random) -> SamplePlan:
    groups = group_plans(rng, Skeleton(rng).build())
    choose_end_reasons(rng, groups)
    groups += link_repeats(rng, groups)
    households = Households(rng)
    households.for_groups(groups)
    households.no_plan_households(groups)
    adjourn_initials(rng, groups)
    meetings = plan_meetings(rng, groups, households)
    households.assign_districts()
    households.allocate_iros()
    describe(rng, households.households)
    _plan_reviews(rng, groups, households)
    attach_children(rng, meetings, households.children)
    return SamplePlan(groups, households, meetings)


def _plan_reviews(rng: random.Random, groups: list[GroupSpec], households: Households) -> None:
    for group in groups:
        schedule_reviews(rng, group)
    make_reviews_late(rng, groups)
    adjourn_others(rng, groups)
    change_categories(rng, groups)
    no_plan_dates = [h.no_plan_on for h in households.households if h.no_plan_on]
    add_early_reviews(groups, review_targets(groups, no_plan_dates))
    set_due_dates(groups)
