"""Writes to annual reports (services push): create with the default narrative, edit a
section, ask for a PDF, make it (the Celery task's work), approve.

An approved report is frozen: every write here takes the report's row lock and refuses once
it is approved, so an edit racing an approval cannot slip in after it. The one write after
approval is the approved version's own PDF, made from the figures and narrative of the draft
version the approver read, so the approved PDF says exactly what they approved.

A PDF takes seconds to make, so no request waits for one: a Celery worker makes it, or, when
tasks run eagerly with no worker (`make run`), a thread of this process (background.py). The
request that asks for one answers at once with the version's status page.
"""

import json
import logging
import time
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import jobs
from case_audits.selectors import completed_audits_between
from iro_service.records import save_with_history
from people.access import can_approve_annual_report, can_edit_annual_report
from people.models import User
from reporting.metrics import Period, compute_all
from reporting.selectors import consistent_read

from . import background, default_text, document, figures, narrative, pdf
from .models import AnnualReport, ReportSection, ReportVersion
from .sections import SECTIONS, default_title

logger = logging.getLogger(__name__)
Status = ReportVersion.Status
FIRST_YEAR, LAST_YEAR = 1990, 2100
FROZEN = "This report has been approved, so it can no longer be changed."
ABANDONED_AFTER = timedelta(hours=1)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"Choose a year between {FIRST_YEAR} and {LAST_YEAR}."})


@transaction.atomic
def report_create(*, year: int, by: User | None) -> AnnualReport:
    """A draft report for the year, with every section holding the default narrative."""
    _check_year(year)
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError({"year": "There is already an annual report for this year."})
    report = AnnualReport.objects.create(year=year, created_by=by)
    ReportSection.objects.bulk_create(
        ReportSection(
            report=report,
            key=spec.key,
            order=index,
            title=default_title(spec, year=year),
            body=default_text.SECTIONS.get(spec.key, ""),
            updated_by=by,
        )
        for index, spec in enumerate(SECTIONS, start=1)
    )
    # bulk_create skips simple_history's signals: record each section's first version.
    for section in report.sections.all():
        section.save()
    return report


def report_get_or_create(*, year: int, by: User | None) -> tuple[AnnualReport, bool]:
    report = AnnualReport.objects.filter(year=year).first()
    if report is not None:
        return report, False
    return report_create(year=year, by=by), True


def _locked_draft(report: AnnualReport) -> AnnualReport:
    """The report's row, locked for this transaction; refused once approved."""
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_approved:
        raise ValidationError(FROZEN)
    return locked


def section_problems(*, section: ReportSection, body: str, known: set[str]) -> list[str]:
    return narrative.problems(body, known, document.exhibits_of(section.key))


@transaction.atomic
def section_update(
    *, section: ReportSection, title: str, body: str, known_figures: set[str], by: User
) -> ReportSection:
    """Save a section's title and narrative. Refused, changing nothing, if the text cites a
    figure, table or chart the report does not have, or if the report is approved."""
    if not can_edit_annual_report(by):
        raise ValidationError("Only the Senior IRO edits the annual report.")
    _locked_draft(section.report)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Enter the section's title."]
    elif narrative.placeholders_in(title) or "[[" in title:
        errors["title"] = ["A title is plain text: figures go in the text below it."]
    problems = section_problems(section=section, body=body, known=known_figures)
    if problems:
        errors["body"] = problems
    if errors:
        raise ValidationError(errors)
    section.title, section.body, section.updated_by = title, body.replace("\r\n", "\n"), by
    return save_with_history(
        section,
        by=by,
        reason="Section edited",
        update_fields=["title", "body", "updated_by"],
        clean=False,
    )


def narrative_of(report: AnnualReport) -> list[dict]:
    return [
        {"key": s.key, "title": s.title, "body": s.body} for s in report.sections.order_by("order")
    ]


