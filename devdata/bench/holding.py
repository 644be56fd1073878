"""A household ready to hold, for the holding benchmark (make bench) and its query-count
test: N children on plans (each with a target to review) and a review booked for today with
invitees from four agencies and the family. Invented names; written through the services."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from children.models import Child, Household
from conferences.models import Conference, ConferenceChild, Invitee, PlanEndReason
from conferences.services import holding
from people.models import District, User
from plans.models import PlanTarget
from plans.services import plan_start

AGENCIES = (
    ("social_care", "Social worker"),
    ("police", "Public protection officer"),
    ("health_visitor", "Health visitor"),
    ("school", "Designated safeguarding lead"),
    ("family", "Mother"),
)


@dataclass
class ToHold:
    conference: Conference
    children: list[Child]


def household_to_hold(
    *, chair: User, district: District, children: int, on: date, tag: str
) -> ToHold:
    household = Household.objects.create(reference=f"BENCH-HOLD-{tag}", district=district)
    kids, started = [], on - timedelta(days=180)
    for number in range(children):
        kid = Child.objects.create(
            local_id=f"BH{tag}-{number}",
            first_name=f"Bench{number}",
            last_name="Holding",
            date_of_birth=date(2012 + number, 1, 15),
            household=household,
            district=district,
        )
        plan = plan_start(child=kid, start_date=started, category="NEG", by=chair)
        PlanTarget.objects.create(plan=plan, description="Safe care", due_by=on)
        kids.append(kid)
    conference = Conference.objects.create(
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
        household=household,
        scheduled_for=timezone.make_aware(datetime.combine(on, time(10))),
        chair=chair,
    )
    ConferenceChild.objects.bulk_create(
        ConferenceChild(conference=conference, child=kid) for kid in kids
    )
    Invitee.objects.bulk_create(
        Invitee(
            conference=conference,
            name=f"{role} {tag}",
            agency=agency,
            role=role,
            email=f"{agency}@bench.example",
        )
        for agency, role in AGENCIES
    )
    rows = [
        holding.AttendanceRow(i.name, i.agency, i.role, "attended", i.pk)
        for i in conference.invitees.all()
    ]
    holding.attendance_record(conference=conference, rows=rows, version=0, by=chair)
    conference.refresh_from_db()
    return ToHold(conference, kids)


def decisions_for(to_hold: ToHold) -> list[holding.ChildDecision]:
    """Every plan continues but the last, which ceases; every target is reviewed."""
    targets = {
        t.plan.child_id: t.pk
        for t in PlanTarget.objects.filter(plan__child__in=to_hold.children).select_related("plan")
    }
    decisions = []
    for number, kid in enumerate(to_hold.children):
        last = number == len(to_hold.children) - 1
        decisions.append(
            holding.ChildDecision(
                child_id=kid.pk,
                outcome=ConferenceChild.Outcome.PLAN_CEASED
                if last
                else ConferenceChild.Outcome.PLAN_CONTINUED,
                category="" if last else ("EMO" if number == 0 else "NEG"),
                cease_reason=PlanEndReason.NO_LONGER_AT_RISK if last else "",
                participation="through_social_worker",
                target_reviews={targets[kid.pk]: "achieved"},
                targets=()
                if last
                else (
                    holding.TargetInput(
                        "Attends school", to_hold.conference.date + timedelta(days=90), "Mother"
                    ),
                ),
            )
        )
    return decisions
