from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from iro_service.forms import add_service_errors
from people.access import can_manage_plans

from . import services
from .forms import PlanCategoryForm, PlanEndForm
from .selectors import access_plan


def _require_plan_manager(request) -> None:
    if not can_manage_plans(request.user):
        raise PermissionDenied("Only IROs record child protection plans.")


def _form_page(request, form, *, child, title, action, plan=None):
    """Run the form: on success call `action(form.cleaned_data)` and go back to the child."""
    if request.method == "POST" and form.is_valid():
        try:
            message = action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "plans/plan_form.html",
        {"form": form, "child": child, "plan": plan, "title": title},
    )


@require_http_methods(["GET", "POST"])
def change_category(request, pk: int):
    _require_plan_manager(request)
    plan = access_plan(request.user, pk)

    def action(data):
        services.plan_change_category(
            plan=plan,
            changed_on=data["changed_on"],
            to_category=data["to_category"],
            by=request.user,
        )
        return "The category of abuse has been changed."

    return _form_page(
        request,
        PlanCategoryForm(request.POST or None),
        child=plan.child,
        plan=plan,
        title="Change the category of abuse",
        action=action,
    )


@require_http_methods(["GET", "POST"])
def end(request, pk: int):
    _require_plan_manager(request)
    plan = access_plan(request.user, pk)

    def action(data):
        services.plan_end(
            plan=plan, end_date=data["end_date"], reason=data["reason"], by=request.user
        )
        return "The child protection plan has ended."

    return _form_page(
        request,
        PlanEndForm(request.POST or None),
        child=plan.child,
        plan=plan,
        title="End the child protection plan",
        action=action,
    )
