"""Downloads: the CIN census XML (Senior IRO, directorate manager) and Annex A lists 5 and 7
(the same, for the whole authority or a district; a district manager, their own district)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

import audit
from audit.models import AccessEvent
from people.access import can_download_annex_a, can_export_census, district_scope

from . import annex_a
from .export import census_child_ids, census_xml_chunks
from .forms import AnnexAForm, CensusYearForm, current_census_year
from .models import CensusImport

EXPORTED = AccessEvent.Kind.EXPORTED
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Only the Senior IRO and managers download the census and lists.")


def _page(request, *, census_form=None, annex_form=None, status=200):
    user = request.user
    fixed = district_scope(user) is not None
    context = {
        "can_export": can_export_census(user),
        "census_form": census_form or CensusYearForm(initial={"year": current_census_year() - 1}),
        "annex_form": annex_form
        or AnnexAForm(
            initial={"file_format": "xlsx", "on": timezone.localdate()}, district_fixed=fixed
        ),
        "district": user.district if fixed else None,
        "imports": CensusImport.objects.select_related("district")[:5],
    }
    # base.html marks the title "Error" when `form` has errors.
    context["form"] = census_form if census_form is not None else annex_form
    return render(request, "census/index.html", context, status=status)


@require_GET
def index(request):
    _require(can_download_annex_a(request.user))
    return _page(request)


@require_GET
def cin_census(request):
    _require(can_export_census(request.user))
    form = CensusYearForm(request.GET)
    if not form.is_valid():
        return _page(request, census_form=form, status=400)
    year = form.cleaned_data["year"]
    # One event per child the return may hold (in one INSERT), so that "who exported this
    # child" finds the census too.
    children = census_child_ids(year)
    audit.record(
        request,
        EXPORTED,
        children=children,
        what="cin_census.xml",
        detail={"year": year, "children": len(children)},
    )
    response = StreamingHttpResponse(census_xml_chunks(year), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{year}.xml"'
    return response


def _district_for(request, form):
    """A district manager's own district; a request for another one is not found (404)."""
    user = request.user
    own = district_scope(user)
    if own is None:
        return form.cleaned_data.get("district")
    asked = request.GET.get("district")
    if asked and asked != str(own):
        raise Http404("No such district")
    return user.district


@require_GET
def annex_a_list(request):
    _require(can_download_annex_a(request.user))
    fixed = district_scope(request.user) is not None
    form = AnnexAForm(request.GET, district_fixed=fixed)
    if not form.is_valid():
        return _page(request, annex_form=form, status=400)
    district = _district_for(request, form)
    on, number = form.cleaned_data["on"], form.cleaned_data["annex_list"]
    title, columns, rows = annex_a.LISTS[number]
    where = f"-{district.code}" if district else ""
    name = f"annex-a-list-{number}-{on:%Y-%m-%d}{where}"
    children = annex_a.list_child_ids(number, on=on, district=district)
    audit.record(
        request,
        EXPORTED,
        children=children,
        what=f"annex_a_list_{number}.{form.cleaned_data['file_format']}",
        detail={
            "on": on.isoformat(),
            "district": district.code if district else "all",
            "children": len(children),
        },
    )
    if form.cleaned_data["file_format"] == "csv":
        lines = annex_a.csv_lines(columns, rows(on=on, district=district))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    content = annex_a.xlsx_bytes(title, columns, rows(on=on, district=district))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
