"""Each demo household's story: strategy discussion, section 47 enquiry, initial conference,
plans, reviews every 3 then 6 months, category changes and endings (load.py).

Stories run in the order they start, so that each new case can go to the IRO with most room
on the day it starts, as a team manager would allocate it (`Allocator`).
"""

import heapq
from dataclasses import dataclass, field
from datetime import date, timedelta

from children.models import LookedAfterEpisode
from conferences import rules
from conferences.models import (
    Category,
    Conference,
    S47Enquiry,
    StrategyMeeting,
    StrategyMeetingChild,
    TransferIn,
)
from conferences.models import ConferenceChild as Outcome
from iro_service.dates import add_working_days, working_day_on_or_after, working_day_on_or_before
from people.models import User
from plans.models import CategoryChange, ChildProtectionPlan

from .base import Demo, at
from .bookings import Booking, Case, book, call_off, held_on, hold
from .names import DECISIONS, OTHER_AUTHORITIES

Reason = ChildProtectionPlan.EndReason
Delay = Conference.AdjournmentReason
CATEGORY_WEIGHTS = {
    Category.NEGLECT: 45,
    Category.EMOTIONAL: 32,
    Category.PHYSICAL: 10,
    Category.SEXUAL: 4,
    Category.MULTIPLE: 9,
}
# How many reviews before the plan ends (99: still open today), and why it ends. Plans last
# about a year on average; a few run past two years.
# How the invented cases behave, not statutory timescales (those are settings, read through
# the rules): business support books the initial conference the working day after the
# strategy discussion, gives the family at least a week's notice, and a strategy meeting
# agrees to follow up two weeks on (a chair's choice; no timescale governs it).
BOOKED_WORKING_DAYS_AFTER_DISCUSSION = 1
LEAST_NOTICE_WORKING_DAYS = 5
STRATEGY_FOLLOW_UP_WORKING_DAYS = 10
# Today's work for business support (the "to book" list): about four in ten initial
# conferences decided in the last few days are not yet booked, and of the reviews still to
# come most of those due in the next eight weeks are booked, half of the later ones (the
# others were not set at the conference before).
AWAITING_BOOKING = 0.4
BOOKING_HORIZON = timedelta(weeks=8)
REVIEWS_BOOKED_WITHIN_HORIZON = 0.85
REVIEWS_BOOKED_LATER = 0.5
REVIEW_COUNTS = {1: 22, 2: 36, 3: 20, 4: 11, 5: 5, 6: 3, 99: 3}
ENDINGS = {Reason.NO_LONGER_AT_RISK: 84, Reason.LOOKED_AFTER: 8, Reason.MOVED_AWAY: 8}
ADJOURNMENTS = (
    (Delay.FAMILY_ILLNESS, "Mother admitted to hospital the day before."),
    (Delay.REPORT_NOT_AVAILABLE, "Social worker's report not ready."),
    (Delay.NOT_QUORATE, "Only two agencies present."),
    (Delay.INTERPRETER, "The booked interpreter did not arrive."),
)
REARRANGEMENTS = (
    (Delay.CHAIR_UNAVAILABLE, "Chair off sick; conference moved."),
    (Delay.VENUE_UNAVAILABLE, "Room double-booked."),
    (Delay.ADMIN_ERROR, "Booked on a bank holiday in error."),
)
# Why a review was booked after its due date (recorded on most late reviews, §6.3.1).
LATE_REVIEW_REASONS = {
    Delay.CHAIR_UNAVAILABLE: 4,
    Delay.PROFESSIONAL_UNAVAILABLE: 3,
    Delay.VENUE_UNAVAILABLE: 2,
    Delay.ADMIN_ERROR: 2,
    Delay.LEGAL_ADVICE: 1,
}


@dataclass
class Spell:
    """Children on plans with one chair, from the day the case was allocated."""

    children: int
    ended_on: date | None


