"""The synthetic authority's organisation, reference data, meetings, conferences and quality
records: the rows behind each event of a family's story (synthetic.py)."""

from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password

from conferences import rules as conference_rules
from conferences.models import (
    Category,
    Conference,
    ConferenceChild,
    S47Enquiry,
    StrategyMeeting,
    StrategyMeetingChild,
    Venue,
)
from devdata.demo.names import CONCERNS, OUTCOMES
from devdata.qa_answers import qa_answers
from iro_service.dates import (
    add_working_days,
    subtract_working_days,
    working_day_on_or_after,
)
from people.models import District, IROProfile, Role, Team, User, Vacancy
from plans.models import CategoryChange
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from quality_assurance.questions import FEEDBACK_QUESTIONS
from quality_assurance.rules import escalation_response_due_by
from reporting.models import Benchmark, ReferenceYear

if TYPE_CHECKING:
    from .synthetic import Authority, Home, Kid, OpenPlan

Kind, Status, Reason = Conference.Kind, Conference.Status, Conference.AdjournmentReason
INITIAL_KINDS = (Kind.INITIAL, Kind.PRE_BIRTH_INITIAL, Kind.TRANSFER_IN)
UNDER_18_POPULATION = 2_446_000  # ten times Lancashire's: 547 plans were 22.36 per 10,000
QA_FORM_SHARE = 0.22  # of held conferences (§7.2: 22.3% in January to March 2012)
FEEDBACK_SHARE = 0.055  # questionnaires returned per conference held (§7.3: 5.5%)
ESCALATION_SHARE = 0.04  # of QA forms
# How the bench invents every answer of a QA form (devdata.qa_answers): the chance of yes, or
# each answer's weight; nothing is worked out from the rows.
QA_SHARES = {
    "s47_completed_before_conference": 0.8,
    "assessment_updated": 0.75,
    "held_within_timescale": 0.85,
    "report_quality": {"good": 3, "adequate": 5, "inadequate": 2},
    "report_analyses_impact": 0.6,
    "plan_outcome_focused": 0.7,
    "report_shared_in_time": 0.3,
    "core_groups_monthly": 0.8,
    "visits_within_timescale": 0.8,
    "parents_attended": 0.9,
    "parent_contribution": {"active": 2, "passive": 1},  # "none" when they did not attend
    "plan_copy_given": 0.9,
    "good_practice_observed": 0.3,
    "escalation_needed": ESCALATION_SHARE,
}
# England, statistical neighbours, local target: a rough path for each indicator.
BENCHMARKS = {"ni64": (6.0, 7.0, 5.0), "ni65": (13.5, 14.0, 12.0), "ni67": (96.0, 95.0, 100.0)}
MARKER = "Synthetic IRO unit"  # the IRO unit's team name starts with it: the build's marker
SYNTHETIC_CODE_PREFIX = "syn-"  # of the districts' codes
IROS = 100  # at scale 1.0: caseloads of about 60 children each
DECIDED_WORKING_DAYS = 1  # the decision to convene is recorded the working day after
DISTRICTS = (  # name, weight (share of the authority's cases)
    ("Ashby Vale", 14),
    ("Brindle", 12),
    ("Carrow", 12),
    ("Dunsop", 11),
    ("Elswick Moor", 11),
    ("Fenridge", 10),
    ("Grisedale", 10),
    ("Holme Cross", 10),
    ("Ireby", 10),
)
CATEGORIES = {
    Category.NEGLECT: 45,
    Category.EMOTIONAL: 32,
    Category.PHYSICAL: 10,
    Category.SEXUAL: 4,
    Category.MULTIPLE: 9,
}


