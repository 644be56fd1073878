"""The annual report's audit section (§7.7) lists the year's completed audits from their
records: theme, number of cases and overall findings; never an unfinished one, nor one
completed in another year."""

import datetime as dt

import pytest

from annual_report import default_text, document
from annual_report import services as reports
from case_audits import services
from people.models import Role

from ..factories import LONDON
from .helpers import ALL_YES, chosen_audit

pytestmark = pytest.mark.django_db


def _complete(world, audit, findings, on):
    senior = world.users[Role.SENIOR_IRO]
    for case in audit.cases.all():
        services.audit_case_save(case=case, answers=ALL_YES, findings="", by=senior)
    services.audit_findings_save(audit=audit, overall_findings=findings, actions="", by=senior)
    now = dt.datetime.combine(on, dt.time(12), tzinfo=LONDON)
    services.audit_complete(audit=audit, by=senior, now=now)


def _section(year):
    data, as_of = reports.compute_report_figures(year=year)
    sections = [{"key": k, "title": k, "body": body} for k, body in default_text.SECTIONS.items()]
    built = document.build(year=year, sections=sections, data=data, data_as_of=as_of)
    return next(s for s in built.sections if s.key == "quality_assurance")


def _table(section):
    return next(
        b.table for b in section.blocks if b.kind == "table" and b.lines[0] == "case_audits"
    )


def _text(section):
    return " ".join(seg.text for b in section.blocks if b.kind == "paragraph" for seg in b.segments)


def test_the_audit_section_lists_the_years_completed_audits_only(world):
    done = chosen_audit(world, name="Repeat plans audit")
    _complete(world, done, "The rule of optimism prevailed.", dt.date(2026, 10, 14))
    chosen_audit(world, children=[world.child], name="Unfinished audit")
    last_year = chosen_audit(world, children=[world.sibling], name="Last year's audit")
    _complete(world, last_year, "Old findings.", dt.date(2026, 3, 31))

    section = _section(2027)  # 1 April 2026 to 31 March 2027
    table = _table(section)

    assert table.rows == [
        [
            "Repeat plans audit",
            "Children you choose",
            "3",
            "14 October 2026",
            "The rule of optimism prevailed.",
        ]
    ]
    assert "completed 1 themed case audit in the year, of 3 cases in all" in _text(section)


def test_a_year_without_audits_says_so(world):
    chosen_audit(world, name="Unfinished audit")
    section = _section(2027)
    assert _table(section).rows == []
    assert "No themed case audit was completed in the year." in _text(section)