def _next_number(report: AnnualReport) -> int:
    return (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def version_request(*, report: AnnualReport, by: User) -> ReportVersion:
    """A new draft PDF of the report, made by a Celery task once this transaction commits."""
    if not can_edit_annual_report(by):
        raise ValidationError("Only the Senior IRO asks for a new version of the report.")
    with transaction.atomic():
        locked = _locked_draft(report)
        active = _active_version(locked)
        if active is not None:  # a second click while one is being made: show that one
            return active
        version = ReportVersion.objects.create(
            report=locked, number=_next_number(locked), requested_by=by, requested_at=timezone.now()
        )
        _queue(version)
    return version


def _active_version(report: AnnualReport) -> ReportVersion | None:
    """The draft version queued or running, if any. One that has waited longer than
    ABANDONED_AFTER lost its worker (a crash, a lost message): it is marked failed."""
    active = report.versions.filter(status__in=[Status.QUEUED, Status.RUNNING])
    active.filter(requested_at__lt=timezone.now() - ABANDONED_AFTER).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error=f"Abandoned: not finished within {ABANDONED_AFTER} of being asked for.",
    )
    return active.filter(is_approved_version=False).first()


def _queue(version: ReportVersion) -> None:
    """Have the version's PDF made once this transaction commits. An eager task would make it
    inside the request that asked, freezing the page for seconds, so with eager tasks and
    ANNUAL_REPORT_PDF_IN_THREAD it is made in a thread instead and the request answers at once."""
    from .tasks import build_report_version  # the task module imports this one

    if settings.ANNUAL_REPORT_PDF_IN_THREAD and build_report_version.app.conf.task_always_eager:
        transaction.on_commit(partial(background.start, version.pk))
    else:
        jobs.enqueue(build_report_version, version.pk)  # kept if Redis is down


def approval_refusal(*, report: AnnualReport, version: ReportVersion) -> str:
    """Why this version cannot be approved, or "" if it can: a finished draft of this report,
    made from the text as it is now, while the report is still a draft."""
    if report.is_approved:
        return FROZEN
    if version.report_id != report.pk or version.status != Status.DONE:
        return "Approve a finished version of this report."
    if version.is_approved_version:
        return "This is the approved version already."
    if version.narrative != narrative_of(report):
        return (
            "The text has changed since this version was made. Ask for a new version and "
            "approve that one."
        )
    return ""


@transaction.atomic
def report_approve(*, report: AnnualReport, version: ReportVersion, by: User) -> ReportVersion:
    """Approve the report as a finished draft version shows it: the report is frozen and an
    approved version is made from that version's own figures and narrative."""
    if not can_approve_annual_report(by):
        raise ValidationError("Only a directorate manager approves the annual report.")
    locked = _locked_draft(report)
    refusal = approval_refusal(report=locked, version=version)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    locked.status, locked.approved_by, locked.approved_at = AnnualReport.Status.APPROVED, by, now
    save_with_history(
        locked,
        by=by,
        reason="Approved",
        update_fields=["status", "approved_by", "approved_at"],
        clean=False,
    )
    approved = ReportVersion.objects.create(
        report=locked,
        number=_next_number(locked),
        requested_by=by,
        requested_at=now,
        data_as_of=version.data_as_of,
        figures=version.figures,
        narrative=version.narrative,
        is_approved_version=True,
        based_on=version,
    )
    _queue(approved)
    return approved


@transaction.atomic
def approved_version_retry(*, version: ReportVersion, by: User) -> ReportVersion:
    """Make the approved version's PDF again after a failure (its content cannot change)."""
    if not (can_approve_annual_report(by) or can_edit_annual_report(by)):
        raise ValidationError("You cannot make this version again.")
    updated = ReportVersion.objects.filter(
        pk=version.pk, is_approved_version=True, status=Status.FAILED
    ).update(status=Status.QUEUED, step=0, step_label="", error="")
    if not updated:
        raise ValidationError("Only an approved version that failed can be made again.")
    _queue(version)
    return version


# --- Making the PDF (the Celery task's work) -------------------------------------------------


def _claim(version_id: int) -> bool:
    """queued -> running, once: a task delivered twice makes the PDF once."""
    return bool(
        ReportVersion.objects.filter(pk=version_id, status=Status.QUEUED).update(
            status=Status.RUNNING,
            started_at=timezone.now(),
            step=0,
            step_label=ReportVersion.STEPS[0],
        )
    )


def _progress(version_id: int, step: int) -> None:
    label = ReportVersion.STEPS[step] if step < len(ReportVersion.STEPS) else "Finished"
    ReportVersion.objects.filter(pk=version_id, status=Status.RUNNING).update(
        step=step, step_label=label
    )


