"""Strategy meetings with their section 47 enquiries, and looked-after episodes (§6.3.4)."""

import random
from datetime import timedelta

from django.conf import settings

from children.models import LookedAfterEpisode
from conferences import rules
from conferences.models import S47Enquiry, StrategyMeeting, StrategyMeetingChild
from iro_service.dates import age_on

from .calendar import at, working_days
from .specs import GroupSpec, MeetingSpec
from .staff import in_post
from .targets import LOOKED_AFTER_INTERIM_CARE_ORDERS, LOOKED_AFTER_PLACEMENTS, YEAR_END

LA = LookedAfterEpisode
DECISIONS = {
    "child_protection": "Section 47 enquiry to proceed; agencies to share information.",
    "sexual_exploitation": "Risk assessment to be completed; police to lead on disruption.",
    "allegation": "LADO to be informed; employer to consider suspension.",
    "missing_from_care": "Return interview to be arranged; placement to review safety plan.",
    "looked_after": "Placement to continue with additional support.",
    "self_harm": "Referral to CAMHS; safety plan agreed with the young person.",
    "harmful_sexual_behaviour": "AIM assessment to be completed.",
    "fabricated_illness": "Paediatric consultant to review medical records.",
}


def strategy_records(rng: random.Random, meetings: list[MeetingSpec], org: dict) -> dict:
    made = {"meetings": [], "children": [], "enquiries": []}
    for meeting in meetings:
        chair = org["iros"][rng.choice(in_post(meeting.on)).label]
        meeting.obj = StrategyMeeting(
            kind=meeting.kind,
            status=meeting.status,
            scheduled_for=at(meeting.on, rng.choice((9, 11, 14)), 0),
            date=meeting.on,
            district=org["districts"][meeting.district],
            venue=rng.choice(org["venues"][meeting.district]),
            chair=chair,
            minute_taker=org["clerks"][meeting.district],
            decisions=DECISIONS[meeting.kind] if meeting.status == "held" else "",
        )
        made["meetings"].append(meeting.obj)
        for child in meeting.children:
            made["children"].append(StrategyMeetingChild(meeting=meeting.obj, child=child.obj))
            if meeting.s47_outcome and meeting.status == "held":
                made["enquiries"].append(_enquiry(meeting, child, chair))
    return made


def _enquiry(meeting: MeetingSpec, child, chair) -> S47Enquiry:
    conference = _conference_of(meeting)
    reviewed = meeting.s47_outcome == S47Enquiry.Outcome.NO_CONFERENCE_HARM
    due = rules.initial_conference_due_by(
        strategy_discussion_on=meeting.on,
        working_days=settings.IRO_TIMESCALES["INITIAL_CONFERENCE_WORKING_DAYS"],
    )
    if conference is not None:
        _held_by(conference, due)
    return S47Enquiry(
        child=child.obj,
        strategy_meeting=meeting.obj,
        strategy_discussion_on=meeting.on,
        started_on=meeting.on,
        outcome=meeting.s47_outcome,
        initial_conference_due_by=due,
        initial_conference=conference,
        no_conference_reviewed_by=chair if reviewed else None,
        no_conference_review_note=(
            "Agreed: child in need plan with a review in three months." if reviewed else ""
        ),
    )


def _held_by(conference, target) -> None:
    """An initial conference must be held by its enquiries' target; one reconvened after an
    adjournment, by the date it had to reconvene by (as the booking service stores them)."""
    first = conference.rearranged_from or conference
    first.due_by = min(first.due_by or target, target)
    conference.due_by = first.reconvene_by or first.due_by


def _conference_of(meeting: MeetingSpec):
    subject = meeting.conference
    if isinstance(subject, GroupSpec):
        return subject.initial
    return getattr(subject, "no_plan_conference", None)


def looked_after_episodes(rng: random.Random, groups: list[GroupSpec]) -> list:
    """39 children on a plan at 31 March 2012 who are also looked after, placed as §6.3.4
    tabulates; and an episode from the day a plan ended because the child became looked
    after."""
    episodes = []
    for group in groups:
        if group.end and group.first.end_reason == "looked_after":
            for plan in group.plans:
                episodes.append(_episode(rng, plan.child, plan.end, "foster_other_in_area"))
    placements = [p for p, n in LOOKED_AFTER_PLACEMENTS.items() for _ in range(n)]
    candidates = [
        plan
        for g in groups
        if g.end is None
        for plan in g.plans
        if plan.start <= YEAR_END - timedelta(days=60)
        and (age_on(plan.child.born, YEAR_END) or 99) <= 16
    ]
    rng.shuffle(candidates)
    assert len(candidates) >= len(placements)
    for index, (plan, placement) in enumerate(zip(candidates, placements, strict=False)):
        start = rng.choice(
            working_days(plan.start + timedelta(days=14), YEAR_END - timedelta(days=10))
        )
        legal = LA.LegalStatus.INTERIM_CARE_ORDER
        if placement != "placed_with_parents" and index >= LOOKED_AFTER_INTERIM_CARE_ORDERS:
            legal = LA.LegalStatus.SECTION_20
        episodes.append(_episode(rng, plan.child, start, placement, legal))
    return episodes


def _episode(rng, child, start, placement, legal=None) -> LookedAfterEpisode:
    legal = legal or rng.choice((LA.LegalStatus.INTERIM_CARE_ORDER, LA.LegalStatus.SECTION_20))
    return LookedAfterEpisode(
        child=child.obj, started_on=start, legal_status=legal, placement_type=placement
    )
