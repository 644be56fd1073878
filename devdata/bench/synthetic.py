"""A seeded synthetic authority for timing the measures (`make bench`) and pinning their query
count (tests/reporting/test_query_count.py).

Scale 1.0 is ten times Lancashire in 2011/12 (indicators.md): about 7,200 plans start a year,
about 6,000 children are on plans at a time, nine districts, about 100 IROs; ten reporting
years of history end on 31 March of the benchmark year. Every random choice comes from one
`random.Random(seed)`, so the same Spec gives the same records.

Each household's story is the demo's (devdata/demo/cases.py) with the demo's rules of
thumb: a strategy discussion and a section 47 enquiry per child, an initial conference (some
rearranged or adjourned first, some after the 15 working days), plans for most children, a
first review about 3 months later and then about every 6 months (a few late, with a reason),
category changes, looked-after episodes, the plan ceasing at a review (or earlier: moved away,
looked after, 18th birthday), and for some families a repeat plan (NI 65). QA forms, feedback
questionnaires, escalations, enquiries without a conference and strategy meetings of the other
kinds are added at the report's rates. The rows respect every model constraint, but are
written in bulk (loader.py), without the services or history records, so ten
years of a large authority load in a minute or two.

Every deadline stored is the rules' (conferences.rules, plans.rules, quality_assurance.rules)
with the timescales of `settings.IRO_TIMESCALES`, read once when the build starts. As at the
last day, the authority has its work ahead as well (upcoming.py): reviews booked for most
plans due in the next weeks, initial conferences booked or still to book.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from children.codes import Ethnicity, Gender
from children.models import Child, Household, LookedAfterEpisode
from conferences import rules as conference_rules
from conferences.models import Conference, StrategyMeeting
from devdata.demo.names import BOYS, GIRLS, SURNAMES
from iro_service.dates import (
    add_months,
    age_on,
    subtract_working_days,
    working_day_on_or_after,
    working_day_on_or_before,
)
from people.models import Team
from plans.models import ChildProtectionPlan
from plans.services import plans_recompute_contact_deadlines

from . import records, upcoming
from .loader import Loader
from .records import CATEGORIES, MARKER

LONDON = ZoneInfo(settings.TIME_ZONE)

# Per reporting year at scale 1.0, ten times Lancashire 2011/12.
PLANS_PER_YEAR = 7_200
# First referrals to an initial conference per plan started: households average 1.9 children,
# most get plans, and repeat referrals add some (measured on the generator's own output).
REFERRALS_PER_PLAN = 0.575
ENQUIRIES_WITHOUT_CONFERENCE_PER_YEAR = 4_400
OTHER_STRATEGY_MEETINGS_PER_YEAR = 2_000

Kind, Status, Reason = Conference.Kind, Conference.Status, Conference.AdjournmentReason
EndReason = ChildProtectionPlan.EndReason
HOUSEHOLD_SIZES = {1: 45, 2: 30, 3: 15, 4: 10}
AGES = {(0, 4): 40, (5, 9): 27, (10, 15): 28, (16, 17): 5}
# How many reviews before the plan ceases: plans of 1 to about 40 months, Lancashire's bands.
REVIEWS_BEFORE_END = {1: 18, 2: 51, 3: 14, 4: 12, 5: 3, 6: 1.5, 7: 0.5}
# Some plans cease at a second review brought forward to 4 or 5 months (band B).
BROUGHT_FORWARD = 0.24
LEAVING = {EndReason.MOVED_AWAY: 40, EndReason.LOOKED_AFTER: 45, EndReason.OTHER: 15}
ETHNICITIES = {
    Ethnicity.WBRI: 80,
    Ethnicity.WOTH: 2,
    Ethnicity.MWBC: 3,
    Ethnicity.MWAS: 3,
    Ethnicity.MOTH: 2,
    Ethnicity.APKN: 4,
    Ethnicity.AIND: 1.5,
    Ethnicity.ABAN: 1,
    Ethnicity.BAFR: 1,
    Ethnicity.BCRB: 0.5,
    Ethnicity.OOTH: 1,
    Ethnicity.NOBT: 1,
}
OTHER_MEETING_KINDS = [k for k in StrategyMeeting.Kind.values if k != "child_protection"]


@dataclass(frozen=True)
class Spec:
    """What to build: `scale` times ten times Lancashire, `years` reporting years to 31 March
    of `year`, from `seed`."""

    year: int = 2025
    scale: float = 1.0
    seed: int = 2025
    years: int = 10

    def __post_init__(self):
        if not 0 < self.scale <= 10 or not 1 <= self.years <= 30:
            raise ValueError("scale must be in (0, 10] and years in [1, 30]")

    @property
    def first_day(self) -> date:
        return date(self.year - self.years, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 3, 31)

    @property
    def label(self) -> str:
        return f"seed {self.seed}, scale {self.scale:g}, {self.years} years to {self.last_day}"


def existing_build() -> str | None:
    """The label of the synthetic authority in the database, if there is one."""
    team = Team.objects.filter(name__startswith=MARKER).order_by("id").first()
    return team.name.removeprefix(MARKER).strip(" ()") if team else None


def build(spec: Spec) -> dict[str, int]:
    """Write the synthetic authority in one transaction; return rows written per model."""
    with transaction.atomic():
        loader = Loader(now=datetime.combine(spec.last_day, time(18), tzinfo=LONDON))
        Authority(spec, loader).generate()
        written = loader.finish()
        plans_recompute_contact_deadlines()
    return {model._meta.label: count for model, count in written.items()}


@dataclass
class Kid:
    id: int
    district_id: int
    born: date | None  # None: still unborn when the history ends
    due: date  # date of birth, or expected date of birth
    looked_after: bool = False  # has had its (one) looked-after episode

    def age_on(self, day: date) -> int | None:
        return age_on(self.born, day)

    @property
    def eighteenth_birthday(self) -> date:
        return add_months(self.due, 18 * 12)


@dataclass
class Home:
    id: int
    district_id: int
    surname: str
    kids: list[Kid] = field(default_factory=list)


@dataclass
class OpenPlan:
    kid: Kid
    id: int
    initial_category: str
    category: str  # the latest
    pre_birth: bool = False
    leaves: tuple[date, str] | None = None  # ends between conferences: (date, reason)
    end: date | None = None
    reason: str = ""


class Authority:
    """One run of the generator. Methods add rows to the loader's tables."""

    def __init__(self, spec: Spec, loader: Loader):
        self.spec, self.db = spec, loader
        self.rng = random.Random(spec.seed)
        self.first, self.last = spec.first_day, spec.last_day
        self.timescales = dict(settings.IRO_TIMESCALES)
        self.records = records.Records(self)
        self.children_by_district: dict[int, list[int]] = {}
        self.kids_written = 0
        self.homes_written = 0

    # -- helpers ---------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def day_in_history(self) -> date:
        return self.first + timedelta(days=self.rng.randrange((self.last - self.first).days + 1))

    def count(self, per_year: float) -> int:
        return max(1, round(per_year * self.spec.scale * self.spec.years))

    @staticmethod
    def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=LONDON)

    # -- the whole authority ---------------------------------------------------------------
    def generate(self) -> None:
        self.records.organisation()
        self.records.reference_data()
        for _ in range(self.count(PLANS_PER_YEAR * REFERRALS_PER_PLAN)):
            self.family_story(self.day_in_history())
        for _ in range(self.count(ENQUIRIES_WITHOUT_CONFERENCE_PER_YEAR)):
            self.enquiry_without_conference(self.day_in_history())
        for _ in range(self.count(OTHER_STRATEGY_MEETINGS_PER_YEAR)):
            self.other_strategy_meeting(self.day_in_history())
        upcoming.recent_referrals(self, per_year=PLANS_PER_YEAR * REFERRALS_PER_PLAN)

    # -- households and children -----------------------------------------------------------
    def home(self) -> Home:
        district_id = self.records.pick_district()
        self.homes_written += 1
        hid = self.db[Household].add(
            reference=f"SYN-H{self.homes_written:07d}", district_id=district_id
        )
        return Home(hid, district_id, self.rng.choice(SURNAMES))

    def kid(self, home: Home, on: date, *, age: int | None) -> Kid:
        """A child aged `age` on `on`, or (age None) due to be born a few weeks after it."""
        girl = self.chance(0.5)
        if age is None:
            expected = on + timedelta(days=self.rng.randint(20, 110))
            born = expected + timedelta(days=self.rng.randint(-14, 10))
            born = born if born <= self.last else None
            gender = (Gender.FEMALE if girl else Gender.MALE) if born else Gender.NOT_KNOWN
        else:
            expected = None
            born = on - timedelta(days=age * 365 + self.rng.randint(1, 364))
            gender = Gender.FEMALE if girl else Gender.MALE
        self.kids_written += 1
        kid_id = self.db[Child].add(
            local_id=f"SYN{self.kids_written:08d}",
            first_name=self.rng.choice(GIRLS if girl else BOYS),
            last_name=home.surname,
            date_of_birth=born,
            expected_date_of_birth=expected,
            gender=gender,
            ethnicity=self.pick(ETHNICITIES),
            disabilities=["NONE"] if self.chance(0.6) else [],
            household_id=home.id,
            district_id=home.district_id,
        )
        self.children_by_district.setdefault(home.district_id, []).append(kid_id)
        kid = Kid(kid_id, home.district_id, born, born or expected)
        home.kids.append(kid)
        return kid

    def kids_for(self, home: Home, on: date, *, pre_birth: bool) -> None:
        size = self.pick(HOUSEHOLD_SIZES)
        if pre_birth:
            self.kid(home, on, age=None)
            size -= 1
        for _ in range(size):
            low, high = self.pick(AGES)
            self.kid(home, on, age=self.rng.randint(low, high))

    # -- a family's referrals ----------------------------------------------------------------
    def family_story(self, start: date) -> None:
        home = self.home()
        self.kids_for(home, start, pre_birth=self.chance(0.09))
        first = True
        while True:
            ceased_on = self.episode(home, start, first=first)
            if ceased_on is None or not self.chance(0.10):
                return
            start = ceased_on + timedelta(days=self.rng.randint(60, 900))
            if start > self.last - timedelta(days=30):
                return
            if self.chance(0.2):
                self.kid(home, start, age=None)  # a new baby: a pre-birth conference
            first = False

    def episode(self, home: Home, start: date, *, first: bool) -> date | None:
        """One referral to the end of its plans. Returns the day the plans ceased at a review
        (the family may be referred again), else None."""
        day = working_day_on_or_after(start)
        kids = [k for k in home.kids if k.eighteenth_birthday > day + timedelta(days=90)]
        if not kids or day > self.last:
            return None
        chair = self.records.chair_for(home.district_id)
        unborn = {k.id for k in kids if k.due > day}
        kind = Kind.PRE_BIRTH_INITIAL if unborn else Kind.INITIAL
        icpc_id = self.db[Conference].new_id()
        target = booked_on = None
        if first and self.chance(0.02):
            kind = Kind.TRANSFER_IN
        else:
            within = self.timescales["INITIAL_CONFERENCE_WORKING_DAYS"]
            on_time = self.chance(0.85)
            lead = (
                self.rng.randint(min(5, within), within)
                if on_time
                else within + self.rng.randint(1, 13)
            )
            discussed = subtract_working_days(day, lead)
            target = self.records.strategy_discussion(home, kids, discussed, icpc_id)
            booked_on = upcoming.booked_after(self, discussed)
        previous, day, due_by = self.records.maybe_put_off(home, kind, day, chair, kids, target)
        if day > self.last:
            self.records.conference(
                home, kind, day, chair, kids, id=icpc_id, status=Status.BOOKED, due_by=due_by,
                rearranged_from=previous, booked_on=booked_on,
            )  # fmt: skip
            return None
        category = self.pick(CATEGORIES)
        on_plans = self.chance(0.88)
        plans = []
        for kid in kids:
            own = category if self.chance(0.9) else self.pick(CATEGORIES)
            if on_plans and self.chance(0.97):
                plans.append(OpenPlan(kid, self.db[ChildProtectionPlan].new_id(), own, own))
        self.records.conference(
            home, kind, day, chair, kids, id=icpc_id, rearranged_from=previous, due_by=due_by,
            outcomes={p.kid.id: ("plan_started", p.category) for p in plans},
        )  # fmt: skip
        if not plans:
            return None
        for plan in plans:
            plan.leaves = self.leaving(plan.kid, day)
            plan.pre_birth = plan.kid.id in unborn
        ceased_on, last_review = self.reviews(home, plans, day, chair)
        for plan in plans:
            self.write_plan(plan, day, icpc_id, last_review, first=first)
        return ceased_on

    def leaving(self, kid: Kid, start: date) -> tuple[date, str] | None:
        """When and why the plan would end between conferences: some children move away or
        become looked after; the others would leave at 18 (most plans cease at a review first)."""
        if self.chance(0.07):
            return start + timedelta(days=self.rng.randint(30, 700)), self.pick(LEAVING)
        return (kid.eighteenth_birthday, EndReason.REACHED_18)

    def review_due(self, plan: OpenPlan, start: date, last_review: date | None) -> date:
        """The plan's next review date by the rule, as plans.services stores it."""
        return conference_rules.next_review_due_by(
            plan_start=start,
            reviews_held=(last_review,) if last_review else (),
            timescales=self.timescales,
            born_on=plan.kid.born if plan.pre_birth else None,
        )

    def reviews(self, home: Home, plans: list[OpenPlan], start: date, chair):
        """Review conferences until the plans cease or the history ends. Returns the day they
        ceased (or None) and the day of the last review held (or None)."""
        wanted = self.pick(REVIEWS_BEFORE_END)
        brought_forward = wanted == 2 and self.chance(BROUGHT_FORWARD)
        held, day, last = 0, start, None
        while True:
            dues = {p.kid.id: self.review_due(p, start, last) for p in plans if p.end is None}
            due = min(dues.values())
            late = self.chance(0.008)
            if late:
                planned = working_day_on_or_after(due + timedelta(days=self.rng.randint(1, 20)))
            elif held == 1 and brought_forward:
                planned = working_day_on_or_after(day + timedelta(days=self.rng.randint(30, 75)))
            else:
                planned = working_day_on_or_before(due - timedelta(days=self.rng.randint(0, 25)))
            active = self.end_leavers(plans, before=min(planned, self.last + timedelta(days=1)))
            if not active:
                return None, last
            if self.chance(0.1):
                chair = self.records.chair_for(home.district_id)
            kids = [p.kid for p in active]
            due = min(dues[kid.id] for kid in kids)  # the children at this review
            if planned > self.last:
                upcoming.review(self, home, planned, chair, kids, dues, booked_on=day)
                return None, last
            previous, day, due_by = self.records.maybe_put_off(
                home, Kind.REVIEW, planned, chair, kids, due, review_dues=dues
            )
            # A plan may end while its review is put off: that child is not at the next one.
            active = self.end_leavers(plans, before=min(day, self.last + timedelta(days=1)))
            if not active:
                return None, last
            kids = [p.kid for p in active]
            if day > self.last:
                self.records.conference(
                    home, Kind.REVIEW, day, chair, kids, status=Status.BOOKED, due_by=due_by,
                    review_dues=dues, rearranged_from=previous, booked_on=planned,
                )  # fmt: skip
                return None, last
            held += 1
            ceasing = held >= wanted
            conference_id = self.db[Conference].new_id()
            if not ceasing and self.chance(0.07):
                self.records.change_category(active, day, conference_id, chair)
            outcome = "plan_ceased" if ceasing else "plan_continued"
            self.records.conference(
                home, Kind.REVIEW, day, chair, kids, id=conference_id, due_by=due_by,
                review_dues=dues, rearranged_from=previous,
                delay_reason=Reason.ADMIN_ERROR if late else "",
                outcomes={p.kid.id: (outcome, p.category) for p in active},
            )  # fmt: skip
            last = day
            if ceasing:
                for plan in active:
                    plan.end, plan.reason = day, EndReason.NO_LONGER_AT_RISK
                return day, last

    def end_leavers(self, plans: list[OpenPlan], *, before: date) -> list[OpenPlan]:
        """End the open plans that end between conferences before a day; return those open."""
        for plan in plans:
            if plan.end is None and plan.leaves and plan.leaves[0] < before:
                plan.end, plan.reason = plan.leaves
        return [plan for plan in plans if plan.end is None]

    def write_plan(self, plan: OpenPlan, start, icpc_id, last_review, *, first) -> None:
        imported = first and self.chance(0.04)
        self.db[ChildProtectionPlan].add(
            id=plan.id,
            child_id=plan.kid.id,
            start_date=start,
            end_date=plan.end,
            end_reason=plan.reason,
            initial_category=plan.initial_category,
            latest_category=plan.category,
            is_pre_birth=plan.pre_birth,
            number_of_previous_plans=self.rng.randint(1, 2) if imported else None,
            initial_conference_id=icpc_id,
            next_review_due_by=self.review_due(plan, start, last_review)
            if plan.end is None
            else None,
        )
        self.looked_after(plan, start)

    def looked_after(self, plan: OpenPlan, start: date) -> None:
        """About one child on a plan in eight is looked after for part of it (§6.3.4)."""
        kid = plan.kid
        if kid.looked_after or kid.born is None:
            return
        became = plan.reason == EndReason.LOOKED_AFTER
        if not became and not self.chance(0.12):
            return
        end = plan.end or self.last
        began = start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))
        if became:
            began = end
        began = max(began, kid.born)
        ended = began + timedelta(days=self.rng.randint(60, 900))
        kid.looked_after = True
        self.db[LookedAfterEpisode].add(
            child_id=kid.id,
            started_on=began,
            ended_on=ended if ended <= self.last else None,
            legal_status=self.pick({"C1": 55, "V2": 40, "C2": 3, "other": 2}),
            placement_type=self.pick(
                {
                    "foster_other_in_area": 70,
                    "placed_with_parents": 18,
                    "foster_other_out_of_area": 8,
                    "foster_relative_in_area": 4,
                }
            ),
        )

    # -- strategy meetings without a conference ------------------------------------------
    def enquiry_without_conference(self, start: date) -> None:
        home = self.home()
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3))):
            low, high = self.pick(AGES)
            self.kid(home, start, age=self.rng.randint(low, high))
        self.records.strategy_discussion(home, home.kids, working_day_on_or_after(start), None)

    def other_strategy_meeting(self, day: date) -> None:
        district_id = self.records.pick_district()
        children = self.children_by_district.get(district_id)
        if not children:
            return
        self.records.strategy_meeting(
            district_id, working_day_on_or_after(day), [self.rng.choice(children)],
            kind=self.rng.choice(OTHER_MEETING_KINDS),
        )  # fmt: skip
