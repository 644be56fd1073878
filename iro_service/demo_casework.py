"""Work on the demo's open plans (core groups, visits, targets, looked-after episodes) and the
strategy meetings of other kinds (§3, §4.1, §6.3.4, §7.2, §9.3)."""

from datetime import date, timedelta
from itertools import groupby

from dateutil.relativedelta import relativedelta

from children.models import Child, LookedAfterEpisode
from conferences.models import StrategyMeeting, StrategyMeetingChild
from iro_service.dates import add_months, add_working_days
from plans.models import ChildProtectionPlan, CoreGroupMeeting, PlanTarget, ProtectionVisit

from .demo_base import Demo, age_on, at, record, record_many, working_day_on_or_after
from .demo_names import OTHER_DECISIONS, TARGETS

K = StrategyMeeting.Kind
# (kind, youngest, oldest, how many)
OTHER_MEETINGS = (
    (K.SEXUAL_EXPLOITATION, 12, 17, 4),
    (K.MISSING_FROM_CARE, 12, 17, 3),
    (K.SELF_HARM, 11, 17, 2),
    (K.HARMFUL_SEXUAL_BEHAVIOUR, 10, 16, 2),
    (K.ALLEGATION, 3, 15, 2),
    (K.FABRICATED_ILLNESS, 1, 8, 1),
    (K.LOOKED_AFTER, 0, 17, 2),
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
    plans = list(
        ChildProtectionPlan.objects.filter(end_date__isnull=True)
        .select_related("child")
        .order_by("initial_conference_id", "id")
    )
    # Siblings' plans share one core group, so they share its dates.
    for _, family in groupby(plans, key=lambda plan: plan.initial_conference_id):
        family = list(family)
        meetings = _core_group_dates(demo, family[0].start_date)
        for plan in family:
            admin = demo.admin()
            meetings_of_plan = [CoreGroupMeeting(plan=plan, held_on=day) for day in meetings]
            record_many(CoreGroupMeeting, meetings_of_plan, by=admin)
            record_many(ProtectionVisit, _visits(demo, plan), by=admin)
            record_many(PlanTarget, _targets(demo, plan), by=admin)
    _looked_after_while_on_plan(demo, plans)


def _core_group_dates(demo: Demo, started_on: date) -> list[date]:
    """The first within 10 working days (a few late), then about monthly, now and then missed."""
    first_within = demo.timescales["FIRST_CORE_GROUP_WORKING_DAYS"]
    day = add_working_days(
        started_on,
        demo.rng.randint(4, first_within)
        if demo.chance(0.9)
        else demo.rng.randint(first_within + 1, 16),
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
    day = add_working_days(max(plan.start_date, demo.today - relativedelta(months=6)), 3)
    while day < demo.today:
        older = (age_on(child.date_of_birth, day) or 0) >= 5
        visits.append(
            ProtectionVisit(
                plan=plan,
                visited_on=day,
                child_seen=demo.chance(0.93),
                child_seen_alone=older and demo.chance(0.5),
            )
        )
        gap = demo.rng.randint(every - 3, every + 1) if demo.chance(0.85) else every + 8
        day = add_working_days(day, gap)
    return visits


def _targets(demo: Demo, plan: ChildProtectionPlan) -> list[PlanTarget]:
    descriptions, targets = TARGETS[plan.latest_category], []
    for description in demo.rng.sample(descriptions, min(3, len(descriptions))):
        due_by = add_months(plan.start_date, demo.rng.randint(1, 9))
        if due_by < demo.today:
            progress = demo.rng.choices(
                (Progress.ACHIEVED, Progress.IN_PROGRESS, Progress.NOT_ACHIEVED), (55, 25, 20)
            )[0]
        else:
            progress = demo.rng.choices((Progress.IN_PROGRESS, Progress.NOT_STARTED), (6, 4))[0]
        note = {
            Progress.ACHIEVED: "Confirmed at core group.",
            Progress.NOT_ACHIEVED: "Not met; discussed at review.",
        }.get(progress, "")
        targets.append(
            PlanTarget(
                plan=plan,
                description=description,
                due_by=due_by,
                progress=progress,
                progress_note=note,
            )
        )
    return targets


def _looked_after_while_on_plan(demo: Demo, plans: list[ChildProtectionPlan]) -> None:
    """A few children on plans are also looked after (§6.3.4); one episode has ended."""
    candidates = [
        plan
        for plan in plans
        if plan.child.date_of_birth and plan.start_date < demo.today - timedelta(days=90)
    ]
    chosen = demo.rng.sample(candidates, min(5, len(candidates)))
    for index, plan in enumerate(chosen):
        if LookedAfterEpisode.objects.filter(child=plan.child, ended_on__isnull=True).exists():
            continue
        started = plan.start_date + timedelta(
            days=demo.rng.randint(14, (demo.today - plan.start_date).days - 60)
        )
        ended = started + timedelta(days=42) if index == len(chosen) - 1 else None
        legal, placement = LOOKED_AFTER[index % len(LOOKED_AFTER)]
        record(
            LookedAfterEpisode(
                child=plan.child,
                started_on=started,
                ended_on=ended,
                legal_status=legal,
                placement_type=placement,
                recorded_by=demo.org.senior,
            ),
            by=demo.org.senior,
            reason="Looked-after episode recorded",
        )


def create_other_strategy_meetings(demo: Demo) -> None:
    children = list(Child.objects.exclude(date_of_birth=None).order_by("local_id"))
    for kind, youngest, oldest, count in OTHER_MEETINGS:
        fits = [
            child
            for child in children
            if youngest <= age_on(child.date_of_birth, demo.today) <= oldest
        ]
        for child in demo.rng.sample(fits, min(count, len(fits))):
            # One in eight is booked for the coming fortnight.
            ahead = demo.chance(0.125)
            offset = demo.rng.randint(2, 14) if ahead else -demo.rng.randint(3, 700)
            _other_meeting(
                demo, kind, child, working_day_on_or_after(demo.today + timedelta(offset))
            )


def _other_meeting(demo: Demo, kind: str, child: Child, on: date) -> None:
    admin = demo.admin()
    held = on < demo.today
    meeting = record(
        StrategyMeeting(
            kind=kind,
            status=StrategyMeeting.Status.HELD if held else StrategyMeeting.Status.BOOKED,
            scheduled_for=at(on, demo.rng.choice((9, 11, 14))),
            district=child.district,
            venue=demo.venue(child.district_id) if demo.chance(0.6) else None,
            chair=demo.rng.choice(demo.org.iros),
            minute_taker=admin,
            decisions=demo.rng.choice(OTHER_DECISIONS) if held else "",
            follow_up_on=add_working_days(on, 20) if held else None,
        ),
        by=admin,
        reason="Strategy meeting booked",
    )
    record(StrategyMeetingChild(meeting=meeting, child=child), by=admin)
