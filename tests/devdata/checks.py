"""What every generator and the census import must store, recomputed from the rules: each
check compares the stored dates with conferences.rules' (or plans.rules', quality_assurance.
rules') output for the changed timescales, and makes sure the change shows (some value differs
from what the default timescales give), so a check cannot pass by leaving a setting unread.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Min
from django.utils import timezone

from conferences import rules
from conferences.models import Conference, ConferenceChild, S47Enquiry, StrategyMeeting
from iro_service.dates import working_days_between
from plans.models import ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit
from quality_assurance.models import Escalation
from quality_assurance.rules import escalation_response_due_by

HELD, REVIEW = Conference.Status.HELD, Conference.Kind.REVIEW

# Every timescale a generator or the import reads, each moved off its default.
CHANGES = {
    "INITIAL_CONFERENCE_WORKING_DAYS": 12,
    "FIRST_REVIEW_MONTHS": 2,
    "PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS": 12,
    "LATER_REVIEW_MONTHS": 5,
    "REPORT_SHARED_HOURS_INITIAL": 48,
    "REPORT_SHARED_HOURS_REVIEW": 120,
    "DECISION_SHEET_WORKING_DAYS": 2,
    "MINUTES_WORKING_DAYS": 10,
    "FIRST_CORE_GROUP_WORKING_DAYS": 6,
    "CORE_GROUP_INTERVAL_MONTHS": 2,
    "CP_VISIT_WORKING_DAYS": 20,
    "ADJOURNED_REVIEW_DAYS": 21,
    "TRANSFER_IN_WORKING_DAYS": 10,
    "REVIEW_INVITATION_WEEKS": 3,
    "REVIEW_REPORT_REQUEST_WEEKS": 5,
    "REPORT_CHASE_WORKING_DAYS": 3,
    "MEETING_LENGTH_MINUTES": 90,
    "ESCALATION_LEVEL_WORKING_DAYS": 3,
}


class Timescales:
    """The default timescales and the changed ones, side by side."""

    def __init__(self, default: dict):
        self.default = dict(default)
        self.changed = {**self.default, **CHANGES}
        for name, value in CHANGES.items():
            assert self.default[name] != value, f"{name}: pick a value off the default"


def follows(stored: list, changed: list, default: list, what: str) -> None:
    """Every stored value is the rule's with the changed timescales; some differ from the
    default's (the setting was read)."""
    assert stored, f"nothing stored to check: {what}"
    wrong = [(s, c) for s, c in zip(stored, changed, strict=True) if s != c]
    assert not wrong, f"{what}: {len(wrong)} of {len(stored)} differ from the rule, {wrong[:3]}"
    assert changed != default, f"{what}: the changed setting made no difference"


def held_reviews() -> dict[int, list[date]]:
    """Child id -> the dates of the held reviews that considered them."""
    rows = ConferenceChild.objects.filter(
        conference__kind=REVIEW, conference__status=HELD
    ).values_list("child_id", "conference__date")
    reviews = defaultdict(list)
    for child_id, on in rows:
        reviews[child_id].append(on)
    return reviews


def _review_due(plan, reviews, timescales, before=None) -> date:
    return rules.next_review_due_by(
        plan_start=plan.start_date,
        reviews_held=[on for on in reviews if before is None or on < before],
        timescales=timescales,
        born_on=plan.child.date_of_birth if plan.is_pre_birth else None,
    )


def check_next_review_dates(t: Timescales) -> None:
    """FIRST_REVIEW_MONTHS, LATER_REVIEW_MONTHS, PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS: each open
    plan's next review date."""
    reviews = held_reviews()
    plans = list(ChildProtectionPlan.objects.filter(end_date__isnull=True).select_related("child"))
    follows(
        [plan.next_review_due_by for plan in plans],
        [_review_due(plan, reviews[plan.child_id], t.changed) for plan in plans],
        [_review_due(plan, reviews[plan.child_id], t.default) for plan in plans],
        "next review due",
    )