@dataclass
class Allocator:
    """Allocates each new case to an IRO in post with the fewest children on plans for their
    share of the work, mostly; now and then to the next one, or anyone (leave, continuity)."""

    demo: Demo
    spells: dict = field(default_factory=dict)  # IRO id -> their Spells still open

    def chair_for(self, day: date) -> User:
        org, rng = self.demo.org, self.demo.rng
        in_post = iros_in_post(self.demo, day)
        ranked = sorted(in_post, key=lambda iro: self._load(iro, day) / org.capacity[iro.pk])
        roll = rng.random()
        if roll < 0.7 or len(ranked) == 1:
            return ranked[0]
        return ranked[1] if roll < 0.9 else rng.choice(ranked)

    def allocated(self, chair: User, spell: Spell) -> None:
        self.spells.setdefault(chair.pk, []).append(spell)

    def _load(self, iro: User, day: date) -> int:
        # Cases come in date order, so a spell ended by `day` stays ended: drop it.
        spells = [s for s in self.spells.get(iro.pk, []) if s.ended_on is None or s.ended_on > day]
        self.spells[iro.pk] = spells
        return sum(spell.children for spell in spells)


def iros_in_post(demo: Demo, day: date) -> list[User]:
    return [iro for iro in demo.org.iros if demo.org.started_on[iro.pk] <= day]


def create_case_histories(demo: Demo, households) -> None:
    allocator = Allocator(demo)
    stories = []
    for order, (spec, household, children) in enumerate(households):
        case = Case(household, children)
        if spec.story in ("s47_only", "s47_ongoing"):
            _s47_without_plan(demo, case, spec.starts_on)
        elif spec.story != "known":  # case, recent_case, pre_birth, pre_birth_born, transfer_in
            stories.append((spec.starts_on, order, spec.story == "transfer_in", case))
    heapq.heapify(stories)
    while stories:
        starts_on, order, transfer, case = heapq.heappop(stories)
        case.chair = allocator.chair_for(starts_on)
        plans, ended, reason = _run_episode(demo, case, starts_on, transfer=transfer)
        if plans:
            allocator.allocated(case.chair, Spell(plans, ended))
        if ended and reason == Reason.NO_LONGER_AT_RISK and demo.chance(0.3):
            # A repeat plan (NI 65): the family is referred again some months later.
            again = working_day_on_or_before(ended + timedelta(days=demo.rng.randint(90, 300)))
            if again < demo.today - timedelta(days=10):
                heapq.heappush(stories, (again, order, False, case))


def _run_episode(demo: Demo, case: Case, starts_on: date, *, transfer: bool = False):
    """One referral to the end of its plans: (plans started, end date or None, reason)."""
    if transfer:
        # Booked the day the other authority's notice came.
        booked_on = starts_on - timedelta(days=demo.rng.randint(7, 20))
        due = rules.transfer_in_due_by(
            notified_on=booked_on, working_days=demo.timescales["TRANSFER_IN_WORKING_DAYS"]
        )
        booking = book(
            demo,
            case,
            Conference.Kind.TRANSFER_IN,
            starts_on,
            case.children,
            booked_on=booked_on,
            due_by=due,
        )
        _transfers_in(demo, case, booking, notified_on=booked_on)
    else:
        booking = _book_initial(demo, case, starts_on)
    if booking is None or held_on(booking.conference) >= demo.today:
        return 0, None, ""
    if not transfer and demo.chance(0.08):
        hold(demo, booking, {id(child): (Outcome.Outcome.NO_PLAN, "") for child in case.children})
        return 0, None, ""
    category = _pick_category(demo)
    outcomes = {
        id(child): (
            Outcome.Outcome.PLAN_STARTED,
            category if demo.chance(0.9) else _pick_category(demo),
        )
        for child in case.children
    }
    hold(demo, booking, outcomes)
    _start_plans(demo, case, booking, outcomes)
    plans = len(case.plans)
    ended, reason = _reviews(demo, case, held_on(booking.conference))
    return plans, ended, reason


