"""Escalation pages (Problem Resolution Protocol): raise one (from a QA form or a child's
record, checking the answers before it is raised), an escalation's page with its history and
the forms to respond, move up, resolve or withdraw, and the lists: the chair's open ones, a
district manager's district's, and everyone's for the Senior IRO with filters.

Every page asks people.access; a record outside a district manager's district is not found
(404), a role that may not do a thing is refused (403). Writes go through
quality_assurance.services.escalations."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from children.selectors import access_child
from iro_service.forms import add_service_errors
from people.access import (
    can_fill_qa_form,
    can_manage_escalation,
    can_raise_escalation,
    can_respond_to_escalation,
)

from .. import selectors_escalations as selectors
from ..forms_escalations import (
    ListFilterForm,
    MoveUpForm,
    RaiseForm,
    ReaddressForm,
    ResolveForm,
    RespondForm,
    WithdrawForm,
)
from ..models import Escalation, QAForm
from ..services import escalations as service

PAGE_SIZE = 25
READDRESS = "readdress"


def _raise_source(request):
    """Where the escalation comes from: ?qa_form=<pk> (its conference's children, the theme
    its answers suggest) or ?child=<pk> (that child alone)."""
    user = request.user
    source = request.GET
    if source.get("qa_form"):
        try:
            qa_form = QAForm.objects.select_related("conference").get(pk=source["qa_form"])
        except (QAForm.DoesNotExist, ValueError) as exc:
            raise Http404("No QA form found") from exc
        # The conference must be one the user may see, and theirs to quality-assure.
        from conferences.selectors import access_conference

        access_conference(user, qa_form.conference_id)
        if not can_fill_qa_form(user, qa_form.conference):
            raise PermissionDenied("Only the conference's chair or the Senior IRO raises this.")
        prefill = service.raise_prefill(qa_form=qa_form)
        children = prefill["children"]
        return {
            "qa_form": qa_form,
            "conference": qa_form.conference,
            "children": children,
            "initial": {"theme": prefill["theme"], "children": [str(c.pk) for c in children]},
        }
    if source.get("child"):
        child = access_child(user, source["child"])
        return {
            "qa_form": None,
            "conference": None,
            "children": [child],
            "initial": {"children": [str(child.pk)]},
        }
    raise Http404("Raise an escalation from a child's record or a QA form.")


def _suggested(children) -> dict:
    """The social worker the record names, when every child has the same one (brothers and
    sisters usually do); otherwise nobody is guessed."""
    people = {
        (found.name, found.email)
        for found in (
            service.suggested_addressee(child=child, level=Escalation.Level.SOCIAL_WORKER)
            for child in children
        )
    }
    if len(people) != 1:
        return {}
    [(name, email)] = people
    return {"addressed_to_name": name, "addressed_to_email": email}


@require_http_methods(["GET", "POST"])
def escalation_new(request):
    if not can_raise_escalation(request.user):
        raise PermissionDenied("Only an IRO or the Senior IRO raises an escalation.")
    source = _raise_source(request)
    children = source["children"]
    district_id = children[0].district_id if children else None
    initial = {**_suggested(children), **source["initial"]}
    form = RaiseForm(
        request.POST or None, children=children, district_id=district_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        chosen = [c for c in children if str(c.pk) in form.cleaned_data["children"]]
        if "change" in request.POST:
            return render(request, "quality/escalations/new.html", _new_context(form, source))
        if "confirm" in request.POST:
            today = timezone.localdate()
            try:
                with transaction.atomic():
                    raised = [
                        service.escalation_raise(
                            child=child,
                            theme=form.cleaned_data["theme"],
                            concern=form.cleaned_data["concern"],
                            what_must_change=form.cleaned_data["what_must_change"],
                            level=form.cleaned_data["level"],
                            conference=source["conference"],
                            qa_form=source["qa_form"],
                            by=request.user,
                            today=today,
                            **form.addressee(),
                        )
                        for child in chosen
                    ]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                first = raised[0]
                messages.success(
                    request,
                    f"Escalation raised{f' for {len(raised)} children' if len(raised) > 1 else ''}."
                    f" A response is due by {first.response_due_by:%-d %B %Y}.",
                )
                return redirect("quality:escalation", pk=first.pk)
        if form.is_valid():
            return render(
                request,
                "quality/escalations/check.html",
                {
                    "form": form,
                    "source": source,
                    "chosen": chosen,
                    "level": Escalation.Level(form.cleaned_data["level"]).label,
                    "theme": Escalation.Theme(form.cleaned_data["theme"]).label,
                    "response_due_by": service.response_due_by(timezone.localdate()),
                    "protocol_due_by": service.protocol_due_by(timezone.localdate()),
                },
            )
    return render(request, "quality/escalations/new.html", _new_context(form, source))


def _new_context(form, source) -> dict:
    return {"form": form, "source": source, "level_days": _level_days()}


def _level_days() -> int:
    return settings.IRO_TIMESCALES["ESCALATION_LEVEL_WORKING_DAYS"]


def _history(escalation: Escalation) -> list:
    """What happened, oldest first: each saved version with who and why."""
    return list(
        escalation.history.select_related("history_user").order_by("history_date", "history_id")
    )


def _page_context(request, escalation: Escalation, **forms) -> dict:
    user = request.user
    manage = can_manage_escalation(user, escalation)
    respond = can_respond_to_escalation(user, escalation)
    is_open = escalation.status == Escalation.Status.OPEN
    today = timezone.localdate()
    context = {
        "escalation": escalation,
        "responses": escalation.responses.select_related("responded_by"),
        "notices": escalation.notices.order_by("sent_at"),
        "history": _history(escalation),
        "can_manage": manage and is_open,
        "can_respond": respond and is_open,
        "can_move_up": manage and is_open and escalation.level < Escalation.Level.DIRECTOR,
        "overdue": is_open and escalation.response_due_by < today,
        "today": today,
        "level_days": _level_days(),
    }
    context["respond_form"] = forms.get("respond_form") or RespondForm(
        initial={"responded_on": today}
    )
    context["move_up_form"] = forms.get("move_up_form") or MoveUpForm(escalation=escalation)
    context["readdress_form"] = forms.get("readdress_form") or ReaddressForm(
        escalation=escalation, prefix=READDRESS
    )
    context["resolve_form"] = forms.get("resolve_form") or ResolveForm(
        initial={"resolved_on": today}
    )
    context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm(
        initial={"withdrawn_on": today}
    )
    context["form"] = next(iter(forms.values()), None)  # for the error summary
    return context


@require_http_methods(["GET"])
def escalation_detail(request, pk: int):
    escalation = selectors.access_escalation(request.user, pk)
    return render(request, "quality/escalations/detail.html", _page_context(request, escalation))


def _act(request, pk: int, *, allowed, form_class, key: str, do, done: str):
    escalation = selectors.access_escalation(request.user, pk)
    if not allowed(request.user, escalation):
        raise PermissionDenied("You may not change this escalation.")
    kwargs = {"escalation": escalation} if form_class in (MoveUpForm, ReaddressForm) else {}
    if form_class is ReaddressForm:
        kwargs["prefix"] = READDRESS  # its fields are on the page with the move-up form's
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            do(escalation, form.cleaned_data, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("quality:escalation", pk=escalation.pk)
    escalation.refresh_from_db()
    return render(
        request,
        "quality/escalations/detail.html",
        _page_context(request, escalation, **{key: form}),
        status=400,
    )


@require_http_methods(["POST"])
def escalation_respond(request, pk: int):
    def do(escalation, data, form):
        service.escalation_respond(
            escalation=escalation,
            response=data["response"],
            responder_name=data["responder_name"],
            on=data["responded_on"],
            by=request.user,
            today=timezone.localdate(),
        )

    return _act(
        request,
        pk,
        allowed=can_respond_to_escalation,
        form_class=RespondForm,
        key="respond_form",
        do=do,
        done="The response has been recorded.",
    )


@require_http_methods(["POST"])
def escalation_move_up(request, pk: int):
    def do(escalation, data, form):
        moved = service.escalation_move_up(
            escalation=escalation,
            to_level=data["to_level"],
            by=request.user,
            today=timezone.localdate(),
            **form.addressee(),
        )
        escalation.level = moved.level

    return _act(
        request,
        pk,
        allowed=can_manage_escalation,
        form_class=MoveUpForm,
        key="move_up_form",
        do=do,
        done="The escalation has been moved up.",
    )


@require_http_methods(["POST"])
def escalation_readdress(request, pk: int):
    def do(escalation, data, form):
        service.escalation_readdress(escalation=escalation, by=request.user, **form.addressee())

    return _act(
        request,
        pk,
        allowed=can_manage_escalation,
        form_class=ReaddressForm,
        key="readdress_form",
        do=do,
        done="Whom the escalation is addressed to has been recorded.",
    )


@require_http_methods(["POST"])
def escalation_resolve(request, pk: int):
    def do(escalation, data, form):
        service.escalation_resolve(
            escalation=escalation,
            outcome=data["outcome"],
            on=data["resolved_on"],
            by=request.user,
            today=timezone.localdate(),
        )

    return _act(
        request,
        pk,
        allowed=can_manage_escalation,
        form_class=ResolveForm,
        key="resolve_form",
        do=do,
        done="The escalation has been resolved.",
    )


@require_http_methods(["POST"])
def escalation_withdraw(request, pk: int):
    def do(escalation, data, form):
        service.escalation_withdraw(
            escalation=escalation,
            reason=data["withdrawal_reason"],
            on=data["withdrawn_on"],
            by=request.user,
            today=timezone.localdate(),
        )

    return _act(
        request,
        pk,
        allowed=can_manage_escalation,
        form_class=WithdrawForm,
        key="withdraw_form",
        do=do,
        done="The escalation has been withdrawn.",
    )


@require_http_methods(["GET"])
def escalation_list(request):
    user = request.user
    selectors.require_reader(user)
    filters = ListFilterForm(request.GET or None)
    asked = filters.cleaned_data if filters.is_valid() else {}
    status = asked.get("status") or "open"
    today = timezone.localdate()
    escalations = selectors.escalation_worklist(
        user,
        today=today,
        district=getattr(asked.get("district"), "pk", None),
        level=asked.get("level"),
        open_days=asked.get("open_days"),
        status=None if status == "all" else status,
    )
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/escalations/list.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "filters": filters,
            "has_filters": selectors.has_filters(user),
            "status": status,
            "today": today,
            "heading": (
                "Escalations you raised"
                if user.role == "iro"
                else "Your district's escalations"
                if user.role == "district_manager"
                else "Escalations"
            ),
        },
    )
