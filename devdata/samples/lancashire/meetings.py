"""Strategy meetings: the section 47 strategy discussion before each initial conference of
the year, and the other meetings of §3 and §4.1, to the published 1,078 held in 2011/12.

Most initial conferences are held within 15 working days of the strategy discussion (§7.2:
"in the majority of cases"); about one in six is not."""

import random
from datetime import date, timedelta

from iro_service.dates import age_on

from .calendar import month_end, month_start, working_days
from .households import Households
from .specs import ChildSpec, GroupSpec, MeetingSpec
from .targets import STRATEGY_MEETINGS, TIMESCALES_2011_12, YEAR_END, YEAR_START

ON_TIME_SHARE = 0.83
OTHER_KINDS = {
    "child_protection": 45,
    "sexual_exploitation": 12,
    "allegation": 12,
    "missing_from_care": 8,
    "looked_after": 8,
    "self_harm": 6,
    "harmful_sexual_behaviour": 6,
    "fabricated_illness": 3,
}
TEENAGE_KINDS = {
    "sexual_exploitation",
    "missing_from_care",
    "self_harm",
    "harmful_sexual_behaviour",
}
CANCELLED = 14


def plan_meetings(rng: random.Random, groups: list[GroupSpec], hh: Households) -> list:
    meetings = [
        _before_conference(rng, _first_booked(g), [p.child for p in g.plans], g)
        for g in groups
        if g.first.kind == "new"
    ]
    meetings += [
        _before_conference(rng, h.no_plan_on, h.children, h) for h in hh.households if h.no_plan_on
    ]
    held = sum(1 for m in meetings if YEAR_START <= m.on <= YEAR_END)
    meetings += _other_meetings(rng, hh, STRATEGY_MEETINGS - held)
    meetings += _cancelled(rng, hh)
    return meetings


def _first_booked(group: GroupSpec) -> date:
    return group.adjourned_initial[0] if group.adjourned_initial else group.start


def _before_conference(rng, conference_on: date, children: list, subject) -> MeetingSpec:
    within = TIMESCALES_2011_12["INITIAL_CONFERENCE_WORKING_DAYS"]
    on_time = rng.random() < ON_TIME_SHARE
    wanted = rng.randint(5, within) if on_time else within + rng.randint(1, 9)
    days = working_days(conference_on - timedelta(days=45), conference_on - timedelta(days=1))
    discussion = days[-wanted]
    return MeetingSpec(
        discussion,
        "child_protection",
        children=list(children),
        conference=subject,
        s47_outcome="conference",
    )


def _other_meetings(rng: random.Random, hh: Households, count: int) -> list[MeetingSpec]:
    """Meetings that led to no conference: section 47 discussions about new referrals (no
    harm found, or still under enquiry at the year end) and the other kinds of meeting."""
    kinds = rng.choices(list(OTHER_KINDS), weights=list(OTHER_KINDS.values()), k=count)
    meetings = []
    for index, kind in enumerate(sorted(kinds)):
        month = 1 + index * 12 // count
        day = rng.choice(working_days(month_start(month), month_end(month)))
        if kind == "child_protection":
            meetings.append(_referral(rng, hh, day))
        else:
            meetings.append(MeetingSpec(day, kind))
    return meetings


def _referral(rng: random.Random, hh: Households, day: date) -> MeetingSpec:
    household = hh.new_household()
    household.referred_on = day
    for _ in range(rng.choices((1, 2), weights=(75, 25))[0]):
        hh.new_child(household)
    if day > YEAR_END - timedelta(days=21):
        outcome = "ongoing"
    else:
        outcome = rng.choices(["no_harm", "no_conference_harm"], weights=[80, 20])[0]
    return MeetingSpec(
        day,
        "child_protection",
        children=list(household.children),
        s47_outcome=outcome,
        conference=household,
    )


def _cancelled(rng: random.Random, hh: Households) -> list[MeetingSpec]:
    days = working_days(YEAR_START, YEAR_END)
    return [
        MeetingSpec(rng.choice(days), "child_protection", status="cancelled")
        for _ in range(CANCELLED)
    ]


def attach_children(rng: random.Random, meetings: list, children: list[ChildSpec]) -> None:
    """Give the meetings of other kinds a child of a fitting age, and every meeting a
    district (the child's)."""
    for meeting in meetings:
        if not meeting.children:
            meeting.children = [_child_for(rng, meeting, children)]
        meeting.district = meeting.children[0].household.district


def _child_for(rng, meeting: MeetingSpec, children: list[ChildSpec]) -> ChildSpec:
    def fits(child: ChildSpec) -> bool:
        age = age_on(child.born, meeting.on)
        if age is None:
            return False
        if meeting.kind in TEENAGE_KINDS:
            return 12 <= age <= 17
        if meeting.kind == "fabricated_illness":
            return age <= 8
        return age <= 17

    while True:
        child = rng.choice(children)
        if fits(child):
            return child
