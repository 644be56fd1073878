"""A child's CIN census episodes for one collection year, from what the service records.

Pure functions: facts in, census modules out; no ORM, no clock (style.md rule 1).

The service holds the child protection part of a child in need episode: strategy discussions,
section 47 enquiries, initial conferences, plans and their reviews. It holds no referral,
assessment or CIN plan records, so an episode is derived:

- Each plan is a unit, with the section 47 enquiry whose initial conference started it (its
  conference date is the plan's start) or, failing one, the initial (or transfer-in) conference
  held on its start date. A plan with neither still started at an initial conference on its
  start date (domain.md), so that date is its DateOfInitialCPC at CIN details level, which is
  where the census records an initial conference not preceded by an enquiry in the episode.
- An enquiry that started no plan is a unit of its own: it ends at its initial conference, on
  the day it started if no conference was required, or is open while ongoing.
- An initial conference that considered the child without an enquiry or a plan is a unit of a
  single day.
- Units that overlap make one episode. It is referred on its earliest date (usually the
  strategy discussion), and closed when its last unit ends (plans: their end date), with a
  reason from the plan's end reason (died RC2, moved away RC5, otherwise RC7).

An episode appears in a year's census if it was open at any time in the year. Within it, an
enquiry appears if its initial conference was held in the year, or if it started in the year
and had no conference by the census date (validation rules 8715, 8740); a plan appears if it
was open in the year, with its end date only if it ended by the census date (8930), its latest
category as at the census date or its end, and every review held up to then (the DfE's review
timeliness measure needs the earlier ones too).
"""

from dataclasses import dataclass, field
from datetime import date

from . import xml_schema as x


@dataclass(frozen=True)
class S47Fact:
    started_on: date
    discussed_on: date
    target_on: date | None
    conference_on: date | None  # the initial conference, if held
    not_required: bool  # concluded without a conference


@dataclass(frozen=True)
class PlanFact:
    start: date
    end: date | None
    end_reason: str
    initial_category: str
    changes: tuple[tuple[date, str], ...]  # (changed_on, to_category), in order
    reviews: tuple[date, ...]  # held review conferences that considered the child
    imported_previous: int | None = None

    def category_on(self, on: date) -> str:
        category = self.initial_category
        for changed_on, to_category in self.changes:
            if changed_on <= on:
                category = to_category
        return category


@dataclass
class CensusS47:
    started_on: date
    target_on: date | None
    conference_on: date | None
    not_required: bool


@dataclass
class CensusPlan:
    start: date
    end: date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[date]


@dataclass
class CensusEpisode:
    referral_on: date
    closed_on: date | None
    closure_reason: str
    conference_on: date | None  # DateOfInitialCPC at CIN details level
    s47s: list[CensusS47] = field(default_factory=list)
    plans: list[CensusPlan] = field(default_factory=list)


@dataclass
class _Unit:
    start: date
    end: date | None
    reason: str = x.CLOSURE_OTHER
    s47s: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    conferences: list = field(default_factory=list)  # CIN-level initial conference dates


def closure_reason(end_reason: str) -> str:
    return {"died": x.CLOSURE_DIED, "moved_away": x.CLOSURE_TRANSFERRED}.get(
        end_reason, x.CLOSURE_OTHER
    )


def previous_plans(plan: PlanFact, plans: list[PlanFact]) -> int:
    """Plans the child had before this one: earlier ones recorded here, or the number an
    imported record gave (NumberOfPreviousCPP), whichever is more."""
    earlier = sum(1 for other in plans if other.start < plan.start)
    return max(earlier, plan.imported_previous or 0)


def _units(s47s, plans, conferences) -> list[_Unit]:
    units, used_s47s, used_conferences = [], set(), set()
    for plan in plans:
        linked = [s for s in s47s if s.conference_on == plan.start]
        used_s47s.update(id(s) for s in linked)
        used_conferences.add(plan.start)
        starts = [plan.start, *(s.discussed_on for s in linked)]
        unit = _Unit(min(starts), plan.end, closure_reason(plan.end_reason), linked, [plan])
        if not linked:
            unit.conferences.append(plan.start)
        units.append(unit)
    for s47 in s47s:
        if id(s47) in used_s47s:
            continue
        used_conferences.add(s47.conference_on)
        if s47.conference_on is not None:
            end = s47.conference_on
        else:
            end = s47.started_on if s47.not_required else None
        units.append(_Unit(s47.discussed_on, end, s47s=[s47]))
    for on in sorted(set(conferences) - used_conferences):
        units.append(_Unit(on, on, conferences=[on]))
    return sorted(units, key=lambda unit: unit.start)


def _merge(units: list[_Unit]) -> list[_Unit]:
    merged: list[_Unit] = []
    for unit in units:
        last = merged[-1] if merged else None
        if last is not None and (last.end is None or unit.start <= last.end):
            if last.end is not None and (unit.end is None or unit.end >= last.end):
                last.end, last.reason = unit.end, unit.reason
            last.s47s += unit.s47s
            last.plans += unit.plans
            last.conferences += unit.conferences
        else:
            merged.append(unit)
    return merged


def _census_s47(s47: S47Fact, year_start: date, reference: date) -> CensusS47 | None:
    held = s47.conference_on if s47.conference_on and s47.conference_on <= reference else None
    if held is not None:
        return CensusS47(s47.started_on, s47.target_on, held, False) if held >= year_start else None
    if not year_start <= s47.started_on <= reference:
        return None
    return CensusS47(s47.started_on, s47.target_on, None, s47.not_required)


def _census_plan(plan: PlanFact, plans: list[PlanFact], reference: date) -> CensusPlan:
    ended = plan.end if plan.end is not None and plan.end <= reference else None
    as_at = ended or reference
    return CensusPlan(
        start=plan.start,
        end=ended,
        initial_category=plan.initial_category,
        latest_category=plan.category_on(as_at),
        previous_plans=previous_plans(plan, plans),
        reviews=sorted({on for on in plan.reviews if plan.start < on <= as_at}),
    )


def _open_in(start: date, end: date | None, year_start: date, reference: date) -> bool:
    return start <= reference and (end is None or end >= year_start)


def episodes_for_year(
    *,
    s47s: list[S47Fact],
    plans: list[PlanFact],
    conferences: list[date],
    year_start: date,
    reference: date,
) -> list[CensusEpisode]:
    """The child's CIN details modules for the census whose year runs from `year_start` to the
    `reference` date (31 March). `conferences`: dates of held initial and transfer-in
    conferences that considered the child."""
    plans = sorted(plans, key=lambda plan: plan.start)
    episodes = []
    for unit in _merge(_units(s47s, plans, conferences)):
        if not _open_in(unit.start, unit.end, year_start, reference):
            continue
        census_s47s = [
            found
            for s47 in sorted(unit.s47s, key=lambda s: s.started_on)
            if (found := _census_s47(s47, year_start, reference)) is not None
        ]
        census_plans = [
            _census_plan(plan, plans, reference)
            for plan in unit.plans
            if _open_in(plan.start, plan.end, year_start, reference)
        ]
        in_year = [on for on in unit.conferences if year_start <= on <= reference]
        closed = unit.end if unit.end is not None and unit.end <= reference else None
        episodes.append(
            CensusEpisode(
                referral_on=unit.start,
                closed_on=closed,
                closure_reason=unit.reason if closed else "",
                conference_on=max(in_year) if in_year else None,
                s47s=census_s47s,
                plans=sorted(census_plans, key=lambda plan: plan.start),
            )
        )
    return episodes
