"""Each demo household's story: strategy discussion, section 47 enquiry, initial conference,
plans, reviews every 3 then 6 months, category changes and endings (demo.py)."""

from datetime import date, timedelta

from django.utils import timezone

from children.models import LookedAfterEpisode
from conferences.models import (
    Category,
    Conference,
    S47Enquiry,
    StrategyMeeting,
    StrategyMeetingChild,
)
from conferences.models import ConferenceChild as Outcome
from conferences.rules import initial_conference_due_by
from iro_service.dates import add_working_days
from plans import rules as plan_rules
from plans.models import ChildProtectionPlan
from plans.services import plan_change_category, plan_end, plan_start

from .demo_base import Demo, at, record, working_day_on_or_after, working_day_on_or_before
from .demo_conferences import Case, book, call_off, held_on, hold
from .demo_names import DECISIONS

Reason = ChildProtectionPlan.EndReason
CATEGORY_WEIGHTS = {
    Category.NEGLECT: 45,
    Category.EMOTIONAL: 32,
    Category.PHYSICAL: 10,
    Category.SEXUAL: 4,
    Category.MULTIPLE: 9,
}
# How many reviews before the plan ends (99: still open today), and why it ends.
REVIEW_COUNTS = {1: 25, 2: 30, 3: 18, 4: 10, 5: 5, 6: 4, 99: 8}
ENDINGS = {Reason.NO_LONGER_AT_RISK: 84, Reason.LOOKED_AFTER: 8, Reason.MOVED_AWAY: 8}
ADJOURNMENTS = (
    (Conference.AdjournmentReason.FAMILY_ILLNESS, "Mother admitted to hospital the day before."),
    (Conference.AdjournmentReason.REPORT_NOT_AVAILABLE, "Social worker's report not ready."),
    (Conference.AdjournmentReason.NOT_QUORATE, "Only two agencies present."),
    (Conference.AdjournmentReason.INTERPRETER, "The booked interpreter did not arrive."),
)
REARRANGEMENTS = (
    (Conference.AdjournmentReason.CHAIR_UNAVAILABLE, "Chair off sick; conference moved."),
    (Conference.AdjournmentReason.VENUE_UNAVAILABLE, "Room double-booked."),
    (Conference.AdjournmentReason.ADMIN_ERROR, "Booked on a bank holiday in error."),
)


def create_case_histories(demo: Demo, households) -> None:
    for spec, household, children in households:
        case = Case(household, children, demo.rng.choice(demo.org.iros))
        if spec.story in ("s47_only", "s47_ongoing"):
            _s47_without_plan(demo, case, spec.starts_on)
        elif spec.story == "transfer_in":
            _run_episode(demo, case, spec.starts_on, transfer=True)
        elif spec.story != "known":  # case, recent_case, pre_birth, pre_birth_born
            _s47_with_plans(demo, case, spec.starts_on)


def _s47_with_plans(demo: Demo, case: Case, starts_on: date) -> None:
    ended, reason = _run_episode(demo, case, starts_on)
    if ended and reason == Reason.NO_LONGER_AT_RISK and demo.chance(0.3):
        # A repeat plan (NI 65): the family is referred again some months later.
        again = working_day_on_or_before(ended + timedelta(days=demo.rng.randint(90, 300)))
        if again < demo.today - timedelta(days=10):
            case.chair = demo.rng.choice(demo.org.iros)
            _run_episode(demo, case, again)


def _run_episode(demo: Demo, case: Case, starts_on: date, *, transfer: bool = False):
    """One referral to the end of its plans. Returns (end date, reason), or (None, "")."""
    if transfer:
        conference = book(demo, case, Conference.Kind.TRANSFER_IN, starts_on, case.children)
    else:
        conference = _book_initial(demo, case, starts_on)
    if held_on(conference) >= demo.today:
        return None, ""
    if not transfer and demo.chance(0.08):
        hold(demo, conference, {child.id: (Outcome.Outcome.NO_PLAN, "") for child in case.children})
        return None, ""
    category = _pick_category(demo)
    outcomes = {
        child.id: (
            Outcome.Outcome.PLAN_STARTED,
            category if demo.chance(0.9) else _pick_category(demo),
        )
        for child in case.children
    }
    hold(demo, conference, outcomes)
    _start_plans(demo, case, conference, outcomes)
    return _reviews(demo, case, held_on(conference))