def _transfers_in(demo: Demo, case: Case, booking: Booking, *, notified_on: date) -> None:
    """The other authority's notice for each child, met by the transfer-in conference."""
    by, authority = booking.conference.booked_by, demo.rng.choice(OTHER_AUTHORITIES)
    for child in case.children:
        notice = TransferIn(
            child=child,
            from_authority=authority,
            notified_on=notified_on,
            conference_due_by=booking.conference.due_by,
            conference=booking.conference,
        )
        demo.store.add(notice, when=booking.booked_at, by=by, reason="Transfer in notified")


def _book_initial(demo: Demo, case: Case, discussed_on: date) -> Booking | None:
    """Strategy discussion, then the initial conference within 15 working days (or late).
    None if the decision to convene is made but nothing is booked yet."""
    meeting = _strategy_meeting(demo, case, discussed_on)
    due = _initial_conference_due(demo, discussed_on)
    on = _initial_date(demo, discussed_on, due)
    unborn = any(child.date_of_birth is None or child.date_of_birth > on for child in case.children)
    kind = Conference.Kind.PRE_BIRTH_INITIAL if unborn else Conference.Kind.INITIAL
    booked_on = add_working_days(discussed_on, BOOKED_WORKING_DAYS_AFTER_DISCUSSION)
    if on >= demo.today and demo.chance(AWAITING_BOOKING):
        decided_on = min(booked_on, demo.today)
        _record_enquiries(demo, case, meeting, S47Enquiry.Outcome.CONFERENCE, decided_on)
        return None
    booking = book(demo, case, kind, on, case.children, booked_on=booked_on, due_by=due)
    enquiries = _record_enquiries(
        demo, case, meeting, S47Enquiry.Outcome.CONFERENCE, booked_on, booking.conference
    )
    booking.enquiry = enquiries[0]
    return booking


def _initial_conference_due(demo: Demo, discussed_on: date) -> date:
    return rules.initial_conference_due_by(
        strategy_discussion_on=discussed_on,
        working_days=demo.timescales["INITIAL_CONFERENCE_WORKING_DAYS"],
    )


def _next_review_due(demo: Demo, plan: ChildProtectionPlan, last_review_on: date | None) -> date:
    """The plan's next review date, by the one rule (as plans.services stores it)."""
    return rules.next_review_due_by(
        plan_start=plan.start_date,
        reviews_held=[last_review_on] if last_review_on else [],
        timescales=demo.timescales,
        born_on=plan.child.date_of_birth if plan.is_pre_birth else None,
    )


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
    return max(day, add_working_days(discussed_on, LEAST_NOTICE_WORKING_DAYS))


def _strategy_meeting(demo: Demo, case: Case, on: date) -> StrategyMeeting:
    admin = demo.admin()
    district = case.household.district
    scheduled = at(on, demo.rng.choice((9, 11, 14, 15)))
    meeting = StrategyMeeting(
        kind=StrategyMeeting.Kind.CHILD_PROTECTION,
        status=StrategyMeeting.Status.HELD,
        scheduled_for=scheduled,
        date=on,
        district=district,
        venue=demo.venue(district.id) if demo.chance(0.5) else None,
        chair=demo.rng.choice(iros_in_post(demo, on)),
        minute_taker=admin,
        decisions=demo.rng.choice(DECISIONS),
        follow_up_on=add_working_days(on, STRATEGY_FOLLOW_UP_WORKING_DAYS),
        ends_at=demo.ends_at(scheduled),
    )
    when = meeting.ends_at
    demo.store.add(meeting, when=when, by=admin, reason="Strategy meeting recorded")
    for child in case.children:
        demo.store.add(StrategyMeetingChild(meeting=meeting, child=child), when=when, by=admin)
    return meeting


