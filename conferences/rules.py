"""Statutory and local timescales around conferences. Pure functions: dates in, dates out.

Every date a conference stores is computed here, and nowhere else: the booking service, the
census import, the demo, the Lancashire sample and the bench authority all call these.
The settings (`settings.IRO_TIMESCALES`) are passed in as a mapping by the caller, so the
functions never read the clock or the settings themselves.

Sources: Working Together (15 working days to the initial conference); the CIN census
InitialCPCtarget; §9.4 (reports shared 24 h / 48 h before); §7.7.2 (decision sheet within one
working day); domain.md timescales table (minutes, adjourned reviews, invitations 4 weeks and
report requests 6 weeks before a review); workflows.md "Booking" (transfer-in 15 working days
from notification; meeting length) and "Invitations and reports" (chasers N working days
before).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from iro_service.dates import add_working_days, is_working_day, subtract_working_days
from plans import rules as plan_rules


def initial_conference_due_by(*, strategy_discussion_on: date, working_days: int = 15) -> date:
    """The 15th working day after the (last) strategy discussion; the next working day is day 1."""
    return add_working_days(strategy_discussion_on, working_days)


def strategy_discussion_for_target(*, target: date, started_on: date, working_days: int) -> date:
    """The strategy discussion a CIN census InitialCPCtarget was counted from: `working_days`
    working days before it (initial_conference_due_by backwards), never after the enquiry began."""
    return min(subtract_working_days(target, working_days), started_on)


def transfer_in_due_by(*, notified_on: date, working_days: int = 15) -> date:
    """A transfer-in conference within 15 working days of the notification (local procedures)."""
    return add_working_days(notified_on, working_days)


def report_share_due_by(*, conference_at: datetime, hours_before: int) -> datetime:
    """The social worker's report reaches parents at least 24 h (initial) or 48 h (review) before."""
    return conference_at - timedelta(hours=hours_before)


def decision_sheet_due_by(*, held_on: date, working_days: int = 1) -> date:
    """The chair's decision sheet is distributed within one working day of the conference."""
    return add_working_days(held_on, working_days)


def minutes_due_by(*, held_on: date, working_days: int = 15) -> date:
    """Minutes signed off and distributed within 15 working days."""
    return add_working_days(held_on, working_days)


def adjourned_review_reconvene_by(*, adjourned_on: date, days: int = 28) -> date:
    """An adjourned review is reconvened within 28 days (§6.3.1)."""
    return adjourned_on + timedelta(days=days)


def invitations_due_by(*, is_review: bool, booked_on: date, held_on: date, weeks: int = 4) -> date:
    """Invitations go at least 4 weeks before a review; for an initial or transfer-in
    conference, as soon as it is booked. Never before the day it is booked."""
    if not is_review:
        return booked_on
    return max(booked_on, held_on - timedelta(weeks=weeks))


def reports_requested_by(
    *, is_review: bool, booked_on: date, held_on: date, weeks: int = 6
) -> date:
    """Agency reports are requested 6 weeks before a review; for an initial conference, on
    booking (there are only 15 working days). Never before the day it is booked."""
    if not is_review:
        return booked_on
    return max(booked_on, held_on - timedelta(weeks=weeks))


def reports_due_by(*, held_on: date, working_days: int = 5) -> date:
    """Reports not in `working_days` working days before the conference are chased."""
    return subtract_working_days(held_on, working_days)


def next_review_due_by(
    *,
    plan_start: date,
    reviews_held: Iterable[date],
    timescales: Mapping[str, int],
    born_on: date | None = None,
) -> date:
    """A plan's next review: 3 months after the initial conference (and, for a plan made before
    birth, within 20 working days of the birth if sooner), then 6 months after the last review
    (a local setting may make it 5). Reviews on or before the plan's start don't count.
    `born_on` is the date of birth of a child whose plan started before they were born."""
    last = max((on for on in reviews_held if on > plan_start), default=None)
    if last is not None:
        return plan_rules.later_review_due_by(
            previous_review_on=last, months=timescales["LATER_REVIEW_MONTHS"]
        )
    return plan_rules.first_review_due_by(
        plan_start=plan_start,
        months=timescales["FIRST_REVIEW_MONTHS"],
        born_on=born_on if born_on and born_on > plan_start else None,
        pre_birth_working_days=timescales["PRE_BIRTH_FIRST_REVIEW_WORKING_DAYS"],
    )