def _book_initial(demo: Demo, case: Case, discussed_on: date) -> Conference:
    """Strategy discussion, then the initial conference within 15 working days (or late)."""
    meeting = _strategy_meeting(demo, case, discussed_on)
    due = initial_conference_due_by(
        strategy_discussion_on=discussed_on,
        working_days=demo.timescales["INITIAL_CONFERENCE_WORKING_DAYS"],
    )
    on = _initial_date(demo, discussed_on, due)
    unborn = any(child.date_of_birth is None or child.date_of_birth > on for child in case.children)
    kind = Conference.Kind.PRE_BIRTH_INITIAL if unborn else Conference.Kind.INITIAL
    conference = book(demo, case, kind, on, case.children)
    _record_enquiries(demo, case, meeting, S47Enquiry.Outcome.CONFERENCE, conference)
    return conference


def _pick_category(demo: Demo) -> str:
    return demo.rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]


def _new_category(demo: Demo, case: Case) -> str:
    current = {plan.latest_category for plan in case.plans.values()}
    return demo.rng.choice([category for category in CATEGORY_WEIGHTS if category not in current])


def _initial_date(demo: Demo, discussed_on: date, due: date) -> date:
    """Most initial conferences meet the 15 working days; about one in seven is late."""
    if demo.chance(0.15):
        return working_day_on_or_after(due + timedelta(days=demo.rng.randint(1, 12)))
    day = working_day_on_or_before(due - timedelta(days=demo.rng.randint(0, 8)))
    return max(day, add_working_days(discussed_on, 5))


def _strategy_meeting(demo: Demo, case: Case, on: date) -> StrategyMeeting:
    admin = demo.admin()
    district = case.household.district
    meeting = record(
        StrategyMeeting(
            kind=StrategyMeeting.Kind.CHILD_PROTECTION,
            status=StrategyMeeting.Status.HELD,
            scheduled_for=at(on, demo.rng.choice((9, 11, 14, 15))),
            district=district,
            venue=demo.venue(district.id) if demo.chance(0.5) else None,
            chair=demo.rng.choice(demo.org.iros),
            minute_taker=admin,
            decisions=demo.rng.choice(DECISIONS),
            follow_up_on=add_working_days(on, 10),
        ),
        by=admin,
        reason="Strategy meeting recorded",
    )
    for child in case.children:
        record(StrategyMeetingChild(meeting=meeting, child=child), by=admin)
    return meeting


def _record_enquiries(demo, case, meeting, outcome, conference=None, reviewer=None, note=""):
    discussed_on = timezone.localdate(meeting.scheduled_for)
    due = initial_conference_due_by(
        strategy_discussion_on=discussed_on,
        working_days=demo.timescales["INITIAL_CONFERENCE_WORKING_DAYS"],
    )
    started_on = discussed_on + timedelta(days=demo.rng.choice((0, 0, 0, 1)))
    for child in case.children:
        record(
            S47Enquiry(
                child=child,
                strategy_meeting=meeting,
                strategy_discussion_on=discussed_on,
                started_on=started_on,
                outcome=outcome,
                initial_conference_due_by=due,
                initial_conference=conference,
                no_conference_reviewed_by=reviewer,
                no_conference_review_note=note,
            ),
            by=meeting.minute_taker,
            reason="Section 47 enquiry recorded",
        )


def _s47_without_plan(demo: Demo, case: Case, on: date) -> None:
    """Enquiries that led to no conference; the 'harm but no conference' ones are
    quality-assured by an IRO (§4.1). Recent ones are still ongoing."""
    meeting = _strategy_meeting(demo, case, on)
    if on > demo.today - timedelta(days=15):
        _record_enquiries(demo, case, meeting, S47Enquiry.Outcome.ONGOING)
    elif demo.chance(0.6):
        _record_enquiries(demo, case, meeting, S47Enquiry.Outcome.NO_HARM)
    else:
        _record_enquiries(
            demo,
            case,
            meeting,
            S47Enquiry.Outcome.NO_CONFERENCE_HARM,
            reviewer=demo.rng.choice(demo.org.iros),
            note="Agreed: family engaging with a child in need plan; review in three months.",
        )


def _start_plans(demo: Demo, case: Case, conference: Conference, outcomes: dict) -> None:
    on = held_on(conference)
    for child in case.children:
        outcome, category = outcomes[child.id]
        if outcome == Outcome.Outcome.PLAN_STARTED:
            case.plans[child.id] = plan_start(
                child=child,
                start_date=on,
                category=category,
                by=conference.chair,
                initial_conference=conference,
                is_pre_birth=child.date_of_birth is None or child.date_of_birth > on,
            )


