"""Making a PDF never freezes a page, and its status page shows exactly one state: waiting,
making (n% done), ready with its link, or failed with a way to try again.

With eager Celery tasks (`make run`) the PDF is made in a thread after the request's commit,
so the request that asks for it answers at once and the status page can show the steps."""

import re
import threading

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from annual_report import background, pdf, services
from annual_report.models import ReportVersion
from iro_service.celery import app as celery_app
from jobs.models import QueuedTask
from people.models import Role

from .conftest import YEAR

pytestmark = pytest.mark.django_db
Status = ReportVersion.Status

# The words of each state: a page shows its own state's and no other's.
STATE_WORDS = {
    Status.QUEUED: "Waiting to start",
    Status.RUNNING: "Making the PDF",
    Status.DONE: "Ready:",
    Status.FAILED: "could not be made",
}


@pytest.fixture
def tasks_eager():
    """Set task_always_eager for one test: True is `make run`, False a worker."""
    previous = celery_app.conf.task_always_eager

    def set_eager(value: bool) -> None:
        celery_app.conf.task_always_eager = value

    yield set_eager
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def report(world):
    return services.report_create(year=YEAR, by=world.users[Role.SENIOR_IRO])


def _version(report, user, status, **fields) -> ReportVersion:
    version = ReportVersion(
        report=report,
        number=report.versions.count() + 1,
        requested_by=user,
        requested_at=timezone.now(),
        status=status,
        narrative=services.narrative_of(report),
        **fields,
    )
    if status == Status.DONE:
        version.step, version.page_count, version.seconds = 3, 12, 6.5
        version.data_as_of = timezone.now()
        version.pdf.save(version.filename, ContentFile(b"%PDF-1.7 test"), save=False)
    version.save()
    return version


def _state_region(page: str) -> str:
    """The status page's state: the text of its live status region."""
    match = re.search(r'<p class="govuk-body" id="version-step"[^>]*>(.*?)</p>', page, re.S)
    assert match, "no status region"
    return match.group(1).strip()


def _states_shown(page: str) -> list[str]:
    return [status for status, words in STATE_WORDS.items() if words in page]


@pytest.mark.parametrize(
    ("status", "fields", "expected"),
    [
        (Status.QUEUED, {}, "Waiting to start: 0% done."),
        (
            Status.RUNNING,
            {"step": 0, "step_label": ReportVersion.STEPS[0]},
            "Making the PDF: 0% done. Step 1 of 3: Computing the figures.",
        ),
        (
            Status.RUNNING,
            {"step": 2, "step_label": ReportVersion.STEPS[2]},
            "Making the PDF: 67% done. Step 3 of 3: Writing the PDF.",
        ),
        (Status.DONE, {}, "Ready: 12 pages, made in 6.5 seconds."),
        (Status.FAILED, {"error": "RuntimeError: no fonts"}, "The PDF could not be made."),
    ],
)
def test_the_status_page_shows_exactly_one_state(clients, report, world, status, fields, expected):
    _version(report, world.users[Role.SENIOR_IRO], status, **fields)
    client = clients[Role.SENIOR_IRO]
    page = client.get(reverse("annual_report:version", args=[YEAR, 1])).text
    assert _state_region(page) == expected
    assert _states_shown(page) == [status]
    assert page.count("data-state=") == 1 and f'data-state="{status}"' in page
    finished = status in (Status.DONE, Status.FAILED)
    # A finished page neither refreshes nor polls, nor says the PDF is still being made.
    assert ('http-equiv="refresh"' in page) == (not finished)
    assert ("progress.js" in page) == (not finished)
    assert ("being made" in page) == (not finished)
    assert ("Download the PDF" in page) == (status == Status.DONE)
    assert ("<progress" in page) == (status != Status.FAILED)
    assert ("Try again: make a new PDF" in page) == (status == Status.FAILED)
    if status == Status.FAILED:
        assert "RuntimeError: no fonts" in page
    json = client.get(reverse("annual_report:version_status", args=[YEAR, 1])).json()
    assert json["state"] == expected and json["status"] == status
    assert json["finished"] == finished


