import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

import audit
from audit.models import AccessEvent
from audit.services import search_detail
from iro_service.forms import add_service_errors
from people.access import (
    can_book_conferences,
    can_edit_children,
    can_manage_plans,
    can_raise_escalation,
)
from plans.models import ChildProtectionPlan

from . import services
from .forms import ChildForm, ChildSearchForm, FamilyMemberForm
from .history import child_history
from .selectors import (
    access_child,
    access_household,
    child_search,
    child_search_page,
    household_list_for,
)
from .timeline import child_timeline

# Rows on a page of search results. GOV.UK pagination links the pages.
SEARCH_PAGE_SIZE = 25
# Searches kept in the session for their result pages (older ones are forgotten).
SEARCHES_KEPT = 10
SEARCH_FIELDS = ("q", "born_on_day", "born_on_month", "born_on_year")


@require_http_methods(["GET", "POST"])
def search(request):
    """Find a child. The terms (a name, an NHS number, a UPN) go by POST, never in a URL:
    they are kept in the session and the results are at ?search=<a random key>, whose pages
    link like any list's and which the back button and a refresh show again. Each search is
    recorded in the audit once, with its kinds of term and the number found."""
    if request.method == "POST":
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            key = _keep_search(request, form.data)
            found = _found(request, form).count()
            audit.record(
                request,
                AccessEvent.Kind.SEARCHED,
                what="children:search",
                detail=search_detail(
                    text=form.cleaned_data["q"],
                    born_on=form.cleaned_data["born_on"],
                    results=found,
                ),
            )
            return redirect(f"{reverse('children:search')}?{urlencode({'search': key})}")
        return _search_page(request, form, page=None)
    kept = request.session.get("child_searches", {}).get(request.GET.get("search", ""))
    form = ChildSearchForm(kept) if kept else ChildSearchForm()
    if not (kept and form.is_valid()):
        return _search_page(request, ChildSearchForm(), page=None)
    # As Paginator.get_page: a page number past the end shows the last page, and one that
    # is not a number shows the first, rather than an error for an edited or old link.
    page = child_search_page(
        user=request.user,
        text=form.cleaned_data["q"],
        born_on=form.cleaned_data["born_on"],
        number=request.GET.get("page"),
        per_page=SEARCH_PAGE_SIZE,
        today=timezone.localdate(),
    )
    return _search_page(request, form, page=page)


def _found(request, form):
    return child_search(
        user=request.user, text=form.cleaned_data["q"], born_on=form.cleaned_data["born_on"]
    )


def _keep_search(request, data) -> str:
    searches = request.session.get("child_searches", {})
    key = secrets.token_urlsafe(8)
    searches[key] = {name: data.get(name, "") for name in SEARCH_FIELDS}
    # dicts keep their order: drop the oldest past the limit
    request.session["child_searches"] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


def _search_page(request, form, *, page):
    return render(
        request,
        "children/child_search.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1)
            if page is not None
            else [],
        },
    )


@require_GET
def detail(request, pk: int):
    child = access_child(request.user, pk)
    audit.record(request, AccessEvent.Kind.VIEWED, child=child)
    plans = (
        ChildProtectionPlan.objects.filter(child=child)
        .prefetch_related("category_changes", "targets")
        .order_by("-start_date")
    )
    context = {
        "child": child,
        "plans": plans,
        "open_plan": next((plan for plan in plans if plan.is_open), None),
        "siblings": child.household.children.exclude(pk=child.pk) if child.household else [],
        "looked_after": child.looked_after_episodes.all(),
        "timeline": child_timeline(child),
        "can_edit": can_edit_children(request.user),
        "can_manage_plans": can_manage_plans(request.user),
        "can_raise_escalation": can_raise_escalation(request.user),
    }
    return render(request, "children/child_detail.html", context)


@require_GET
def history(request, pk: int):
    child = access_child(request.user, pk)
    audit.record(request, AccessEvent.Kind.VIEWED, child=child)
    return render(
        request, "children/child_history.html", {"child": child, "entries": child_history(child)}
    )


@require_GET
def household(request, pk: int):
    household = access_household(request.user, pk)
    children = list(household.children.all())
    audit.record(request, AccessEvent.Kind.VIEWED, children=children)
    conferences = household.conferences.select_related("chair", "venue").order_by("-scheduled_for")
    return render(
        request,
        "children/household_detail.html",
        {
            "household": household,
            "children": children,
            "conferences": conferences,
            "can_book": can_book_conferences(request.user),
            "can_edit": can_edit_children(request.user),
            "family": household.family_members.all(),
        },
    )


def _require_editor(request) -> None:
    if not can_edit_children(request.user):
        raise PermissionDenied("Your role cannot change children's records.")


@require_http_methods(["GET", "POST"])
def create(request):
    _require_editor(request)
    form = ChildForm(request.POST or None, households=household_list_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{child.full_name} has been added.")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "child": None})


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    _require_editor(request)
    child = access_child(request.user, pk)
    form = ChildForm(
        request.POST or None, instance=child, households=household_list_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        fresh = access_child(request.user, pk)
        try:
            services.child_update(child=fresh, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The child's record has been updated.")
            return redirect("children:detail", pk=pk)
    return render(request, "children/child_form.html", {"form": form, "child": child})


def _family_member_page(request, household, form, *, member=None):
    if request.method == "POST" and form.is_valid():
        try:
            if member is None:
                services.family_member_add(
                    household=household, by=request.user, **form.cleaned_data
                )
            else:
                services.family_member_update(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The parent or carer has been saved.")
            return redirect("children:household", pk=household.pk)
    return render(
        request,
        "children/family_member_form.html",
        {"form": form, "household": household, "member": member},
    )


@require_http_methods(["GET", "POST"])
def family_member_add(request, pk: int):
    _require_editor(request)
    household = access_household(request.user, pk)
    return _family_member_page(request, household, FamilyMemberForm(request.POST or None))


@require_http_methods(["GET", "POST"])
def family_member_edit(request, pk: int, member_pk: int):
    _require_editor(request)
    household = access_household(request.user, pk)
    member = household.family_members.filter(pk=member_pk).first()
    if member is None:
        raise Http404("No such parent or carer in this household")
    form = FamilyMemberForm(request.POST or None, instance=member)
    return _family_member_page(request, household, form, member=member)