def _record_enquiries(demo, case, meeting, outcome, decided_on, conference=None, **review):
    """An enquiry per child, ongoing from the strategy discussion until its outcome is
    decided on `decided_on` (none yet if `outcome` is ONGOING)."""
    discussed_on = meeting.date
    due = _initial_conference_due(demo, discussed_on)
    started_on = discussed_on + timedelta(days=demo.rng.choice((0, 0, 0, 1)))
    by, enquiries = meeting.minute_taker, []
    for child in case.children:
        enquiry = S47Enquiry(
            child=child,
            strategy_meeting=meeting,
            strategy_discussion_on=discussed_on,
            started_on=started_on,
            initial_conference_due_by=due,
        )
        demo.store.add(enquiry, when=at(started_on, 12), by=by, reason="Section 47 enquiry")
        if outcome != S47Enquiry.Outcome.ONGOING:
            enquiry.outcome, enquiry.initial_conference = outcome, conference
            enquiry.decided_on = decided_on
            for name, value in review.items():
                setattr(enquiry, name, value)
            demo.store.change(enquiry, when=at(decided_on, 17), by=by, reason="Outcome recorded")
        enquiries.append(enquiry)
    return enquiries


def _s47_without_plan(demo: Demo, case: Case, on: date) -> None:
    """Enquiries that led to no conference; the 'harm but no conference' ones are
    quality-assured by an IRO (§4.1). Recent ones are still ongoing."""
    meeting = _strategy_meeting(demo, case, on)
    decided_on = min(add_working_days(on, demo.rng.randint(5, 14)), demo.today)
    if on > demo.today - timedelta(days=15):
        _record_enquiries(demo, case, meeting, S47Enquiry.Outcome.ONGOING, decided_on)
    elif demo.chance(0.6):
        _record_enquiries(demo, case, meeting, S47Enquiry.Outcome.NO_HARM, decided_on)
    else:
        _record_enquiries(
            demo,
            case,
            meeting,
            S47Enquiry.Outcome.NO_CONFERENCE_HARM,
            decided_on,
            no_conference_reviewed_by=demo.rng.choice(iros_in_post(demo, on)),
            no_conference_review_note=(
                "Agreed: family engaging with a child in need plan; review in three months."
            ),
        )


def _start_plans(demo: Demo, case: Case, booking: Booking, outcomes: dict) -> None:
    conference = booking.conference
    on, when = held_on(conference), conference.ends_at
    for child in case.children:
        outcome, category = outcomes[id(child)]
        if outcome != Outcome.Outcome.PLAN_STARTED:
            continue
        plan = ChildProtectionPlan(
            child=child,
            start_date=on,
            initial_category=category,
            latest_category=category,
            initial_conference=conference,
            is_pre_birth=child.date_of_birth is None or child.date_of_birth > on,
        )
        plan.next_review_due_by = _next_review_due(demo, plan, None)
        demo.store.add(plan, when=when, by=conference.chair, reason="Plan started")
        case.plans[id(child)] = plan
        demo.plans.append(plan)


def _reviews(demo: Demo, case: Case, started_on: date):
    """Review until the plan's planned end, or until today (the next review is then booked)."""
    planned = demo.decks.deal("reviews", REVIEW_COUNTS)
    ending = demo.decks.deal("endings", ENDINGS)
    previous, held = started_on, 0
    while True:
        due = min(plan.next_review_due_by for plan in case.plans.values())
        if ending == Reason.MOVED_AWAY and held + 1 == planned:
            moved = previous + timedelta(days=demo.rng.randint(20, 90))
            if moved < min(demo.today, due):
                _end_plans(demo, case, moved, ending, by=demo.org.senior, when=at(moved, 12))
                return moved, ending
        booking = _review_conference(demo, case, due, previous)
        if booking is None:
            return None, ""
        previous, held = held_on(booking.conference), held + 1
        if held == planned and ending != Reason.MOVED_AWAY:
            _cease(demo, case, booking, ending)
            return previous, ending
        _continue(demo, case, booking)


def _review_date(demo: Demo, due: date) -> date:
    if demo.chance(0.035):
        return working_day_on_or_after(due + timedelta(days=demo.rng.randint(1, 20)))
    return working_day_on_or_before(due - timedelta(days=demo.rng.randint(0, 15)))


