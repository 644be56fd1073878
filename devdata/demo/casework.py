"""Work on the demo's open plans (core groups, visits, targets, looked-after episodes) and the
strategy meetings of other kinds (§3, §4.1, §6.3.4, §7.2, §9.3)."""

from datetime import date, timedelta
from itertools import groupby

from dateutil.relativedelta import relativedelta

from children.models import Child, LookedAfterEpisode
from conferences.models import StrategyMeeting, StrategyMeetingChild
from iro_service.dates import add_months, add_working_days, age_on, working_day_on_or_after
from plans.models import ChildProtectionPlan, CoreGroupMeeting, PlanTarget, ProtectionVisit

from .base import Demo, at
from .cases import iros_in_post
from .names import OTHER_DECISIONS, TARGETS

K = StrategyMeeting.Kind
# (kind, youngest, oldest, how many at scale 1.0, over about two years)
# The demo records the last six months of visits, the first a few working days after the
# plan starts (or the birth); their rhythm is the CP_VISIT_WORKING_DAYS setting.
VISITS_RECORDED_MONTHS = 6
FIRST_VISIT_WORKING_DAYS = 3
# Strategy meetings of other kinds agree to meet again four weeks on (a chair's choice).
OTHER_FOLLOW_UP_WORKING_DAYS = 20
OTHER_MEETINGS = (
    (K.SEXUAL_EXPLOITATION, 12, 17, 32),
    (K.MISSING_FROM_CARE, 12, 17, 24),
    (K.SELF_HARM, 11, 17, 16),
    (K.HARMFUL_SEXUAL_BEHAVIOUR, 10, 16, 14),
    (K.ALLEGATION, 3, 15, 16),
    (K.FABRICATED_ILLNESS, 1, 8, 4),
    (K.LOOKED_AFTER, 0, 17, 16),
)
Progress = PlanTarget.Progress
L, T = LookedAfterEpisode.LegalStatus, LookedAfterEpisode.PlacementType
# Legal status and placement of children on plans who are also looked after (§6.3.4).
LOOKED_AFTER = (
    (L.SECTION_20, T.FOSTER_RELATIVE_IN_AREA),
    (L.INTERIM_CARE_ORDER, T.PLACED_WITH_PARENTS),
    (L.INTERIM_CARE_ORDER, T.FOSTER_OTHER_IN_AREA),
    (L.SECTION_20, T.FOSTER_OTHER_OUT_OF_AREA),
    (L.SECTION_20, T.FOSTER_RELATIVE_OUT_OF_AREA),
)


def create_plan_work(demo: Demo) -> None:
    plans = [plan for plan in demo.plans if plan.end_date is None]
    # Siblings' plans share one core group, so they share its dates.
    for _, family in groupby(plans, key=lambda plan: id(plan.initial_conference)):
        family = list(family)
        meetings = _core_group_dates(demo, family[0].start_date)
        for plan in family:
            admin = demo.admin()
            for day in meetings:
                meeting = CoreGroupMeeting(plan=plan, held_on=day)
                demo.store.add(meeting, when=at(day, 16), by=admin, reason="Core group held")
            for visit in _visits(demo, plan):
                demo.store.add(visit, when=at(visit.visited_on, 17), by=admin, reason="Visit")
            _add_targets(demo, plan, admin)
    _looked_after_while_on_plan(demo, plans)


def _core_group_dates(demo: Demo, started_on: date) -> list[date]:
    """The first within 10 working days (a few up to six late), then about monthly, now and
    then missed (the FIRST_CORE_GROUP_WORKING_DAYS and CORE_GROUP_INTERVAL_MONTHS settings)."""
    first_within = demo.timescales["FIRST_CORE_GROUP_WORKING_DAYS"]
    day = add_working_days(
        started_on,
        demo.rng.randint(min(4, first_within), first_within)
        if demo.chance(0.9)
        else first_within + demo.rng.randint(1, 6),
    )
    dates = []
    while day < demo.today:
        dates.append(day)
        months = demo.timescales["CORE_GROUP_INTERVAL_MONTHS"] * (2 if demo.chance(0.08) else 1)
        day = working_day_on_or_after(
            add_months(day, months) + timedelta(days=demo.rng.randint(-5, 5))
        )
    return dates


def _visits(demo: Demo, plan: ChildProtectionPlan) -> list[ProtectionVisit]:
    """Visits over the last six months, roughly every 10 working days (not for the unborn)."""
    child, visits = plan.child, []
    if child.date_of_birth is None:
        return visits
    every = demo.timescales["CP_VISIT_WORKING_DAYS"]
    since = max(
        plan.start_date,
        child.date_of_birth,
        demo.today - relativedelta(months=VISITS_RECORDED_MONTHS),
    )
    day = add_working_days(since, FIRST_VISIT_WORKING_DAYS)
    while day < demo.today:
        older = (age_on(child.date_of_birth, day) or 0) >= 5
        seen = demo.chance(0.93)
        alone = older and demo.chance(0.5)
        visits.append(
            ProtectionVisit(
                plan=plan, visited_on=day, child_seen=seen, child_seen_alone=seen and alone
            )
        )
        gap = demo.rng.randint(max(1, every - 3), every + 1) if demo.chance(0.85) else every + 8
        day = add_working_days(day, gap)
    return visits