@dataclass(frozen=True)
class BookingDates:
    """Every date a booking stores (style.md rule 2), computed together."""

    ends_at: datetime
    invitations_due_by: date
    reports_requested_by: date
    reports_due_by: date
    report_share_due_by: datetime


def booking_dates(
    *, starts_at: datetime, held_on: date, booked_on: date, is_review: bool, timescales: Mapping
) -> BookingDates:
    """The dates stored when a conference is booked or rearranged."""
    hours = timescales["REPORT_SHARED_HOURS_REVIEW" if is_review else "REPORT_SHARED_HOURS_INITIAL"]
    return BookingDates(
        ends_at=starts_at + timedelta(minutes=timescales["MEETING_LENGTH_MINUTES"]),
        invitations_due_by=invitations_due_by(
            is_review=is_review,
            booked_on=booked_on,
            held_on=held_on,
            weeks=timescales["REVIEW_INVITATION_WEEKS"],
        ),
        reports_requested_by=reports_requested_by(
            is_review=is_review,
            booked_on=booked_on,
            held_on=held_on,
            weeks=timescales["REVIEW_REPORT_REQUEST_WEEKS"],
        ),
        reports_due_by=reports_due_by(
            held_on=held_on, working_days=timescales["REPORT_CHASE_WORKING_DAYS"]
        ),
        report_share_due_by=report_share_due_by(conference_at=starts_at, hours_before=hours),
    )


def meeting_ends_at(*, starts_at: datetime, minutes: int = 120) -> datetime:
    """A conference or strategy meeting is booked for the meeting length setting, 2 hours by
    default (workflows.md, "Booking"): its end is what double bookings are checked against."""
    return starts_at + timedelta(minutes=minutes)


def paperwork_due(*, held_on: date, timescales: Mapping) -> tuple[date, date]:
    """(decision sheet due, minutes due) for a conference held on `held_on`."""
    return (
        decision_sheet_due_by(
            held_on=held_on, working_days=timescales["DECISION_SHEET_WORKING_DAYS"]
        ),
        minutes_due_by(held_on=held_on, working_days=timescales["MINUTES_WORKING_DAYS"]),
    )


def booking_warnings(*, held_on: date, now: datetime, report_share_due: datetime) -> list[str]:
    """What a booker is warned of, without being stopped (workflows.md, "Booking")."""
    warnings = []
    if not is_working_day(held_on):
        warnings.append(
            f"{held_on:%A} {held_on.day} {held_on:%B %Y} is not a working day (a weekend or bank holiday)."
        )
    if report_share_due < now:
        warnings.append(
            "There is too little time to share the social worker's report with the parents "
            "before the conference."
        )
    return warnings


# Who counts towards quorum: agencies, not the family or the people speaking for them.
NOT_AGENCIES = frozenset({"family", "advocate"})
SOCIAL_CARE = "social_care"


@dataclass(frozen=True)
class Quorum:
    """Whether the people present make a quorate conference, and what is missing."""

    quorate: bool
    social_care_present: bool
    other_agencies: tuple[str, ...]
    other_needed: int

    @property
    def shortfall(self) -> str:
        """What is missing, in plain words ("" when quorate)."""
        missing = []
        if not self.social_care_present:
            missing.append("children's social care")
        short = self.other_needed - len(self.other_agencies)
        if short > 0:
            missing.append(f"{short} more agenc{'y' if short == 1 else 'ies'}")
        return " and ".join(missing)


def quorum(present_agencies: Iterable[str], *, other_needed: int = 2) -> Quorum:
    """A conference is quorate when children's social care and at least `other_needed` other
    agencies take part, in person or remotely (workflows.md, "Holding"). Parents, carers and
    advocates take part but are not agencies; several people from one agency count once."""
    agencies = set(present_agencies) - NOT_AGENCIES
    others = tuple(sorted(agencies - {SOCIAL_CARE}))
    social_care = SOCIAL_CARE in agencies
    return Quorum(
        quorate=social_care and len(others) >= other_needed,
        social_care_present=social_care,
        other_agencies=others,
        other_needed=other_needed,
    )


# The caseload report counts the strategy meetings each IRO chaired in the three months up to
# its date (§5.4): the report's definition, the same for every authority, so not a setting.
CASELOAD_MEETING_MONTHS = 3


def caseload_meetings_after(on: date) -> date:
    """The caseload report at `on` counts the strategy meetings held after this day."""
    return on - relativedelta(months=CASELOAD_MEETING_MONTHS)