def _review_conference(demo: Demo, case: Case, due: date, previous: date) -> Booking | None:
    """Book the review (its date set at the conference before); a few are adjourned or
    rearranged first. None if not yet held (or not yet booked)."""
    day = _review_date(demo, due)
    if day >= demo.today and not _booked_yet(demo, due):
        return None
    children = [child for child in case.children if id(child) in case.plans]
    late_reason = ""
    if day > due and demo.chance(0.85):
        late_reason = demo.rng.choices(
            list(LATE_REVIEW_REASONS), weights=list(LATE_REVIEW_REASONS.values())
        )[0]
    booking = book(
        demo,
        case,
        Conference.Kind.REVIEW,
        day,
        children,
        booked_on=previous,
        delay_reason=late_reason,
    )
    roll = demo.rng.random()
    if day < demo.today and roll < 0.07:
        adjourned = roll < 0.035
        reason, note = demo.rng.choice(ADJOURNMENTS if adjourned else REARRANGEMENTS)
        status = Conference.Status.ADJOURNED if adjourned else Conference.Status.REARRANGED
        called_off_on = call_off(demo, booking, status, reason, note)
        day = working_day_on_or_after(day + timedelta(days=demo.rng.randint(7, 27)))
        if adjourned:  # reconvened in time (§6.3.1), whatever the setting
            day = min(day, working_day_on_or_before(booking.conference.reconvene_by))
        booking = book(
            demo,
            case,
            Conference.Kind.REVIEW,
            day,
            children,
            booked_on=called_off_on,
            rearranged_from=booking.conference,
        )
    return booking if day < demo.today else None


def _booked_yet(demo: Demo, due: date) -> bool:
    soon = due <= demo.today + BOOKING_HORIZON
    return demo.chance(REVIEWS_BOOKED_WITHIN_HORIZON if soon else REVIEWS_BOOKED_LATER)


def _continue(demo: Demo, case: Case, booking: Booking) -> None:
    """Plans continue; now and then the category changes (kept as history, §6.2)."""
    conference = booking.conference
    on, when = held_on(conference), conference.ends_at
    change = _new_category(demo, case) if demo.chance(0.12) else None
    outcomes = {
        key: (Outcome.Outcome.PLAN_CONTINUED, change or plan.latest_category)
        for key, plan in case.plans.items()
    }
    hold(demo, booking, outcomes)
    for plan in case.plans.values():
        reason = "Review held"
        if change and change != plan.latest_category:
            category_change = CategoryChange(
                plan=plan,
                changed_on=on,
                from_category=plan.latest_category,
                to_category=change,
                conference=conference,
                recorded_by=conference.chair,
            )
            demo.store.add(category_change, when=when, by=conference.chair)
            plan.latest_category, reason = change, "Review held; category changed"
        plan.next_review_due_by = _next_review_due(demo, plan, on)
        demo.store.change(plan, when=when, by=conference.chair, reason=reason)


def _cease(demo: Demo, case: Case, booking: Booking, reason: str) -> None:
    conference = booking.conference
    hold(demo, booking, {key: (Outcome.Outcome.PLAN_CEASED, "") for key in case.plans})
    when = conference.ends_at
    _end_plans(demo, case, held_on(conference), reason, by=conference.chair, when=when)


def _end_plans(demo: Demo, case: Case, on: date, reason: str, *, by, when) -> None:
    for plan in case.plans.values():
        plan.end_date, plan.end_reason, plan.next_review_due_by = on, reason, None
        demo.store.change(plan, when=when, by=by, reason="Plan ended")
        if reason == Reason.LOOKED_AFTER:
            _became_looked_after(demo, plan.child, on, by)
    case.plans.clear()


def _became_looked_after(demo: Demo, child, on: date, by) -> None:
    if id(child) in demo.looked_after:
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
    episode = LookedAfterEpisode(
        child=child,
        started_on=on - timedelta(days=demo.rng.randint(0, 10)),
        legal_status=status,
        placement_type=placement,
        recorded_by=by,
    )
    demo.store.add(episode, when=at(on, 15), by=by, reason="Became looked after")
    demo.looked_after[id(child)] = episode
