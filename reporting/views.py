"""The dashboard and its CSV downloads, the refresh and its progress, and the monthly lists
for district managers (§6.3.4).

Who may do what is people.access's answer (can_view_dashboard, can_refresh_dashboard); what a
user may see is reporting.selectors' (a district manager: their district, else 404). Figures
are always the stored ones (services.stored_figures): a page never computes a measure, and its
charts were drawn when the figures were stored.
"""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

import audit
from audit.models import AccessEvent
from people.access import (
    can_refresh_dashboard,
    can_view_dashboard,
    can_view_monthly_lists,
    gets_monthly_lists_email,
)
from people.models import District

from .charts import DRAW, chart_svg
from .csv import csv_response
from .formatting import percent_text
from .forms import DashboardFilterForm, MonthlyListsForm, RefreshForm
from .selectors import (
    Figures,
    access_snapshot,
    district_for_query,
    last_monthly_lists_email_for,
    looked_after_on_plan_for,
    plans_over_12_months_for,
    repeat_plans_for,
    reporting_year_of,
    with_reference,
)
from .services import snapshot_request, stored_figures
from .tables import (
    TABLES,
    Table,
    dashboard_tables,
    format_value,
    looked_after_table,
    plans_over_12_months_table,
    repeat_plans_table,
)

SECTION_HEADINGS = {
    "indicators": "National indicators",
    "caseloads": "IRO caseloads",
    "monthly_stock": "Plans at each month end",
    "durations": "How long plans lasted",
    "feedback": "Parent and carer feedback",
    "qa_themes": "Quality assurance themes",
    "escalations": "Escalations",
    "escalations_level": "Escalations by the level they reached",
    "districts": "Districts",
}


def _require_viewer(user) -> None:
    if not can_view_dashboard(user):
        raise PermissionDenied("Your role does not use the dashboard.")


def _scope_query(year: int, district: District | None, key: str = "year") -> str:
    params = {key: year, **({"district": district.pk} if district else {})}
    return "?" + urlencode(params)


def _filename(name: str, year: int, district: District | None) -> str:
    scope = district.code if district else "whole-authority"
    return f"{name}-{year - 1}-{str(year)[-2:]}-{scope}.csv"


def _filters(request) -> tuple[DashboardFilterForm, District | None, int | None]:
    """The filter form, the district (404 if not the user's to see) and the year (None when
    the year asked for is not one of the list's)."""
    district = district_for_query(request.user, request.GET.get("district"))
    form = DashboardFilterForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        return form, district, form.initial["year"]
    return form, district, form.cleaned_data["year"] if form.is_valid() else None


@require_GET
def dashboard(request):
    _require_viewer(request.user)
    form, district, year = _filters(request)
    context = {"form": form, "district": district, "year": year}
    if year is not None:
        stored = stored_figures(year=year, district=district)
        context.update(
            active=stored.pending,
            out_of_date=stored.out_of_date,
            can_refresh=can_refresh_dashboard(request.user),
            year_label=f"{year - 1}/{str(year)[-2:]}",
        )
        if stored.figures is not None:
            context.update(_dashboard_context(stored.figures, year=year, district=district))
    return render(request, "reporting/dashboard.html", context)


def _chart(figures: Figures, name: str, table: Table) -> str:
    """The chart stored with the figures; drawn now only for figures stored before charts
    were (and then once per visit, until the next refresh)."""
    if name not in DRAW:
        return ""
    stored = figures.snapshot.charts.get(name) if figures.snapshot is not None else None
    # Our own SVG, drawn from our own figures: matplotlib escapes its text, and chart_svg
    # escapes the title and description it adds.
    return mark_safe(stored or chart_svg(table))  # noqa: S308


