"""In-memory plan of the sample: children, households, plans and their conferences, built
before anything is saved (the records are then created in bulk, see save.py)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(eq=False)
class ChildSpec:
    key: int
    born: date | None = None
    expected: date | None = None
    gender: str = ""
    ethnicity: str = ""
    first_name: str = ""
    last_name: str = ""
    household: "HouseholdSpec | None" = None
    obj: Any = None


@dataclass(eq=False)
class HouseholdSpec:
    key: int
    district: str = ""
    chair: str = ""  # the allocated IRO's post, e.g. "IRO 2"
    children: list[ChildSpec] = field(default_factory=list)
    groups: list["GroupSpec"] = field(default_factory=list)
    last_name: str = ""
    ethnicity: str = ""
    no_plan_on: date | None = None  # date of an initial conference that made no plan
    referred_on: date | None = None  # strategy discussion that led to no conference
    no_plan_conference: Any = None
    obj: Any = None


@dataclass(eq=False)
class PlanSpec:
    key: int
    kind: str  # "old" (open at 31 March 2011), "new" (started in the year), "historic"
    category: str  # category at the start
    start: date
    end: date | None = None
    band: str | None = None
    cohort: str = ""  # "ni64" (ended after 2+ years) or "long_open" (open 2+ years)
    end_reason: str = ""
    ends_at_review: bool = False
    changes: list[tuple[date, str, str]] = field(default_factory=list)
    previous_plans: int | None = None
    pre_birth: bool = False
    age_target: tuple[int, date] | None = None  # (age, on) the child must be
    follows: "PlanSpec | None" = None  # the same child's earlier plan (a repeat plan)
    child: ChildSpec | None = None
    group: "GroupSpec | None" = None
    obj: Any = None

    @property
    def latest_category(self) -> str:
        return self.changes[-1][2] if self.changes else self.category

    def category_on(self, day: date) -> str:
        category = self.category
        for changed_on, _, to in self.changes:
            if changed_on <= day:
                category = to
        return category

    def is_open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


@dataclass(eq=False)
class ReviewSpec:
    on: date
    due: date
    delay_reason: str = ""
    rearranged_from: tuple[date, str, str] | None = None  # (date, reason, status)
    ceasing: bool = False
    extra: bool = False  # an early review added to reach the published count
    late: bool = False
    changes_category: tuple[str, str] | None = None  # (from, to) decided at this review
    obj: Any = None


@dataclass(eq=False)
class MeetingSpec:
    """A strategy meeting or discussion (§3, §4.1)."""

    on: date
    kind: str
    district: str = ""
    children: list[ChildSpec] = field(default_factory=list)
    chair: str = ""
    conference: Any = None  # the initial conference it led to: (group or household)
    s47_outcome: str = ""  # for a child protection (section 47) discussion
    status: str = "held"
    obj: Any = None


@dataclass(eq=False)
class GroupSpec:
    """Plans of one household's children that start at one conference and are reviewed
    together (a single child, or siblings)."""

    key: int
    plans: list[PlanSpec]
    reviews: list[ReviewSpec] = field(default_factory=list)
    household: HouseholdSpec | None = None
    ethnicity: str = ""  # set for households the published profile fixes
    adjourned_initial: tuple[date, str] | None = None  # an earlier, adjourned initial
    initial: Any = None  # the initial conference, once built

    @property
    def start(self) -> date:
        return self.plans[0].start

    @property
    def end(self) -> date | None:
        return self.plans[0].end

    @property
    def first(self) -> PlanSpec:
        return self.plans[0]