def check_review_due_dates(t: Timescales) -> None:
    """Each child's review due date stored on the reviews held: the plan's next review date
    when the review was booked (after the reviews held before it)."""
    reviews = held_reviews()
    plans = defaultdict(list)
    for plan in ChildProtectionPlan.objects.select_related("child"):
        plans[plan.child_id].append(plan)
    rows = ConferenceChild.objects.filter(
        conference__kind=REVIEW, conference__status=HELD
    ).select_related("conference")
    stored, changed, default = [], [], []
    for row in rows:
        on = row.conference.date
        plan = next(
            p for p in plans[row.child_id] if p.start_date < on and (p.end_date or on) >= on
        )
        stored.append(row.review_due_on)
        changed.append(_review_due(plan, reviews[row.child_id], t.changed, before=on))
        default.append(_review_due(plan, reviews[row.child_id], t.default, before=on))
    follows(stored, changed, default, "review due on, per child")


def check_initial_conference_targets(t: Timescales) -> None:
    """INITIAL_CONFERENCE_WORKING_DAYS: each enquiry's initial conference target."""
    enquiries = list(S47Enquiry.objects.all())

    def target(enquiry, timescales):
        return rules.initial_conference_due_by(
            strategy_discussion_on=enquiry.strategy_discussion_on,
            working_days=timescales["INITIAL_CONFERENCE_WORKING_DAYS"],
        )

    follows(
        [e.initial_conference_due_by for e in enquiries],
        [target(e, t.changed) for e in enquiries],
        [target(e, t.default) for e in enquiries],
        "initial conference target",
    )


def check_paperwork(t: Timescales) -> None:
    """DECISION_SHEET_WORKING_DAYS, MINUTES_WORKING_DAYS: each held conference's deadlines."""
    held = list(Conference.objects.filter(status=HELD))
    follows(
        [(c.decision_sheet_due_by, c.minutes_due_by) for c in held],
        [rules.paperwork_due(held_on=c.date, timescales=t.changed) for c in held],
        [rules.paperwork_due(held_on=c.date, timescales=t.default) for c in held],
        "decision sheet and minutes due",
    )


def _report_share(conference, timescales):
    review = conference.kind == REVIEW
    hours = timescales["REPORT_SHARED_HOURS_REVIEW" if review else "REPORT_SHARED_HOURS_INITIAL"]
    # In local time, as the services and generators pass it (aware arithmetic in one zone).
    at = timezone.localtime(conference.scheduled_for)
    return rules.report_share_due_by(conference_at=at, hours_before=hours)


def check_report_share(t: Timescales, conferences=None) -> None:
    """REPORT_SHARED_HOURS_INITIAL and _REVIEW: when each report is due to reach the parents."""
    conferences = list(
        conferences if conferences is not None else Conference.objects.filter(status=HELD)
    )
    for kind in (REVIEW, Conference.Kind.INITIAL):
        some = [c for c in conferences if (c.kind == REVIEW) == (kind == REVIEW)]
        follows(
            [c.report_share_due_by for c in some],
            [_report_share(c, t.changed) for c in some],
            [_report_share(c, t.default) for c in some],
            f"report share due ({kind})",
        )


def check_reconvene_by(t: Timescales) -> None:
    """ADJOURNED_REVIEW_DAYS: each adjourned conference's reconvene-by date, and the date the
    conference that reconvened it must be held by."""
    adjourned = list(Conference.objects.filter(status=Conference.Status.ADJOURNED))

    def reconvene(c, timescales):
        days = timescales["ADJOURNED_REVIEW_DAYS"]
        return rules.adjourned_review_reconvene_by(adjourned_on=c.date, days=days)

    follows(
        [c.reconvene_by for c in adjourned],
        [reconvene(c, t.changed) for c in adjourned],
        [reconvene(c, t.default) for c in adjourned],
        "reconvene by",
    )
    reconvened = Conference.objects.filter(rearranged_from__in=adjourned)
    assert reconvened and all(c.due_by == c.rearranged_from.reconvene_by for c in reconvened)


def check_review_held_by(t: Timescales) -> None:
    """A review must be held by the soonest of its children's review due dates (unless it
    reconvenes an adjourned one)."""
    reviews = Conference.objects.filter(kind=REVIEW, rearranged_from__isnull=True).annotate(
        soonest=Min("child_outcomes__review_due_on")
    )
    pairs = [(c.due_by, c.soonest) for c in reviews if c.soonest]
    assert pairs and all(due_by == soonest for due_by, soonest in pairs)