def _dashboard_context(figures: Figures, *, year: int, district) -> dict:
    data = with_reference(figures.data, year=year)
    query = _scope_query(year, district)
    sections = [
        {
            "table": table,
            "heading": SECTION_HEADINGS[name],
            "chart": _chart(figures, name, table),
            "csv_url": reverse("reporting:table_csv", args=[name]) + query,
        }
        for name, table in dashboard_tables(data).items()
    ]
    current = year == reporting_year_of(timezone.localdate())
    return {
        "figures": figures,
        "period": {k: date.fromisoformat(v) for k, v in data["period"].items()},
        "is_current_year": current,
        "cards": _cards(data, current=current),
        "sections": sections,
        "lists_url": reverse("reporting:monthly_lists")
        + ("?" + urlencode({"district": district.pk}) if district else ""),
    }


def _ratio_text(measure: dict) -> str:
    if not measure["denominator"]:
        return "None to count"
    return f"{percent_text(measure['percent'])} ({measure['numerator']:,} of {measure['denominator']:,})"


def _cards(data: dict, *, current: bool) -> list[dict]:
    """The summary cards at the top of the dashboard: (label, figure) pairs."""
    end = date.fromisoformat(data["period"]["end"]).strftime("%-d %B %Y")
    rate = data["rate_per_10000"]["rate"]
    plans = [
        (f"Open on {end}", format_value(data["plans_open_at_end"]["total"])),
        *([("Per 10,000 children", format_value(rate))] if rate is not None else []),
        ("Started", format_value(data["plans_started"])),
        ("Ended", format_value(data["plans_ended"])),
        ("Also looked after", format_value(data["looked_after_and_on_plan"]["total"])),
    ]
    due = data["reviews_due"]
    reviews = [
        ("NI 67: reviews on time", _ratio_text(data["ni67"])),
        ("Children reviewed late", format_value(len(data["late_reviews"]))),
        *([("Overdue today", format_value(due["overdue"]))] if current else []),
        *([("Due in the next 30 days", format_value(due["due_soon"]))] if current else []),
    ]
    feedback = data["feedback_returns"]
    quality = [
        ("Conferences held", format_value(data["conferences_held"]["total"])),
        ("QA forms completed", _ratio_text(data["qa_completion"])),
        ("Feedback returned", _ratio_text(feedback["return_rate"])),
        ("Decision sheets on time", _ratio_text(data["decision_sheets_on_time"])),
    ]
    return [
        {"title": "Plans", "rows": plans},
        {"title": "Reviews", "rows": reviews},
        {"title": "Conferences and quality", "rows": quality},
    ]


@require_GET
def table_csv(request, name: str):
    """One table of the dashboard as CSV, for the same year and district."""
    _require_viewer(request.user)
    if name not in TABLES:
        raise Http404("No such table.")
    _, district, year = _filters(request)
    if year is None:
        return HttpResponseBadRequest("Choose a reporting year from the dashboard's list.")
    build, needs = TABLES[name]
    stored = stored_figures(year=year, district=district)
    if stored.figures is None:  # being computed: the dashboard shows the progress
        return redirect(reverse("reporting:dashboard") + _scope_query(year, district))
    data = with_reference(stored.figures.data, year=year)
    if not all(key in data for key in needs):
        raise Http404("There is no such table for one district.")
    return csv_response(build(data), filename=_filename(name, year, district))