class Records:
    """Writes the rows of one Authority's events through its loader, with its random choices."""

    def __init__(self, authority: "Authority"):
        self.a = authority
        self.db = authority.db
        self.districts: list[int] = []
        self.weights: list[float] = []
        self.venues: dict[int, list[int]] = {}
        self.iros: dict[int, list[int]] = {}

    # -- organisation and reference data ---------------------------------------------------
    def organisation(self) -> None:
        a = self.a
        for number, (name, weight) in enumerate(DISTRICTS, 1):
            district_id = self.db[District].add(name=name, code=f"{SYNTHETIC_CODE_PREFIX}{number}")
            self.districts.append(district_id)
            self.weights.append(weight)
            self.venues[district_id] = [
                self.db[Venue].add(name=f"{name} {place}", kind=kind, district_id=district_id)
                for place, kind in (
                    ("Family Centre", "childrens_centre"),
                    ("Office", "district_office"),
                )
            ]
        team_id = self.db[Team].add(name=f"{MARKER} ({a.spec.label})", kind=Team.Kind.IRO_UNIT)
        count = max(3, round(IROS * a.spec.scale))
        unusable = make_password(None)  # nobody signs in as these IROs
        for number in range(1, count + 1):
            senior = number <= max(1, count // 10)
            user_id = self.db[User].add(
                username=f"syn-iro-{number:03d}",
                password=unusable,
                first_name=a.rng.choice(("Alex", "Sam", "Jo", "Chris", "Pat", "Kim", "Lee")),
                last_name=f"Reviewer {number:03d}",
                role=Role.SENIOR_IRO if senior else Role.IRO,
                team_id=team_id,
                date_joined=a.at(a.first - timedelta(days=365)),
            )
            qualified = a.rng.randint(1985, a.spec.year - 14)
            began = a.rng.randint(qualified + 3, a.spec.year - 10)
            self.db[IROProfile].add(
                user_id=user_id,
                qualification_year=qualified,
                began_as_iro_year=began,
                fte=Decimal("1.00") if a.chance(0.8) else Decimal("0.60"),
                employment_type="permanent" if a.chance(0.85) else "agency",
                is_senior=senior,
                began_as_senior_year=min(began + 5, a.spec.year - 1) if senior else None,
                started_on=date(began, 9, 1),
            )
            # IROs chair in their home district; seniors anywhere.
            home = self.districts[(number - 1) % len(self.districts)]
            self.iros.setdefault(home, []).append(user_id)
        self.db[Vacancy].add(fte=Decimal("1.00"), from_date=a.last - timedelta(days=200))

    def reference_data(self) -> None:
        spec = self.a.spec
        for year in range(spec.year - spec.years + 1, spec.year + 1):
            drift = 1 + 0.004 * (year - spec.year)
            self.db[ReferenceYear].add(
                year=year,
                under_18_population=max(1, round(UNDER_18_POPULATION * spec.scale * drift)),
            )
            for indicator, (england, neighbours, target) in BENCHMARKS.items():
                self.db[Benchmark].add(
                    indicator=indicator,
                    year=year,
                    england=Decimal(str(england)),
                    statistical_neighbours=Decimal(str(neighbours)),
                    local_target=Decimal(str(target)),
                )

    def pick_district(self) -> int:
        return self.a.rng.choices(self.districts, self.weights)[0]

    def chair_for(self, district_id: int) -> int:
        return self.a.rng.choice(self.iros.get(district_id) or self.iros[self.districts[0]])

    # -- strategy meetings and section 47 enquiries ----------------------------------------
    def strategy_meeting(self, district_id, day, child_ids, *, kind="child_protection") -> int:
        a = self.a
        meeting_id = self.db[StrategyMeeting].add(
            kind=kind,
            status=StrategyMeeting.Status.CANCELLED
            if a.chance(0.03)
            else StrategyMeeting.Status.HELD,
            scheduled_for=a.at(day, a.rng.choice((10, 14))),
            date=day,
            district_id=district_id,
            venue_id=a.rng.choice(self.venues[district_id]) if a.chance(0.5) else None,
            chair_id=self.chair_for(district_id) if a.chance(0.4) else None,
        )
        for child_id in child_ids:
            self.db[StrategyMeetingChild].add(meeting_id=meeting_id, child_id=child_id)
        return meeting_id

    def strategy_discussion(
        self, home: "Home", kids: list["Kid"], day: date, icpc_id, *, convene: bool = False
    ) -> date:
        """A child protection strategy discussion and an enquiry per child; the enquiries lead
        to the initial conference `icpc_id`, or (None) end without one, or (`convene`) decide
        to convene one that is not booked yet. Returns the initial conference's target."""
        a = self.a
        meeting_id = self.strategy_meeting(home.district_id, day, [k.id for k in kids])
        target = conference_rules.initial_conference_due_by(
            strategy_discussion_on=day,
            working_days=a.timescales["INITIAL_CONFERENCE_WORKING_DAYS"],
        )
        decided_on = min(add_working_days(day, DECIDED_WORKING_DAYS), a.last)
        for kid in kids:
            if icpc_id is not None or convene:
                outcome = S47Enquiry.Outcome.CONFERENCE
            elif day > a.last - timedelta(days=20):
                outcome = S47Enquiry.Outcome.ONGOING
            else:
                outcome = "no_harm" if a.chance(0.8) else "no_conference_harm"
            self.db[S47Enquiry].add(
                child_id=kid.id,
                strategy_meeting_id=meeting_id,
                strategy_discussion_on=day,
                started_on=day,
                outcome=outcome,
                decided_on=decided_on if outcome == S47Enquiry.Outcome.CONFERENCE else None,
                initial_conference_due_by=target,
                initial_conference_id=icpc_id,
                no_conference_reviewed_by_id=self.chair_for(home.district_id)
                if outcome == "no_conference_harm"
                else None,
            )
        return target

    # -- conferences --------------------------------------------------------------------------
    def maybe_put_off(
        self, home, kind, planned: date, chair, kids, due, *, review_dues=None
    ) -> tuple[int | None, date, date | None]:
        """Most conferences are held when planned; some are rearranged, or adjourned and
        reconvened, first. Returns the one put off (or None), the day of the next one and the
        date that one must be held by (an adjourned one's reconvene-by date, else `due`)."""
        a = self.a
        roll = a.rng.random()
        if roll >= 0.03:
            return None, planned, due
        rearranged = roll < 0.02
        previous = self.conference(
            home, kind, planned, chair, kids,
            status=Status.REARRANGED if rearranged else Status.ADJOURNED,
            reason=a.rng.choice(
                (Reason.CHAIR_UNAVAILABLE, Reason.VENUE_UNAVAILABLE, Reason.PROFESSIONAL_UNAVAILABLE)
                if rearranged
                else (Reason.NOT_QUORATE, Reason.REPORT_NOT_AVAILABLE, Reason.FAMILY_ILLNESS)
            ),
            due_by=due, review_dues=review_dues,
        )  # fmt: skip
        reconvene = a.timescales["ADJOURNED_REVIEW_DAYS"]  # an adjourned one is back by then
        later = planned + timedelta(
            days=a.rng.randint(3, 30) if rearranged else a.rng.randint(min(7, reconvene), reconvene)
        )
        held_by = due if rearranged else self.reconvene_by(planned)
        return previous, working_day_on_or_after(later), held_by

    def reconvene_by(self, adjourned_on: date) -> date:
        return conference_rules.adjourned_review_reconvene_by(
            adjourned_on=adjourned_on, days=self.a.timescales["ADJOURNED_REVIEW_DAYS"]
        )

    def conference(
        self, home, kind, day, chair, kids, *, id=None, status=Status.HELD, reason="",
        due_by=None, review_dues=None, rearranged_from=None, delay_reason="", outcomes=None,
        booked_on=None,
    ) -> int:  # fmt: skip
        """A conference about some of a household's children, with each child's outcome
        (`outcomes`: child id -> (outcome, category); others: no plan if held, else pending).
        `due_by` is the date it must be held by, `review_dues` each child's review due date.
        One still to come (BOOKED) stores every date the booking service stores, as booked on
        `booked_on`."""
        a = self.a
        at = a.at(day, a.rng.choice((9, 13)), 30)
        held = status == Status.HELD
        initial = kind in INITIAL_KINDS
        values = {
            "kind": kind,
            "status": status,
            "household_id": home.id,
            "scheduled_for": at,
            "date": day,
            "venue_id": a.rng.choice(self.venues[home.district_id]),
            "chair_id": chair,
            "adjournment_reason": reason,
            "delay_reason": delay_reason,
            "rearranged_from_id": rearranged_from,
            "due_by": due_by,
        }
        if status == Status.BOOKED:  # booked on `booked_on`, else on the last day
            values |= self.booking_dates(kind, at, day, min(booked_on or a.last, a.last))
        else:
            values |= self.booking_dates(kind, at, day, None)
        if status == Status.ADJOURNED:
            values["reconvene_by"] = self.reconvene_by(day)
        if held:
            values |= self.paperwork(day, values["report_share_due_by"])
        if id is not None:
            values["id"] = id
        conference_id = self.db[Conference].add(**values)
        outcomes = outcomes or {}
        for kid in kids:
            outcome, category = outcomes.get(kid.id, ("no_plan" if held else "pending", ""))
            age = kid.age_on(day)
            self.db[ConferenceChild].add(
                conference_id=conference_id,
                child_id=kid.id,
                outcome=outcome,
                category=category,
                participation=a.pick(PARTICIPATION) if age is not None and age >= 11 else "",
                review_due_on=(review_dues or {}).get(kid.id) if kind == Kind.REVIEW else None,
            )
        if held and a.chance(QA_FORM_SHARE):
            self.qa_form(conference_id, day, chair, kids[0], initial)
        if held and a.chance(FEEDBACK_SHARE):
            self.feedback(conference_id, day)
        return conference_id

    def booking_dates(self, kind, starts_at, day: date, booked_on: date | None) -> dict:
        """The dates the booking service stores (conferences.rules.booking_dates) for one still
        to come, booked on `booked_on`; for the past, only when the report was due to reach
        the parents (the measures read it)."""
        timescales = self.a.timescales
        if booked_on is None:
            review = kind == Kind.REVIEW
            hours = timescales[
                "REPORT_SHARED_HOURS_REVIEW" if review else "REPORT_SHARED_HOURS_INITIAL"
            ]
            due = conference_rules.report_share_due_by(conference_at=starts_at, hours_before=hours)
            return {"report_share_due_by": due}
        dates = conference_rules.booking_dates(
            starts_at=starts_at,
            held_on=day,
            booked_on=booked_on,
            is_review=kind == Kind.REVIEW,
            timescales=timescales,
        )
        return asdict(dates)

    def paperwork(self, day: date, report_due) -> dict:
        """Deadlines stored as the services store them, and when each was met (mostly on time)."""
        a = self.a
        sheet_due, minutes_due = conference_rules.paperwork_due(
            held_on=day, timescales=a.timescales
        )
        sheet_sent = (
            sheet_due if a.chance(0.9) else add_working_days(sheet_due, a.rng.randint(1, 4))
        )
        signed = (
            subtract_working_days(minutes_due, a.rng.randint(0, 8))
            if a.chance(0.85)
            else minutes_due
        )
        if not a.chance(0.85):
            signed = add_working_days(minutes_due, a.rng.randint(1, 10))
        shared = report_due - timedelta(hours=a.rng.randint(2, 96) if a.chance(0.85) else -6)
        return {
            "quorate": a.chance(0.98),
            "report_shared_at": shared,
            "decision_sheet_due_by": sheet_due,
            "decision_sheet_distributed_at": a.at(sheet_sent, 15),
            "minutes_due_by": minutes_due,
            "minutes_signed_off_at": a.at(signed, 12),
            "minutes_distributed_at": a.at(signed, 16),
        }

    def change_category(self, plans: list["OpenPlan"], day: date, conference_id, chair) -> None:
        new = self.a.pick(CATEGORIES)
        for plan in plans:
            if plan.category != new:
                self.db[CategoryChange].add(
                    plan_id=plan.id,
                    changed_on=day,
                    from_category=plan.category,
                    to_category=new,
                    conference_id=conference_id,
                    recorded_by_id=chair,
                )
                plan.category = new

    # -- quality assurance ------------------------------------------------------------------
    def qa_form(self, conference_id, day: date, chair, kid: "Kid", initial: bool) -> None:
        a = self.a
        done = day + timedelta(days=a.rng.randint(0, 4))
        if done > a.last:
            return
        answers = qa_answers(a.rng, QA_SHARES, initial=initial)
        form_id = self.db[QAForm].add(
            conference_id=conference_id,
            completed_by_id=chair,
            completed_at=a.at(done, 17),
            **answers,
        )
        if answers["escalation_needed"]:
            self.escalation(conference_id, form_id, done, chair, kid)

    def escalation(self, conference_id, form_id, raised: date, chair, kid: "Kid") -> None:
        a = self.a
        level = a.pick({1: 5, 2: 3, 3: 2})
        per_level = a.timescales["ESCALATION_LEVEL_WORKING_DAYS"]
        # Unanswered at each level below `level`, so it moved up when each response was due.
        reached = raised
        for _ in range(level - 1):
            reached = escalation_response_due_by(level_reached_on=reached, working_days=per_level)
        due = escalation_response_due_by(level_reached_on=reached, working_days=per_level)
        values = {}
        if due < a.last - timedelta(days=3) and a.chance(0.8):
            resolved = min(add_working_days(reached, a.rng.randint(1, 7)), a.last)
            values = {
                "status": "resolved",
                "resolved_on": resolved,
                "outcome": a.rng.choice(OUTCOMES),
            }
        elif a.chance(0.1):
            values = {"status": "withdrawn"}
        theme = a.rng.choice(list(CONCERNS))
        self.db[Escalation].add(
            child_id=kid.id,
            district_id=kid.district_id,
            conference_id=conference_id,
            qa_form_id=form_id,
            raised_by_id=chair,
            raised_on=raised,
            theme=theme,
            concern=CONCERNS[theme],
            level=level,
            level_reached_on=reached,
            response_due_by=due,
            **values,
        )

    def feedback(self, conference_id, day: date) -> None:
        a = self.a
        received = day + timedelta(days=a.rng.randint(1, 40))
        if received > a.last:
            return
        answers = {"yes": 7, "partly": 2, "no": 1}
        self.db[FeedbackQuestionnaire].add(
            conference_id=conference_id,
            respondent=a.pick({"mother": 12, "father": 5, "carer": 3, "other": 1}),
            source=a.pick({"paper": 6, "online": 4}),
            received_on=received,
            stress_level=a.pick({1: 1, 2: 2, 3: 4, 4: 4, 5: 3}),
            **{q: a.pick(answers) for q in FEEDBACK_QUESTIONS},
        )


PARTICIPATION = {"attended": 15, "advocate": 10, "letter_or_text": 10, "picture": 5}
PARTICIPATION |= {"through_social_worker": 35, "none": 25}
