"""The audit page: the Senior IRO and the auditor find who viewed, searched for or exported a
child's records, what a member of staff looked at, and sign-ins, by date. Everyone else: 403.

The form is sent by POST (a child's name must not sit in a URL); the results are at a GET
address holding only record ids and dates, so their pages link like any other list. Reading
the audit is itself recorded, as a search with the kinds of filter used (not against the
child, whose own trail it would otherwise fill)."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from children.models import Child
from children.selectors import child_search
from people.access import can_read_audit
from people.models import User

from .forms import AuditFilterQuery, AuditSearchForm
from .models import AccessEvent
from .selectors import AuditFilters, access_event_list, describe_detail, describe_what
from .services import record

PAGE_SIZE = 50
# Children offered to choose from when a name matches several.
CHOICES_SHOWN = 50


@require_http_methods(["GET", "POST"])
def events(request):
    if not can_read_audit(request.user):
        raise PermissionDenied("Only the Senior IRO and the auditor read the audit record.")
    if request.method == "POST":
        return _search(request)
    filters = _filters_from_query(request.GET)
    if filters is None:
        return redirect("audit:events")
    return _results_page(request, filters)


def _filters_from_query(query) -> AuditFilters | None:
    """The filters in the URL, or None when one is not valid (an edited or old link)."""
    form = AuditFilterQuery(query)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    child = Child.objects.filter(pk=data["child"]).first() if data["child"] else None
    user = User.objects.filter(pk=data["user"]).first() if data["user"] else None
    if (data["child"] and child is None) or (data["user"] and user is None):
        return None
    return AuditFilters(child, user, data["date_from"], data["date_to"])


def _url(filters: AuditFilters) -> str:
    query = filters.query()
    return reverse("audit:events") + (f"?{urlencode(query)}" if query else "")


def _search(request):
    form = AuditSearchForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=200)
    data = form.cleaned_data
    filters = AuditFilters(None, data["user"], data["date_from"], data["date_to"])
    if not data["child"]:
        return redirect(_url(filters))
    matches = list(child_search(user=request.user, text=data["child"])[: CHOICES_SHOWN + 1])
    if not matches:
        form.add_error("child", "No child matches that name or child ID")
        return _page(request, form, status=200)
    if len(matches) == 1:
        return redirect(_url(AuditFilters(matches[0], *_rest(filters))))
    choices = [
        {"child": child, "url": _url(AuditFilters(child, *_rest(filters)))}
        for child in matches[:CHOICES_SHOWN]
    ]
    return _page(request, form, choices=choices, more=len(matches) > CHOICES_SHOWN)


def _rest(filters: AuditFilters) -> tuple:
    return filters.user, filters.date_from, filters.date_to


def _results_page(request, filters: AuditFilters):
    page = Paginator(access_event_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"event": event, "what": describe_what(event), "detail": describe_detail(event)}
        for event in page.object_list
    ]
    record(
        request,
        AccessEvent.Kind.SEARCHED,
        what="audit:events",
        detail={"by": filters.names(), "results": page.paginator.count},
    )
    initial = {
        "child": filters.child.local_id if filters.child else "",
        "user": filters.user,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
    }
    return _page(
        request,
        AuditSearchForm(initial=initial),
        filters=filters,
        page=page,
        rows=rows,
        page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1),
    )


def _page(request, form, *, status: int = 200, **context):
    return render(request, "audit/events.html", {"form": form, **context}, status=status)