@require_POST
def refresh(request):
    """Queue the figures of a year and district to be computed again and stored."""
    if not can_refresh_dashboard(request.user):
        raise PermissionDenied("Your role cannot refresh the figures.")
    district = district_for_query(request.user, request.POST.get("district"))
    form = RefreshForm(request.POST, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a reporting year from the dashboard's list.")
    snapshot, created = snapshot_request(
        year=form.cleaned_data["year"], district=district, by=request.user
    )
    if not created:
        messages.info(request, "These figures were already being refreshed.")
    return redirect("reporting:snapshot", pk=snapshot.pk)


@require_GET
def snapshot(request, pk: int):
    """A refresh's progress, then its outcome. The page polls itself while it runs."""
    _require_viewer(request.user)
    found = access_snapshot(request.user, pk)
    dashboard_url = reverse("reporting:dashboard") + _scope_query(found.year, found.district)
    return render(
        request, "reporting/snapshot.html", {"snapshot": found, "dashboard_url": dashboard_url}
    )


# --- Monthly lists (§6.3.4) ------------------------------------------------------------------

LISTS = {
    "plans-over-12-months": (plans_over_12_months_for, plans_over_12_months_table),
    "repeat-plans": (repeat_plans_for, repeat_plans_table),
    "looked-after": (looked_after_on_plan_for, looked_after_table),
}
LIST_HEADINGS = {
    "plans-over-12-months": "Plans over 12 months",
    "repeat-plans": "Repeat plans",
    "looked-after": "Also looked after",
}


def _require_list_reader(user) -> None:
    if not can_view_monthly_lists(user):
        raise PermissionDenied("Your role does not use the monthly lists.")


def _list_filters(request) -> tuple[MonthlyListsForm, District | None, date | None]:
    district = district_for_query(request.user, request.GET.get("district"))
    form = MonthlyListsForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        return form, district, date.fromisoformat(form.initial["on"])
    return form, district, form.cleaned_data["on"] if form.is_valid() else None


def _list_table(request, name: str, *, on: date, district) -> Table:
    select, build = LISTS[name]
    return build(select(request.user, on=on, district=district), on=on)


LIST_PREVIEW = 25  # rows of each list on the page of all three
LIST_PAGE_SIZE = 50  # rows per page of one list on its own


@require_GET
def monthly_lists(request):
    """Plans over 12 months, repeat plans in the last 12 months, and children on a plan who
    are also looked after, at a month end: for a district manager, their district's. All three
    show their first rows and their count; `?list=<name>` shows one, page by page. The CSV is
    always the whole list. An IRO's are the children whose latest conference they chaired.
    Those emailed about their lists each month see when their own last email was sent."""
    _require_list_reader(request.user)
    only = request.GET.get("list")
    if only is not None and only not in LISTS:
        raise Http404("No such list.")
    form, district, on = _list_filters(request)
    context = {"form": form, "district": district, "on": on, "sections": [], "only": only}
    context.update(_monthly_email_context(request.user))
    if on is not None:
        scope = {"on": on.isoformat(), **({"district": district.pk} if district else {})}
        for name in [only] if only else LISTS:
            select, build = LISTS[name]
            plans = select(request.user, on=on, district=district)
            section = {
                "heading": LIST_HEADINGS[name],
                "csv_url": reverse("reporting:monthly_list_csv", args=[name])
                + "?"
                + urlencode(scope),
                "all_url": "?" + urlencode({**scope, "list": name}),
            }
            if only:
                page = Paginator(plans, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
                section.update(total=page.paginator.count, first=page.start_index())
                context.update(
                    page=page, page_range=page.paginator.get_elided_page_range(page.number)
                )
                shown = page.object_list
            else:
                section.update(total=plans.count(), first=1)
                shown = plans[:LIST_PREVIEW]
            section["table"] = build(shown, on=on)
            section["last"] = section["first"] + len(section["table"].rows) - 1
            context["sections"].append(section)
        context["all_lists_url"] = "?" + urlencode(scope)
        context["dashboard_url"] = reverse("reporting:dashboard") + _scope_query(
            reporting_year_of(on), district
        )
    if not can_view_dashboard(request.user):  # an IRO: back to their work
        context.update(dashboard_url=reverse("conferences:work_list"), back_label="My work")
    return render(request, "reporting/monthly_lists.html", context)


def _monthly_email_context(user) -> dict:
    if not gets_monthly_lists_email(user):
        return {"gets_monthly_email": False}
    return {"gets_monthly_email": True, "last_monthly_email": last_monthly_lists_email_for(user)}


@require_GET
def monthly_list_csv(request, name: str):
    _require_list_reader(request.user)
    if name not in LISTS:
        raise Http404("No such list.")
    _, district, on = _list_filters(request)
    if on is None:
        return HttpResponseBadRequest("Choose a month end from the list.")
    table = _list_table(request, name, on=on, district=district)
    scope = district.code if district else "whole-authority"
    listed = LISTS[name][0](request.user, on=on, district=district).values_list("child", flat=True)
    audit.record(request, AccessEvent.Kind.EXPORTED, children=listed, what=f"{name}.csv")
    return csv_response(table, filename=f"{name}-{on.isoformat()}-{scope}.csv")