def _reviews(demo: Demo, case: Case, started_on: date):
    """Review until the plan's planned end, or until today (the next review is then booked)."""
    planned = demo.rng.choices(list(REVIEW_COUNTS), weights=list(REVIEW_COUNTS.values()))[0]
    ending = demo.rng.choices(list(ENDINGS), weights=list(ENDINGS.values()))[0]
    previous, held = started_on, 0
    while True:
        due = min(plan.next_review_due_by for plan in case.plans.values())
        if ending == Reason.MOVED_AWAY and held + 1 == planned:
            moved = previous + timedelta(days=demo.rng.randint(20, 90))
            if moved < min(demo.today, due):
                _end_plans(demo, case, moved, ending, by=demo.org.senior)
                return moved, ending
        conference = _review_conference(demo, case, due)
        if conference is None:
            return None, ""
        previous, held = held_on(conference), held + 1
        if held == planned and ending != Reason.MOVED_AWAY:
            _cease(demo, case, conference, ending)
            return previous, ending
        _continue(demo, case, conference)


def _review_date(demo: Demo, due: date) -> date:
    if demo.chance(0.08):
        return working_day_on_or_after(due + timedelta(days=demo.rng.randint(1, 20)))
    return working_day_on_or_before(due - timedelta(days=demo.rng.randint(0, 15)))


def _review_conference(demo: Demo, case: Case, due: date) -> Conference | None:
    """Book the review; a few are adjourned or rearranged first. None if not yet held."""
    day = _review_date(demo, due)
    children = [child for child in case.children if child.id in case.plans]
    conference = book(demo, case, Conference.Kind.REVIEW, day, children)
    roll = demo.rng.random()
    if day < demo.today and roll < 0.08:
        adjourned = roll < 0.04
        reason, note = demo.rng.choice(ADJOURNMENTS if adjourned else REARRANGEMENTS)
        status = Conference.Status.ADJOURNED if adjourned else Conference.Status.REARRANGED
        call_off(demo, conference, status, reason, note)
        day = working_day_on_or_after(day + timedelta(days=demo.rng.randint(7, 27)))
        conference = book(
            demo, case, Conference.Kind.REVIEW, day, children, rearranged_from=conference
        )
    return conference if day < demo.today else None


def _continue(demo: Demo, case: Case, conference: Conference) -> None:
    """Plans continue; now and then the category changes (kept as history, §6.2)."""
    on = held_on(conference)
    change = _new_category(demo, case) if demo.chance(0.12) else None
    outcomes = {
        child_id: (Outcome.Outcome.PLAN_CONTINUED, change or plan.latest_category)
        for child_id, plan in case.plans.items()
    }
    hold(demo, conference, outcomes)
    for plan in case.plans.values():
        if change and change != plan.latest_category:
            plan_change_category(
                plan=plan,
                changed_on=on,
                to_category=change,
                by=conference.chair,
                conference=conference,
            )
            plan.latest_category = change
        plan.next_review_due_by = plan_rules.later_review_due_by(
            previous_review_on=on, months=demo.timescales["LATER_REVIEW_MONTHS"]
        )
        plan._history_user = conference.chair
        plan._change_reason = "Review held"
        plan.full_clean()
        plan.save(update_fields=["next_review_due_by", "updated_at"])


def _cease(demo: Demo, case: Case, conference: Conference, reason: str) -> None:
    hold(demo, conference, {child_id: (Outcome.Outcome.PLAN_CEASED, "") for child_id in case.plans})
    _end_plans(demo, case, held_on(conference), reason, by=conference.chair)


def _end_plans(demo: Demo, case: Case, on: date, reason: str, *, by) -> None:
    for plan in list(case.plans.values()):
        plan_end(plan=plan, end_date=on, reason=reason, by=by)
        if reason == Reason.LOOKED_AFTER:
            _became_looked_after(demo, plan.child, on, by)
    case.plans.clear()


def _became_looked_after(demo: Demo, child, on: date, by) -> None:
    if LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).exists():
        return
    status = demo.rng.choice(
        (
            LookedAfterEpisode.LegalStatus.INTERIM_CARE_ORDER,
            LookedAfterEpisode.LegalStatus.SECTION_20,
        )
    )
    placement = demo.rng.choice(
        (
            LookedAfterEpisode.PlacementType.FOSTER_OTHER_IN_AREA,
            LookedAfterEpisode.PlacementType.FOSTER_RELATIVE_IN_AREA,
            LookedAfterEpisode.PlacementType.FOSTER_OTHER_OUT_OF_AREA,
        )
    )
    record(
        LookedAfterEpisode(
            child=child,
            started_on=on - timedelta(days=demo.rng.randint(0, 10)),
            legal_status=status,
            placement_type=placement,
            recorded_by=by,
        ),
        by=by,
        reason="Became looked after",
    )
