"""Creating a report, editing its sections, making versions and approving: what is refused,
what is kept, and that an approved report is frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annual_report import default_text, services
from annual_report.models import AnnualReport, ReportSection, ReportVersion
from annual_report.sections import SECTION_KEYS
from people.models import Role

from .conftest import YEAR

pytestmark = pytest.mark.django_db

KNOWN = {"ni64.percent", "plans_open_at_end.total"}


def _make_version(report, user, django_capture_on_commit_callbacks) -> ReportVersion:
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_request(report=report, by=user)
    version.refresh_from_db()
    return version


def test_a_new_report_has_every_section_with_the_sample_narrative(world):
    report = services.report_create(year=YEAR, by=world.users[Role.SENIOR_IRO])
    sections = list(report.sections.order_by("order"))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert sections[0].body == default_text.FOREWORD
    assert sections[8].title == "Priorities for 2012/13"
    assert report.status == AnnualReport.Status.DRAFT
    assert all(s.history.count() == 1 for s in sections)
    with pytest.raises(ValidationError, match="already an annual report"):
        services.report_create(year=YEAR, by=None)


def test_one_report_per_year_is_a_database_constraint(world):
    AnnualReport.objects.create(year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=YEAR)


def test_an_approved_report_must_say_who_approved_it_and_when(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=YEAR, status=AnnualReport.Status.APPROVED)


def test_editing_a_section_saves_and_keeps_history(world):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    section = report.sections.get(key="foreword")
    services.section_update(
        section=section,
        title="Foreword",
        body="NI 64 was [[ni64.percent]].",
        known_figures=KNOWN,
        by=senior,
    )
    section.refresh_from_db()
    assert section.body == "NI 64 was [[ni64.percent]]."
    assert section.updated_by == senior
    assert section.history.count() == 2


def test_an_unknown_placeholder_is_refused_and_changes_nothing(world):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    section = report.sections.get(key="foreword")
    before = section.body
    with pytest.raises(ValidationError) as error:
        services.section_update(
            section=section,
            title="New title",
            body="Was [[ni99.percent]].",
            known_figures=KNOWN,
            by=senior,
        )
    assert "[[ni99.percent]] is not a figure the report knows" in str(
        error.value.message_dict["body"]
    )
    section.refresh_from_db()
    assert (section.title, section.body) == ("Foreword", before)
    assert section.history.count() == 1


def test_only_the_senior_iro_edits(world):
    report = services.report_create(year=YEAR, by=None)
    section = report.sections.get(key="foreword")
    for role in (Role.DIRECTORATE_MANAGER, Role.BUSINESS_SUPPORT, Role.IRO):
        with pytest.raises(ValidationError, match="Only the Senior IRO"):
            services.section_update(
                section=section, title="X", body="", known_figures=KNOWN, by=world.users[role]
            )


def test_a_version_is_made_with_its_figures_narrative_and_progress(
    world, year_records, django_capture_on_commit_callbacks
):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    version = _make_version(report, senior, django_capture_on_commit_callbacks)
    assert version.status == ReportVersion.Status.DONE, version.error
    assert version.step == version.steps_total == 3
    assert version.page_count > 5
    assert version.requested_by == senior and version.data_as_of is not None
    assert version.figures["plans_open_at_end"]["total"] == 2
    assert version.narrative == services.narrative_of(report)
    assert version.pdf.read(5) == b"%PDF-"
    # Run twice (a task delivered again): nothing happens the second time.
    assert services.version_build(version_id=version.pk) == ReportVersion.Status.DONE


def test_a_failure_is_recorded_on_the_version(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)

    def broken(html):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services.pdf, "render_pdf", broken)
    version = _make_version(report, senior, django_capture_on_commit_callbacks)
    assert version.status == ReportVersion.Status.FAILED
    assert version.error == "RuntimeError: no fonts"
    assert not version.pdf


def test_approval_freezes_the_report_and_keeps_its_history(
    world, year_records, django_capture_on_commit_callbacks
):
    senior, manager = world.users[Role.SENIOR_IRO], world.users[Role.DIRECTORATE_MANAGER]
    report = services.report_create(year=YEAR, by=senior)
    section = report.sections.get(key="foreword")
    services.section_update(
        section=section,
        title="Foreword",
        body="Plans: [[plans_open_at_end.total]].",
        known_figures=KNOWN,
        by=senior,
    )
    draft = _make_version(report, senior, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="Only a directorate manager"):
        services.report_approve(report=report, version=draft, by=senior)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.report_approve(report=report, version=draft, by=manager)
    report.refresh_from_db()
    approved.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED
    assert report.approved_by == manager and report.approved_at is not None
    assert approved.is_approved_version and approved.based_on == draft
    assert approved.status == ReportVersion.Status.DONE, approved.error
    assert approved.figures == draft.figures and approved.data_as_of == draft.data_as_of

    # Frozen: no edit, no new version, no second approval.
    with pytest.raises(ValidationError, match="approved"):
        services.section_update(
            section=section, title="Foreword", body="Changed", known_figures=KNOWN, by=senior
        )
    with pytest.raises(ValidationError, match="approved"):
        services.version_request(report=report, by=senior)
    with pytest.raises(ValidationError, match="approved"):
        services.report_approve(report=report, version=draft, by=manager)
    section.refresh_from_db()
    assert section.body == "Plans: [[plans_open_at_end.total]]."
    assert ReportVersion.objects.filter(report=report).count() == 2
    # History: the draft, then the approval.
    assert [h.status for h in report.history.order_by("history_date")] == ["draft", "approved"]
    assert section.history.count() == 2
    # The approved PDF can still be downloaded: its file is there.
    assert approved.pdf.read(5) == b"%PDF-"


def test_only_a_version_of_the_current_text_can_be_approved(
    world, year_records, django_capture_on_commit_callbacks
):
    senior, manager = world.users[Role.SENIOR_IRO], world.users[Role.DIRECTORATE_MANAGER]
    report = services.report_create(year=YEAR, by=senior)
    draft = _make_version(report, senior, django_capture_on_commit_callbacks)
    section = report.sections.get(key="conclusion")
    services.section_update(
        section=section, title="Conclusion", body="New words.", known_figures=KNOWN, by=senior
    )
    with pytest.raises(ValidationError, match="text has changed"):
        services.report_approve(report=report, version=draft, by=manager)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_one_approved_version_per_report_is_a_database_constraint(world):
    report = AnnualReport.objects.create(year=YEAR)
    user = world.users[Role.SENIOR_IRO]
    from django.utils import timezone

    ReportVersion.objects.create(
        report=report,
        number=1,
        requested_by=user,
        requested_at=timezone.now(),
        is_approved_version=True,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.create(
            report=report,
            number=2,
            requested_by=user,
            requested_at=timezone.now(),
            is_approved_version=True,
        )


def test_sections_are_unique_per_report(world):
    report = services.report_create(year=YEAR, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSection.objects.create(report=report, key="foreword", order=99, title="Again")


def test_asking_again_while_a_version_is_being_made_gives_that_version(world, monkeypatch):
    monkeypatch.setattr(services, "_queue", lambda version: None)  # no worker
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    first = services.version_request(report=report, by=senior)
    assert services.version_request(report=report, by=senior) == first
    # One its worker lost is given up after an hour, and a new one is made.
    ReportVersion.objects.filter(pk=first.pk).update(
        requested_at=first.requested_at - services.ABANDONED_AFTER
    )
    second = services.version_request(report=report, by=senior)
    assert second.number == 2
    first.refresh_from_db()
    assert first.status == ReportVersion.Status.FAILED and "Abandoned" in first.error
