"""Turn the in-memory plan into unsaved model instances: households, children, conferences,
the children considered at them, plans and category changes (save.py inserts them).

The deadlines stored (each plan's next review, each child's review due date, the date each
conference had to be held or reconvened by) come from conferences.rules with the timescale
settings, as the services store them."""

import random
from datetime import date

from django.conf import settings

from children.models import Child, Household
from conferences import rules
from conferences.models import Conference, ConferenceChild
from iro_service.dates import age_on
from plans.models import CategoryChange, ChildProtectionPlan

from .calendar import at
from .children import address
from .specs import GroupSpec, HouseholdSpec, PlanSpec, ReviewSpec
from .staff import POSTS, in_post

K, S, OUT = Conference.Kind, Conference.Status, ConferenceChild.Outcome
PART = ConferenceChild.Participation
POST_BY_LABEL = {post.label: post for post in POSTS}
TIMES = ((9, 30), (10, 0), (11, 0), (13, 30), (14, 0))


class Records:
    """Every unsaved instance, by model, in the order save.py inserts them."""

    def __init__(self, rng: random.Random, org: dict):
        self.rng, self.org = rng, org
        self.households: list[Household] = []
        self.children: list[Child] = []
        self.first_bookings: list[Conference] = []  # adjourned or rearranged originals
        self.conferences: list[Conference] = []
        self.considered: list[ConferenceChild] = []
        self.plans: list[ChildProtectionPlan] = []
        self.changes: list[CategoryChange] = []

    # People ---------------------------------------------------------------------------------
    def add_household(self, spec: HouseholdSpec) -> None:
        district = self.org["districts"][spec.district]
        street, postcode = address(self.rng, spec, district.name)
        spec.obj = Household(
            reference=f"LAN-{spec.key:05d}", district=district, address=street, postcode=postcode
        )
        self.households.append(spec.obj)
        for child in spec.children:
            child.obj = Child(
                local_id=f"L{200000 + child.key}",
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.born,
                expected_date_of_birth=child.expected,
                gender=child.gender,
                ethnicity=child.ethnicity,
                disabilities=["NONE"],
                household=spec.obj,
                district=district,
            )
            self.children.append(child.obj)

    def chair(self, household: HouseholdSpec, day: date):
        """The household's IRO, or a colleague in post that day while they were not."""
        post = POST_BY_LABEL[household.chair]
        if not (post.started_on <= day and (post.left_on is None or post.left_on >= day)):
            colleagues = in_post(day)
            post = colleagues[household.key % len(colleagues)]
        return self.org["iros"][post.label]

    # Conferences ----------------------------------------------------------------------------
    def conference(self, household: HouseholdSpec, kind: str, day: date, **fields) -> Conference:
        hour, minute = self.rng.choice(TIMES)
        status = fields.pop("status", S.HELD)
        conference = Conference(
            kind=kind,
            status=status,
            household=household.obj,
            scheduled_for=at(day, hour, minute),
            date=day,
            venue=self.rng.choice(self.org["venues"][household.district]),
            chair=self.chair(household, day),
            minute_taker=self.org["clerks"][household.district],
            booked_by=self.org["clerks"][household.district],
            quorate=True if status == S.HELD else None,
            **fields,
        )
        (self.conferences if status == S.HELD else self.first_bookings).append(conference)
        return conference

    def consider(self, conference: Conference, child, outcome: str, category: str = "", **fields):
        row = ConferenceChild(
            conference=conference,
            child=child.obj,
            outcome=outcome,
            category=category,
            participation=_participation(self.rng, child.born, conference.date, outcome),
            **fields,
        )
        self.considered.append(row)
        return row

    def rearranged(self, household, kind, held_on, first, children, **fields) -> Conference:
        """A conference first booked for `first` = (date, reason, status), held `held_on`: by
        the date an adjourned one had to reconvene by, or a rearranged one's own due date."""
        first_on, reason, status = first
        due_by = fields.pop("due_by", None)
        original = self.conference(
            household, kind, first_on, status=status, adjournment_reason=reason, due_by=due_by
        )
        if status == S.ADJOURNED:
            original.reconvene_by = rules.adjourned_review_reconvene_by(
                adjourned_on=first_on, days=settings.IRO_TIMESCALES["ADJOURNED_REVIEW_DAYS"]
            )
        for child in children:
            self.consider(original, child, OUT.PENDING)
        due_by = original.reconvene_by or due_by
        return self.conference(
            household, kind, held_on, rearranged_from=original, due_by=due_by, **fields
        )

    # Plan groups ----------------------------------------------------------------------------
    def add_group(self, group: GroupSpec) -> None:
        household = group.household
        children = [plan.child for plan in group.plans]
        kind = K.PRE_BIRTH_INITIAL if any(_unborn(c, group.start) for c in children) else K.INITIAL
        if group.adjourned_initial:
            first = (*group.adjourned_initial, S.ADJOURNED)
            group.initial = self.rearranged(household, kind, group.start, first, children)
        else:
            group.initial = self.conference(household, kind, group.start)
        for plan in group.plans:
            self.consider(group.initial, plan.child, OUT.PLAN_STARTED, plan.category)
            self._plan(plan, group)
        for review in group.reviews:
            self._review(group, review)

    def _plan(self, plan: PlanSpec, group: GroupSpec) -> None:
        plan.obj = ChildProtectionPlan(
            child=plan.child.obj,
            start_date=plan.start,
            end_date=plan.end,
            end_reason=plan.end_reason,
            initial_category=plan.category,
            latest_category=plan.latest_category,
            is_pre_birth=plan.pre_birth,
            number_of_previous_plans=plan.previous_plans,
            initial_conference=group.initial,
            next_review_due_by=review_due(plan, group) if plan.end is None else None,
        )
        self.plans.append(plan.obj)

    def _review(self, group: GroupSpec, review: ReviewSpec) -> None:
        household = group.household
        children = [plan.child for plan in group.plans]
        dues = {id(plan): review_due(plan, group, before=review.on) for plan in group.plans}
        fields = {"delay_reason": review.delay_reason, "due_by": min(dues.values())}
        if review.rearranged_from:
            review.obj = self.rearranged(
                household, K.REVIEW, review.on, review.rearranged_from, children, **fields
            )
        else:
            review.obj = self.conference(household, K.REVIEW, review.on, **fields)
        outcome = OUT.PLAN_CEASED if review.ceasing else OUT.PLAN_CONTINUED
        for plan in group.plans:
            category = plan.category_on(review.on)
            due = dues[id(plan)]
            self.consider(review.obj, plan.child, outcome, category, review_due_on=due)
            if review.changes_category:
                frm, to = review.changes_category
                self.changes.append(
                    CategoryChange(
                        plan=plan.obj,
                        changed_on=review.on,
                        from_category=frm,
                        to_category=to,
                        conference=review.obj,
                        recorded_by=review.obj.chair,
                    )
                )

    def add_no_plan_conference(self, household: HouseholdSpec) -> Conference:
        day = household.no_plan_on
        unborn = any(_unborn(c, day) for c in household.children)
        conference = self.conference(household, K.PRE_BIRTH_INITIAL if unborn else K.INITIAL, day)
        for child in household.children:
            self.consider(conference, child, OUT.NO_PLAN)
        return conference


def _unborn(child, day: date) -> bool:
    return child.born is None or child.born > day


def review_due(plan: PlanSpec, group: GroupSpec, before: date | None = None) -> date:
    """The plan's next review date as plans.services stores it (conferences.rules, with the
    timescale settings): after the group's reviews held before `before`, or all of them."""
    held = [review.on for review in group.reviews if before is None or review.on < before]
    return rules.next_review_due_by(
        plan_start=plan.start,
        reviews_held=held,
        timescales=settings.IRO_TIMESCALES,
        born_on=plan.child.born if plan.pre_birth else None,
    )


def _participation(rng: random.Random, born: date | None, day: date, outcome: str) -> str:
    age = age_on(born, day)
    if age is None or age < 5 or outcome == OUT.PENDING:
        return PART.NOT_RECORDED
    if age < 11:
        options = {PART.THROUGH_SOCIAL_WORKER: 45, PART.PICTURE: 15, PART.NONE: 40}
    else:
        options = {PART.ATTENDED: 15, PART.ADVOCATE: 8, PART.LETTER_OR_TEXT: 10,
                   PART.THROUGH_SOCIAL_WORKER: 35, PART.NONE: 32}  # fmt: skip
    return rng.choices(list(options), weights=list(options.values()))[0]
