"""The synthetic authority's work ahead, as at its last day (synthetic.py): what a "to book"
list and an IRO's "next 4 weeks" are benchmarked on.

Reviews are mostly booked at the conference before, so most plans whose next review is due in
the next eight weeks have it booked (with its chair and venue), fewer of those due later. The
families referred in the last few weeks have an initial conference booked, or are still
waiting for one (the enquiry decided to convene, nothing booked yet). Every date stored is the
rules' (records.py). These are the bench's own rates, not timescales.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from conferences.models import Conference
from iro_service.dates import (
    add_working_days,
    subtract_working_days,
    working_day_on_or_after,
    working_day_on_or_before,
)

if TYPE_CHECKING:
    from .synthetic import Authority, Home, Kid

Kind, Status = Conference.Kind, Conference.Status
HORIZON = timedelta(weeks=8)
REVIEWS_BOOKED_WITHIN_HORIZON = 0.9
REVIEWS_BOOKED_LATER = 0.4
# An initial conference is booked the working day after the strategy discussion, at least a
# week's notice ahead; of the referrals of the last weeks, this share is still to book.
BOOKED_WORKING_DAYS_AFTER_DISCUSSION = 1
LEAST_NOTICE_WORKING_DAYS = 5
AWAITING_BOOKING = 0.35
WORKING_DAYS_PER_YEAR = 253
PRE_BIRTH = 0.09  # of referrals, as synthetic.py's


def booked_after(a: "Authority", discussed: date) -> date:
    """The day an initial conference is booked, after its strategy discussion."""
    return min(add_working_days(discussed, BOOKED_WORKING_DAYS_AFTER_DISCUSSION), a.last)


def review(a: "Authority", home: "Home", day: date, chair, kids: list["Kid"], dues, *, booked_on):
    """A review still to come: booked (at the conference before, on `booked_on`) for most of
    those due soon, else not yet booked (the plan's stored next review date says when)."""
    due = min(dues[kid.id] for kid in kids)
    soon = due <= a.last + HORIZON
    if not a.chance(REVIEWS_BOOKED_WITHIN_HORIZON if soon else REVIEWS_BOOKED_LATER):
        return
    a.records.conference(
        home, Kind.REVIEW, day, chair, kids, status=Status.BOOKED, due_by=due,
        review_dues=dues, booked_on=min(booked_on, a.last),
    )  # fmt: skip


def recent_referrals(a: "Authority", *, per_year: float) -> None:
    """Families whose strategy discussion was in the last INITIAL_CONFERENCE_WORKING_DAYS
    working days and whose initial conference is still ahead: as many as the history's
    referrals a working day."""
    window = a.timescales["INITIAL_CONFERENCE_WORKING_DAYS"]
    count = max(1, round(per_year * a.spec.scale * window / WORKING_DAYS_PER_YEAR))
    for _ in range(count):
        discussed = subtract_working_days(a.last + timedelta(days=1), a.rng.randint(1, window))
        home = a.home()
        a.kids_for(home, discussed, pre_birth=a.chance(PRE_BIRTH))
        if a.chance(AWAITING_BOOKING):
            a.records.strategy_discussion(home, home.kids, discussed, None, convene=True)
            continue
        _initial_conference(a, home, discussed)


def _initial_conference(a: "Authority", home: "Home", discussed: date) -> None:
    icpc_id = a.db[Conference].new_id()
    target = a.records.strategy_discussion(home, home.kids, discussed, icpc_id)
    first = working_day_on_or_after(
        max(add_working_days(discussed, LEAST_NOTICE_WORKING_DAYS), a.last + timedelta(days=1))
    )
    latest = max(first, target)
    day = working_day_on_or_before(first + timedelta(days=a.rng.randint(0, (latest - first).days)))
    day = max(first, day)
    kind = Kind.PRE_BIRTH_INITIAL if any(k.due > day for k in home.kids) else Kind.INITIAL
    chair = a.records.chair_for(home.district_id)
    a.records.conference(
        home, kind, day, chair, home.kids, id=icpc_id, status=Status.BOOKED, due_by=target,
        booked_on=booked_after(a, discussed),
    )  # fmt: skip