def _add_targets(demo: Demo, plan: ChildProtectionPlan, by) -> None:
    """The plan's targets, set when it starts; their progress recorded later (by the due
    date, or about a month in for those not yet due)."""
    descriptions = TARGETS[plan.latest_category]
    for description in demo.rng.sample(descriptions, min(3, len(descriptions))):
        due_by = add_months(plan.start_date, demo.rng.randint(1, 9))
        if due_by < demo.today:
            progress = demo.rng.choices(
                (Progress.ACHIEVED, Progress.IN_PROGRESS, Progress.NOT_ACHIEVED), (55, 25, 20)
            )[0]
            progress_on = due_by
        else:
            progress = demo.rng.choices((Progress.IN_PROGRESS, Progress.NOT_STARTED), (6, 4))[0]
            progress_on = min(plan.start_date + timedelta(days=28), demo.today - timedelta(days=1))
        target = PlanTarget(plan=plan, description=description, due_by=due_by)
        demo.store.add(target, when=at(plan.start_date, 16), by=by, reason="Target set")
        if progress == Progress.NOT_STARTED:
            continue
        target.progress = progress
        target.progress_note = {
            Progress.ACHIEVED: "Confirmed at core group.",
            Progress.NOT_ACHIEVED: "Not met; discussed at review.",
        }.get(progress, "")
        demo.store.change(target, when=at(progress_on, 16, 30), by=by, reason="Progress")


def _looked_after_while_on_plan(demo: Demo, plans: list[ChildProtectionPlan]) -> None:
    """Some children on plans are also looked after (§6.3.4); one in five of those episodes
    has ended."""
    candidates = [
        plan
        for plan in plans
        if plan.child.date_of_birth and plan.start_date < demo.today - timedelta(days=90)
    ]
    chosen = demo.rng.sample(candidates, min(demo.scaled(30), len(candidates)))
    for index, plan in enumerate(chosen):
        if id(plan.child) in demo.looked_after:
            continue
        started = plan.start_date + timedelta(
            days=demo.rng.randint(14, (demo.today - plan.start_date).days - 60)
        )
        legal, placement = LOOKED_AFTER[index % len(LOOKED_AFTER)]
        episode = LookedAfterEpisode(
            child=plan.child,
            started_on=started,
            legal_status=legal,
            placement_type=placement,
            recorded_by=demo.org.senior,
        )
        demo.store.add(
            episode, when=at(started, 15), by=demo.org.senior, reason="Looked-after episode"
        )
        if index % 5 == 4:  # went home after six weeks
            episode.ended_on = started + timedelta(days=42)
            demo.store.change(
                episode, when=at(episode.ended_on, 15), by=demo.org.senior, reason="Ended"
            )
        else:
            demo.looked_after[id(plan.child)] = episode


def create_other_strategy_meetings(demo: Demo) -> None:
    children = [child for child in demo.children if child.date_of_birth is not None]
    for kind, youngest, oldest, count in OTHER_MEETINGS:
        fits = [
            child
            for child in children
            if child.date_of_birth <= demo.today
            and youngest <= age_on(child.date_of_birth, demo.today) <= oldest
        ]
        for child in demo.rng.sample(fits, min(demo.scaled(count), len(fits))):
            # One in eight is booked for the coming fortnight.
            ahead = demo.chance(0.125)
            offset = demo.rng.randint(2, 14) if ahead else -demo.rng.randint(3, 700)
            _other_meeting(
                demo, kind, child, working_day_on_or_after(demo.today + timedelta(offset))
            )


def _other_meeting(demo: Demo, kind: str, child: Child, on: date) -> None:
    admin = demo.admin()
    held = on < demo.today
    scheduled = at(on, demo.rng.choice((9, 11, 14)))
    meeting = StrategyMeeting(
        kind=kind,
        status=StrategyMeeting.Status.HELD if held else StrategyMeeting.Status.BOOKED,
        scheduled_for=scheduled,
        date=on,
        district=child.district,
        venue=demo.venue(child.district_id) if demo.chance(0.6) else None,
        chair=demo.rng.choice(iros_in_post(demo, on)),
        minute_taker=admin,
        booked_by=admin,
        decisions=demo.rng.choice(OTHER_DECISIONS) if held else "",
        follow_up_on=add_working_days(on, OTHER_FOLLOW_UP_WORKING_DAYS) if held else None,
        ends_at=demo.ends_at(scheduled),
    )
    if held:
        when, reason = meeting.ends_at, "Strategy meeting recorded"
    else:
        when = at(demo.today - timedelta(days=demo.rng.randint(1, 7)), 10)
        reason = "Strategy meeting booked"
    demo.store.add(meeting, when=when, by=admin, reason=reason)
    demo.store.add(StrategyMeetingChild(meeting=meeting, child=child), when=when, by=admin)