def compute_report_figures(*, year: int) -> tuple[dict, datetime]:
    """Every measure of the reporting year, read in one consistent transaction, as stored."""
    with consistent_read() as as_of:
        period = Period.year(year)
        data = compute_all(period=period)
        # §7.7: the themed case audits completed in the year, from their own records.
        data["case_audits"] = case_audits_of_year(period)
    # Stored as JSON: what the PDF used is what the approved version will use again.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder)), as_of


def case_audits_of_year(period: Period) -> dict:
    """The audit section's records: the audits completed in the reporting year."""
    audits = completed_audits_between(start=period.start, end=period.end)
    return {"completed": len(audits), "cases": sum(a["cases"] for a in audits), "audits": audits}


def version_build(*, version_id: int) -> str:
    """Make a queued version's PDF, recording each step; answers the version's status."""
    if not _claim(version_id):
        return ReportVersion.objects.get(pk=version_id).status
    version = ReportVersion.objects.select_related("report", "report__approved_by").get(
        pk=version_id
    )
    report = version.report
    started = time.monotonic()
    try:
        if version.figures is None:
            data, as_of = compute_report_figures(year=report.year)
            sections = narrative_of(report)
            ReportVersion.objects.filter(pk=version_id).update(
                figures=data, data_as_of=as_of, narrative=sections
            )
        else:
            data, as_of, sections = version.figures, version.data_as_of, version.narrative
        _progress(version_id, 1)
        approved = version.is_approved_version
        built = document.build(
            year=report.year,
            sections=sections,
            data=data,
            data_as_of=as_of,
            approved_by=report.approved_by if approved else None,
            approved_at=report.approved_at if approved else None,
            version_number=version.number,
        )
        html = pdf.document_html(built)
        _progress(version_id, 2)
        rendered = pdf.render_pdf(html)
    except Exception as exc:  # a failure is recorded on the version for the person waiting
        logger.exception("Annual report version %s failed", version_id)
        ReportVersion.objects.filter(pk=version_id, status=Status.RUNNING).update(
            status=Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"
        )
        return Status.FAILED
    return _store(version, rendered, seconds=time.monotonic() - started)


def _store(version: ReportVersion, rendered: pdf.RenderedPDF, *, seconds: float) -> str:
    version.refresh_from_db()
    version.pdf.save(version.filename, ContentFile(rendered.content), save=False)
    updated = ReportVersion.objects.filter(pk=version.pk, status=Status.RUNNING).update(
        pdf=version.pdf.name,
        page_count=rendered.page_count,
        seconds=round(seconds, 2),
        status=Status.DONE,
        step=len(ReportVersion.STEPS),
        step_label="Finished",
        finished_at=timezone.now(),
    )
    if not updated:  # marked failed meanwhile: keep no orphan file
        version.pdf.delete(save=False)
        return ReportVersion.objects.get(pk=version.pk).status
    return Status.DONE


# --- The same PDF from the command line ------------------------------------------------------


def report_pdf_now(
    *, report: AnnualReport, timings: dict | None = None
) -> tuple[pdf.RenderedPDF, datetime]:
    """The report's PDF made now and stored nowhere (build_annual_report writes it to a file):
    a draft with the figures as they are now, or, once approved, the approved version again
    from its own figures and narrative. `timings` receives each step's seconds."""
    timings = {} if timings is None else timings
    clock = time.monotonic()
    approved = report.versions.filter(is_approved_version=True).first()
    if report.is_approved and approved is not None and approved.figures is not None:
        data, as_of, sections = approved.figures, approved.data_as_of, approved.narrative
    else:
        data, as_of = compute_report_figures(year=report.year)
        sections = narrative_of(report)
    timings["figures"], clock = time.monotonic() - clock, time.monotonic()
    built = document.build(
        year=report.year,
        sections=sections,
        data=data,
        data_as_of=as_of,
        approved_by=report.approved_by,
        approved_at=report.approved_at,
    )
    html = pdf.document_html(built)
    timings["tables and charts"], clock = time.monotonic() - clock, time.monotonic()
    rendered = pdf.render_pdf(html)
    timings["PDF"] = time.monotonic() - clock
    return rendered, as_of


def figure_values(*, year: int, data: dict, report: AnnualReport | None = None) -> dict[str, str]:
    return figures.values(
        data,
        year=year,
        approved_by=report.approved_by if report else None,
        approved_at=report.approved_at if report else None,
    )