def check_booking_dates(t: Timescales, booked_on: dict[int, date]) -> None:
    """REVIEW_INVITATION_WEEKS, REVIEW_REPORT_REQUEST_WEEKS, REPORT_CHASE_WORKING_DAYS,
    MEETING_LENGTH_MINUTES, REPORT_SHARED_HOURS_*: what a booking stores, for the conferences
    still to come (`booked_on`: conference id -> the day it was booked)."""
    booked = list(Conference.objects.filter(status=Conference.Status.BOOKED))
    assert any(c.kind == REVIEW for c in booked) and any(c.kind != REVIEW for c in booked)

    def dates(c, timescales):
        return rules.booking_dates(
            starts_at=timezone.localtime(c.scheduled_for),
            held_on=c.date,
            booked_on=booked_on[c.pk],
            is_review=c.kind == REVIEW,
            timescales=timescales,
        )

    def stored(c):
        return rules.BookingDates(
            ends_at=c.ends_at,
            invitations_due_by=c.invitations_due_by,
            reports_requested_by=c.reports_requested_by,
            reports_due_by=c.reports_due_by,
            report_share_due_by=c.report_share_due_by,
        )

    for field in ("ends_at", "invitations_due_by", "reports_requested_by", "reports_due_by"):
        follows(
            [getattr(stored(c), field) for c in booked],
            [getattr(dates(c, t.changed), field) for c in booked],
            [getattr(dates(c, t.default), field) for c in booked],
            f"booked conferences' {field}",
        )
    check_report_share(t, booked)


def booked_on_from_history() -> dict[int, date]:
    """Conference id -> the day its first version was saved (the demo dates history)."""
    rows = Conference.history.filter(history_type="+").values_list("id", "history_date")
    return {pk: timezone.localdate(when) for pk, when in rows}


def check_escalations(t: Timescales) -> None:
    """ESCALATION_LEVEL_WORKING_DAYS: each escalation's response deadline at its level."""
    escalations = list(Escalation.objects.all())

    def due(e, timescales):
        days = timescales["ESCALATION_LEVEL_WORKING_DAYS"]
        return escalation_response_due_by(level_reached_on=e.level_reached_on, working_days=days)

    follows(
        [e.response_due_by for e in escalations],
        [due(e, t.changed) for e in escalations],
        [due(e, t.default) for e in escalations],
        "escalation response due",
    )


def check_meeting_ends(t: Timescales) -> None:
    """MEETING_LENGTH_MINUTES: strategy meetings are booked for the meeting length too."""
    meetings = list(StrategyMeeting.objects.all())
    length = timedelta(minutes=t.changed["MEETING_LENGTH_MINUTES"])
    assert meetings and all(m.ends_at == m.scheduled_for + length for m in meetings)


def check_core_groups_and_visits(t: Timescales) -> None:
    """FIRST_CORE_GROUP_WORKING_DAYS, CORE_GROUP_INTERVAL_MONTHS, CP_VISIT_WORKING_DAYS: the
    demo's core groups and visits keep to them, mostly (some are late, as in life)."""
    first_days, intervals, visit_gaps = [], [], []
    for plan in ChildProtectionPlan.objects.filter(end_date__isnull=True):
        held = sorted(CoreGroupMeeting.objects.filter(plan=plan).values_list("held_on", flat=True))
        if held:
            first_days.append(working_days_between(plan.start_date, held[0]))
            intervals += [(b - a).days for a, b in zip(held, held[1:], strict=False)]
        visits = sorted(
            ProtectionVisit.objects.filter(plan=plan).values_list("visited_on", flat=True)
        )
        visit_gaps += [working_days_between(a, b) for a, b in zip(visits, visits[1:], strict=False)]
    first_within = t.changed["FIRST_CORE_GROUP_WORKING_DAYS"]
    assert sum(days <= first_within for days in first_days) >= 0.8 * len(first_days) > 0
    assert _median(intervals) > 45  # about two months, not one
    every = t.changed["CP_VISIT_WORKING_DAYS"]
    assert every - 3 <= _median(visit_gaps) <= every + 1


def _median(values: list) -> float:
    values = sorted(values)
    assert values
    return values[len(values) // 2]
