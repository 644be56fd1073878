"""The quarterly QA report for the cluster meetings (§8.1): a page and its PDF.

Who may read it is people.access.can_view_quality_report (others 403); a district manager
sees their own district only, and asking for another answers 404 (reporting.selectors). A
quarter or district that is not on the lists gets the page with an error summary (400).
Figures are computed in the request from the measures (quality_assurance.quarterly): a
quarter's are small.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

import audit
from annual_report import fonts
from annual_report.charts import FONT_STYLE, _report_font
from annual_report.pdf import render_pdf
from audit.models import AccessEvent
from people.access import can_view_quality_report, district_scope
from reporting.charts import DRAW, chart_svg
from reporting.forms import DistrictFilterMixin
from reporting.selectors import district_for_query

from .. import quarterly


class QuarterlyReportForm(DistrictFilterMixin, forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        required=False,
        error_messages={"invalid_choice": "Choose a quarter from the list"},
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {q.key: q for q in quarterly.available_quarters(today)}
        self.default = quarterly.last_complete_quarter(today)
        self.fields["quarter"].choices = [(key, q.label) for key, q in self.quarters.items()]
        self.initial.setdefault("quarter", self.default.key)
        self._add_district(user)
        self.fields["district"].error_messages["invalid_choice"] = (
            "Choose a district from the list, or the whole authority"
        )

    def clean_quarter(self) -> quarterly.Quarter:
        """No quarter given: the last complete one."""
        key = self.cleaned_data["quarter"]
        return self.quarters[key] if key else self.default


def _require_reader(user) -> None:
    if not can_view_quality_report(user):
        raise PermissionDenied("Your role does not use the quarterly quality report.")


def _filters(request):
    """The form, and the quarter and district it asks for (None, None if it is invalid)."""
    if district_scope(request.user) is not None:
        # A district manager asking for another district's figures: 404, as the dashboard.
        district_for_query(request.user, request.GET.get("district"))
    form = QuarterlyReportForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        district = district_for_query(request.user, None)
        return form, form.default, district
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["quarter"], form.cleaned_data["district"]


def _context(form, quarter, district, *, chart_style=None) -> dict:
    context = {"form": form, "quarter": quarter, "district": district}
    if quarter is None:
        return context
    data = quarterly.report_figures(quarter, district)
    sections = []
    for section in quarterly.sections(data):
        tables = []
        for table in section.tables:
            chart = ""
            if table.name in DRAW:
                svg = chart_svg(table, style=chart_style)
                # Our own SVG from our own figures: matplotlib escapes its text, chart_svg
                # the title and description it adds.
                chart = mark_safe(_report_font(svg) if chart_style else svg)  # noqa: S308
            tables.append({"table": table, "chart": chart})
        sections.append({"section": section, "tables": tables})
    query = {"quarter": quarter.key, **({"district": district.pk} if district else {})}
    context.update(
        {
            "data": data,
            "period": quarter.period,
            "computed_at": parse_datetime(data["computed_at"]),
            "sections": sections,
            "scope": district.name if district else "Whole authority",
            "pdf_url": reverse("quality:quarterly_report_pdf") + "?" + urlencode(query),
        }
    )
    return context


@require_GET
def quarterly_report(request):
    _require_reader(request.user)
    form, quarter, district = _filters(request)
    context = _context(form, quarter, district)
    status = 400 if form.errors else 200
    return render(request, "quality/report/quarterly.html", context, status=status)


@require_GET
def quarterly_report_pdf(request):
    """The same report as a PDF, made now, in the report's shipped font."""
    _require_reader(request.user)
    form, quarter, district = _filters(request)
    if quarter is None:
        context = _context(form, quarter, district)
        return render(request, "quality/report/quarterly.html", context, status=400)
    fonts.register_with_matplotlib()
    context = _context(form, quarter, district, chart_style=FONT_STYLE)
    html = render_to_string("quality/report/quarterly_pdf.html", context, request=request)
    pdf = render_pdf(html)
    scope = district.code if district else "whole-authority"
    detail = {"quarter": quarter.key, "district": scope}
    audit.record(request, AccessEvent.Kind.EXPORTED, what="quarterly_report.pdf", detail=detail)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    filename = f"quality-report-{quarter.key}-{scope}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
