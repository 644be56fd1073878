"""Reads for themed audits: the lists an audit is drawn from, and audits and their cases
through the user's access (a role with no part answers 403; an audit or case the user may not
see answers 404, as one that does not exist does)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from children.models import Child
from conferences.models import Category
from iro_service.dates import add_months
from people.models import User
from plans.models import ChildProtectionPlan
from reporting.metrics.plans import category_on, open_on
from reporting.selectors import plans_over_12_months_for, repeat_plans_for

from .access import can_read_case_audits, case_district_scope
from .models import AuditCase, CaseAudit, Theme
from .rules import LONG_PLAN_MONTHS, repeat_within_window


@dataclass(frozen=True)
class Candidate:
    """A case a theme's list gives: the child, and the plan that put them on the list."""

    child: Child
    plan: ChildProtectionPlan | None
    why: str = ""

    @property
    def key(self) -> str:
        return str(self.child.pk)


def _repeat_plans(user: User, on: date) -> list[Candidate]:
    """The monthly repeat plans list (reporting.selectors.repeat_plans_for), narrowed to the
    plans that started within 12 months of the previous plan ending (§7.7.1)."""
    found = []
    for plan in repeat_plans_for(user, on=on):
        if repeat_within_window(previous_end=plan.previous_end, start=plan.start_date):
            why = f"Previous plan ended {plan.previous_end:%-d %B %Y}"
            found.append(Candidate(plan.child, plan, why))
    return found


def _over_two_years(user: User, on: date) -> list[Candidate]:
    """The monthly list of plans over 12 months, narrowed to two years or more."""
    return [
        Candidate(plan.child, plan, f"Plan started {plan.start_date:%-d %B %Y}")
        for plan in plans_over_12_months_for(user, on=on)
        if add_months(plan.start_date, LONG_PLAN_MONTHS) <= on
    ]


def _neglect(on: date) -> list[Candidate]:
    """Plans open on the date whose category then, after any category changes, is neglect
    (§9.2)."""
    plans = (
        ChildProtectionPlan.objects.filter(open_on(on))
        .annotate(category_then=category_on(on))
        .filter(category_then=Category.NEGLECT)
        .select_related("child", "child__district")
        .order_by("child__last_name", "child__first_name", "pk")
    )
    return [Candidate(plan.child, plan, "Neglect") for plan in plans]


def children_by_local_id(local_ids: list[str]) -> tuple[list[Candidate], list[str]]:
    """The children with these IDs, each with their latest plan (if any), in the order given;
    and the IDs that match no child."""
    children = {
        child.local_id: child
        for child in Child.objects.filter(local_id__in=local_ids).select_related("district")
    }
    latest = {}
    for plan in ChildProtectionPlan.objects.filter(child__in=children.values()).order_by(
        "start_date"
    ):
        latest[plan.child_id] = plan
    found = [
        Candidate(children[i], latest.get(children[i].pk), "Chosen by you")
        for i in local_ids
        if i in children
    ]
    return found, [i for i in local_ids if i not in children]


def candidates_for(
    *, user: User, theme: str, on: date, local_ids: list[str] | None = None
) -> list[Candidate]:
    """The cases a theme's list gives on a date, one per child (their first listed plan)."""
    if theme == Theme.REPEAT_PLANS:
        found = _repeat_plans(user, on)
    elif theme == Theme.OVER_TWO_YEARS:
        found = _over_two_years(user, on)
    elif theme == Theme.NEGLECT:
        found = _neglect(on)
    else:
        found, _ = children_by_local_id(local_ids or [])
    seen, unique = set(), []
    for candidate in found:
        if candidate.child.pk not in seen:
            seen.add(candidate.child.pk)
            unique.append(candidate)
    return unique


# --- Audits and their cases ------------------------------------------------------------------


def require_reader(user: User) -> None:
    if not can_read_case_audits(user):
        raise PermissionDenied("Only the Senior IRO, managers and auditors read case audits.")


def _visible_cases(user: User) -> Q:
    district_id = case_district_scope(user)
    return Q() if district_id is None else Q(child__district_id=district_id)


def audit_list_for(user: User) -> QuerySet[CaseAudit]:
    """The audits the user reads, newest first, with the number of cases and cases done."""
    require_reader(user)
    audits = CaseAudit.objects.select_related("started_by")
    district_id = case_district_scope(user)
    if district_id is not None:
        # A subquery, not a join, so the counts below stay the whole audit's.
        audits = audits.filter(
            pk__in=AuditCase.objects.filter(child__district_id=district_id).values("audit")
        )
    return audits.annotate(
        case_count=Count("cases", distinct=True),
        done_count=Count(
            "cases", filter=Q(cases__status=AuditCase.Status.COMPLETED), distinct=True
        ),
    )


def access_audit(user: User, pk) -> CaseAudit:
    try:
        return audit_list_for(user).get(pk=pk)
    except (CaseAudit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No audit found that you can see.") from exc


def case_list_for(user: User, audit: CaseAudit) -> QuerySet[AuditCase]:
    """The audit's cases the user sees, in the audit's order."""
    require_reader(user)
    return (
        audit.cases.filter(_visible_cases(user))
        .select_related("child", "child__district", "plan")
        .order_by("position", "pk")
    )


def access_audit_case(user: User, audit: CaseAudit, pk) -> AuditCase:
    try:
        return case_list_for(user, audit).get(pk=pk)
    except (AuditCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No case found that you can see.") from exc


def progress(audit: CaseAudit) -> dict:
    """Cases done of cases chosen, over the whole audit."""
    counts = audit.cases.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=AuditCase.Status.COMPLETED))
    )
    return {"done": counts["done"], "total": counts["total"]}


def completed_audits_between(*, start: date, end: date) -> list[dict]:
    """The audits completed from start to end inclusive (a reporting year, for the annual
    report's §7.7), oldest first, as plain data the report stores with its figures."""
    audits = (
        CaseAudit.objects.filter(
            status=CaseAudit.Status.COMPLETED, completed_on__gte=start, completed_on__lte=end
        )
        .annotate(case_count=Count("cases"))
        .order_by("completed_on", "pk")
    )
    return [
        {
            "name": audit.name,
            "theme": audit.get_theme_display(),
            "cases": audit.case_count,
            "completed_on": audit.completed_on.isoformat(),
            "overall_findings": audit.overall_findings,
            "actions": audit.actions,
        }
        for audit in audits
    ]