def test_a_failed_draft_offers_a_retry_only_to_the_senior_iro(clients, report, world):
    _version(report, world.users[Role.SENIOR_IRO], Status.FAILED, error="Boom")
    url = reverse("annual_report:version", args=[YEAR, 1])
    editor_page = clients[Role.SENIOR_IRO].get(url).text
    retry = reverse("annual_report:version_request", args=[YEAR])
    assert f'<form method="post" action="{retry}">' in editor_page and "Try again" in editor_page
    reader_page = clients[Role.AUDITOR].get(url).text
    assert "Try again" not in reader_page and "The Senior IRO can make it again." in reader_page


def test_a_failed_approved_version_offers_its_own_retry(clients, report, world):
    senior, manager = world.users[Role.SENIOR_IRO], world.users[Role.DIRECTORATE_MANAGER]
    draft = _version(report, senior, Status.DONE)
    approved = _version(
        report, manager, Status.FAILED, is_approved_version=True, based_on=draft, error="Boom"
    )
    page = clients[Role.DIRECTORATE_MANAGER].get(
        reverse("annual_report:version", args=[YEAR, approved.number])
    )
    assert "Make the approved PDF again" in page.text and "Try again" not in page.text
    assert _states_shown(page.text) == [Status.FAILED]


def test_after_approval_the_page_says_approved_and_one_state_of_its_pdf(
    clients, world, year_records, django_capture_on_commit_callbacks
):
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.version_request(report=report, by=senior)
    draft.refresh_from_db()
    assert draft.status == Status.DONE, draft.error
    client = clients[Role.DIRECTORATE_MANAGER]
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit
        response = client.post(reverse("annual_report:approve", args=[YEAR, draft.number]))
    page = client.get(response.url).text
    assert "The annual report for 2011/12 is approved." in page
    assert _states_shown(page) == [Status.DONE]
    assert "being made" not in page  # the message no longer guesses the PDF's state


@pytest.mark.django_db(transaction=True)
def test_with_eager_tasks_the_request_answers_before_the_pdf_is_made(
    clients, world, year_records, settings, monkeypatch, tasks_eager
):
    """`make run`: no worker, so the PDF is made in a thread, not in the request."""
    settings.ANNUAL_REPORT_PDF_IN_THREAD = True
    tasks_eager(True)
    writing, release = threading.Event(), threading.Event()

    def render_when_released(html):  # the slow step, held until the test has looked
        writing.set()
        assert release.wait(30)
        return pdf.RenderedPDF(content=b"%PDF-1.7 test", page_count=9)

    monkeypatch.setattr(services.pdf, "render_pdf", render_when_released)
    threads = []
    start = background.start
    monkeypatch.setattr(background, "start", lambda pk: threads.append(start(pk)))
    services.report_create(year=YEAR, by=world.users[Role.SENIOR_IRO])
    client = clients[Role.SENIOR_IRO]

    response = client.post(reverse("annual_report:version_request", args=[YEAR]))
    # The request has answered, and the PDF is still being made.
    assert response.status_code == 302
    assert response.url == reverse("annual_report:version", args=[YEAR, 1])
    try:
        assert writing.wait(30), "the background build did not reach its last step"
        page = client.get(response.url).text
        assert _state_region(page) == "Making the PDF: 67% done. Step 3 of 3: Writing the PDF."
        assert _states_shown(page) == [Status.RUNNING]
        assert "Not computed yet" not in page  # the figures were computed at step 1
    finally:
        release.set()
        threads[0].join(30)
    page = client.get(response.url).text
    assert _state_region(page).startswith("Ready: 9 pages")
    assert _states_shown(page) == [Status.DONE] and "Download the PDF" in page


def test_with_a_worker_the_task_is_queued_on_commit(
    world, settings, monkeypatch, tasks_eager, django_capture_on_commit_callbacks
):
    settings.ANNUAL_REPORT_PDF_IN_THREAD = True
    tasks_eager(False)
    sent = []

    def send_task(name, args=None, kwargs=None, **options):  # the outbox hands it to the broker
        sent.append((name, args))

    monkeypatch.setattr(celery_app, "send_task", send_task)
    monkeypatch.setattr(background, "start", lambda pk: pytest.fail("no thread with a worker"))
    senior = world.users[Role.SENIOR_IRO]
    report = services.report_create(year=YEAR, by=senior)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_request(report=report, by=senior)
    assert sent == [("annual_report.build_report_version", [version.pk])]
    assert QueuedTask.objects.get().sent_at is not None  # kept until sent (jobs.outbox)
    version.refresh_from_db()
    assert version.status == Status.QUEUED
