"""A plan's core groups and child protection visits, recording them, and the overdue list
(workflows.md, "After"; §7.2).

Reading is as for children's records: every role, a district manager only their district's
(access_plan answers 404 otherwise). Recording: business support, IROs and the Senior IRO
(people.access.can_record_contacts); managers and auditors only read.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iro_service.forms import add_service_errors
from people.access import can_record_contacts, district_scope, has_role
from people.models import Role

from . import selectors, services
from .contacts_forms import CoreGroupForm, VisitForm

PAGE_SIZE = 25
OVERDUE_LABELS = {"core_groups": "Core groups", "visits": "Visits"}


def require_reader(request) -> None:
    if not has_role(request.user, set(Role)):
        raise PermissionDenied("Your role does not read children's records.")


def require_recorder(request) -> None:
    if not can_record_contacts(request.user):
        raise PermissionDenied(
            "Only business support, IROs and the Senior IRO record core groups and visits."
        )


def _overdue(due, today) -> int | None:
    """Days overdue (calendar days after the due date), or None if not overdue."""
    return (today - due).days if due is not None and due < today else None


@require_http_methods(["GET"])
def contacts(request, pk: int):
    require_reader(request)
    plan = selectors.access_plan(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "plans/contacts/plan.html",
        {
            "plan": plan,
            "child": plan.child,
            "core_groups": selectors.core_groups_of(plan),
            "visits": selectors.visits_of(plan),
            "core_group_overdue": _overdue(plan.next_core_group_due_by, today),
            "visit_overdue": _overdue(plan.next_visit_due_by, today),
            "can_record": can_record_contacts(request.user),
        },
    )


def _record_core_groups(form, plans, by) -> None:
    """The same core group on each plan, all or none: a refusal for a brother or sister names
    them, and nothing is saved for anyone."""
    data = form.cleaned_data
    with transaction.atomic():
        for number, plan in enumerate(plans):
            try:
                services.core_group_record(
                    plan=plan,
                    held_on=data["held_on"],
                    attendees=data["attendees"],
                    note=data["note"],
                    by=by,
                )
            except ValidationError as error:
                if number == 0:
                    raise
                raise ValidationError(
                    [f"For {plan.child.full_name}: {message}" for message in error.messages]
                ) from error


@require_http_methods(["GET", "POST"])
def core_group_new(request, pk: int):
    require_recorder(request)
    plan = selectors.access_plan(request.user, pk)
    form = CoreGroupForm(
        request.POST or None, household_plans=selectors.household_plans_for(request.user, plan)
    )
    if request.method == "POST" and form.is_valid():
        plans = [plan, *form.other_plans()]
        try:
            _record_core_groups(form, plans, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            names = ", ".join(p.child.full_name for p in plans)
            messages.success(request, f"The core group has been recorded for {names}.")
            return redirect("plans:contacts", pk=plan.pk)
    return _form_page(request, form, plan=plan, title="Record a core group")


@require_http_methods(["GET", "POST"])
def visit_new(request, pk: int):
    require_recorder(request)
    plan = selectors.access_plan(request.user, pk)
    form = VisitForm(
        request.POST or None,
        child=plan.child,
        initial={"visited_by": plan.child.social_worker_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(plan=plan, by=request.user, **form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The visit has been recorded.")
            return redirect("plans:contacts", pk=plan.pk)
    return _form_page(request, form, plan=plan, title="Record a child protection visit")


def _form_page(request, form, *, plan, title):
    return render(
        request,
        "plans/contacts/record.html",
        {"form": form, "plan": plan, "child": plan.child, "title": title},
    )


@require_http_methods(["GET"])
def overdue(request):
    """Overdue core groups or visits (?show=visits): an IRO's own children, a district
    manager's district, the whole authority for everyone else."""
    require_reader(request)
    today = timezone.localdate()
    show = request.GET.get("show")
    show = show if show in OVERDUE_LABELS else "core_groups"
    lists = selectors.overdue_contacts_for(request.user, today=today)
    page = Paginator(lists[show], PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.overdue_rows(page.object_list, kind=show, today=today)
    counts = {
        kind: page.paginator.count if kind == show else plans.count()
        for kind, plans in lists.items()
    }
    return render(
        request,
        "plans/contacts/overdue.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "show": show,
            "labels": OVERDUE_LABELS,
            "counts": counts,
            "mine": request.user.role == Role.IRO,
            "district": request.user.district if district_scope(request.user) else None,
            "timescales": settings.IRO_TIMESCALES,
        },
    )
