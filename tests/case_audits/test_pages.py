"""The audit pages: starting one (theme and date, the list's cases, check your answers), the
task list and progress, a case's checklist, completing after check-your-answers, read-only
once completed, who may see what, and the access audit of each child shown."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from audit.models import AccessEvent
from case_audits import services
from case_audits.models import AuditCase, CaseAudit, Theme
from people.models import Role

from ..factories import PlanFactory
from ..fixtures import client_for
from .helpers import ALL_YES, NOW, TODAY, chosen_audit, ended_plan, south_only_audit

pytestmark = pytest.mark.django_db

S, I, B = Role.SENIOR_IRO, Role.IRO, Role.BUSINESS_SUPPORT  # noqa: E741
D, R, A = Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR
O = "other_district_manager"  # noqa: E741


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_the_senior_iro_starts_an_audit_of_repeat_plans(world, clients):
    ended_plan(world.child, dt.date(2025, 1, 10), dt.date(2026, 3, 15))
    PlanFactory(child=world.child, start_date=dt.date(2027, 2, 15))
    ended_plan(world.sibling, dt.date(2025, 1, 10), dt.date(2026, 4, 1))
    PlanFactory(child=world.sibling, start_date=dt.date(2027, 2, 1))
    client = clients[S]

    start = client.get(reverse("case_audits:start"))
    assert start.status_code == 200
    assert start.context["form"]["list_taken_on"].value() == TODAY  # defaults to today
    response = client.post(
        reverse("case_audits:start"),
        {"theme": Theme.REPEAT_PLANS, **_date("list_taken_on", TODAY)},
    )
    assert response.url == reverse("case_audits:start_cases")

    cases_page = client.get(response.url)
    assert "the list gives <strong>2 cases</strong>" in cases_page.content.decode()
    response = client.post(
        reverse("case_audits:start_cases"),
        {"cases": [str(world.child.pk)], "name": "Repeat plans, March 2027"},
    )
    assert response.url == reverse("case_audits:start_check")
    check = client.get(response.url).content.decode()
    assert "Check your answers before starting the audit" in check
    assert "Robin Ashdown" in check and "Sky Ashdown" not in check
    assert not CaseAudit.objects.exists()  # nothing is started before the check

    response = client.post(reverse("case_audits:start_check"))
    audit = CaseAudit.objects.get()
    assert response.url == reverse("case_audits:detail", args=[audit.pk])
    assert audit.name == "Repeat plans, March 2027" and audit.list_taken_on == TODAY
    assert [c.child for c in audit.cases.all()] == [world.child]


def test_starting_asks_for_a_theme_and_ids_for_chosen_children(clients):
    response = clients[S].post(reverse("case_audits:start"), {})
    assert "Choose what the audit is about" in response.content.decode()
    response = clients[S].post(
        reverse("case_audits:start"), {"theme": Theme.CHOSEN, **_date("list_taken_on", TODAY)}
    )
    assert "Enter the IDs of the children to audit" in response.content.decode()


def test_the_task_list_shows_each_case_status_and_progress(world, clients):
    audit = chosen_audit(world)
    first, second, _ = audit.cases.order_by("position")
    senior = world.users[S]
    services.audit_case_save(case=first, answers=ALL_YES, findings="", by=senior)
    services.audit_case_save(case=second, answers={}, findings="Started.", by=senior)

    page = clients[S].get(reverse("case_audits:detail", args=[audit.pk])).content.decode()

    assert "1 of 3 cases completed." in page
    assert "govuk-task-list" in page
    assert page.count("In progress</strong>") == 1 and page.count("Not started</strong>") == 1


def test_the_checklist_is_answered_on_the_case_page(world, clients):
    audit = chosen_audit(world)
    case = audit.cases.order_by("position").first()
    url = reverse("case_audits:case", args=[audit.pk, case.pk])
    page = clients[S].get(url).content.decode()
    assert "Was the &#x27;rule of optimism&#x27; avoided?" in page

    data = {"targets_clear": "no", "targets_clear_note": "No timescales.", "findings": "Drift."}
    data |= {"assessments_done": "yes", "agencies_informed": "partly", "optimism_avoided": "yes"}
    response = clients[S].post(url, data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == AuditCase.Status.COMPLETED
    assert case.answers["targets_clear"] == {"answer": "no", "note": "No timescales."}
    assert case.findings == "Drift."


def test_viewing_a_case_is_recorded_in_the_access_audit(world, clients):
    audit = chosen_audit(world)
    case = audit.cases.get(child=world.child)
    clients[A].get(reverse("case_audits:case", args=[audit.pk, case.pk]))
    event = AccessEvent.objects.filter(child=world.child, user=world.users[A]).get()
    assert event.kind == AccessEvent.Kind.VIEWED
    assert event.what == "case_audits:case"


def test_completing_refuses_an_unanswered_case_with_a_clear_message(world, clients):
    audit = chosen_audit(world)
    services.audit_findings_save(
        audit=audit, overall_findings="Drift.", actions="", by=world.users[S]
    )
    url = reverse("case_audits:complete", args=[audit.pk])
    check = clients[S].get(url).content.decode()
    assert "Check your answers before completing the audit" in check
    response = clients[S].post(url)
    assert "3 cases have not been completed" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.IN_PROGRESS


def test_a_completed_audit_is_read_only(world, clients):
    senior = world.users[S]
    audit = chosen_audit(world)
    for case in audit.cases.all():
        services.audit_case_save(case=case, answers=ALL_YES, findings="Fine.", by=senior)
    services.audit_findings_save(audit=audit, overall_findings="Drift.", actions="", by=senior)
    response = clients[S].post(reverse("case_audits:complete", args=[audit.pk]))
    assert response.status_code == 302
    case = audit.cases.first()

    changed = clients[S].post(
        reverse("case_audits:case", args=[audit.pk, case.pk]), {"findings": "Changed."}
    )
    findings = clients[S].post(
        reverse("case_audits:findings", args=[audit.pk]), {"overall_findings": "Changed."}
    )
    again = clients[S].post(reverse("case_audits:complete", args=[audit.pk]))

    assert (changed.status_code, findings.status_code, again.status_code) == (403, 403, 403)
    case.refresh_from_db()
    audit.refresh_from_db()
    assert case.findings == "Fine." and audit.overall_findings == "Drift."
    page = clients[S].get(reverse("case_audits:case", args=[audit.pk, case.pk])).content
    assert b"Save</button>" not in page and b"Seen in the file." in page


# --- Who may see what --------------------------------------------------------------------


def _pages(audit, case):
    return {
        "list": reverse("case_audits:list"),
        "detail": reverse("case_audits:detail", args=[audit.pk]),
        "case": reverse("case_audits:case", args=[audit.pk, case.pk]),
        "findings": reverse("case_audits:findings", args=[audit.pk]),
        "complete": reverse("case_audits:complete", args=[audit.pk]),
        "start": reverse("case_audits:start"),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            S,
            {
                "list": 200,
                "detail": 200,
                "case": 200,
                "findings": 200,
                "complete": 200,
                "start": 200,
            },
        ),
        (
            A,
            {
                "list": 200,
                "detail": 200,
                "case": 200,
                "findings": 403,
                "complete": 403,
                "start": 403,
            },
        ),
        (
            R,
            {
                "list": 200,
                "detail": 200,
                "case": 200,
                "findings": 403,
                "complete": 403,
                "start": 403,
            },
        ),
        (
            D,
            {
                "list": 200,
                "detail": 200,
                "case": 200,
                "findings": 403,
                "complete": 403,
                "start": 403,
            },
        ),
        (
            O,
            {
                "list": 200,
                "detail": 200,
                "case": 404,
                "findings": 403,
                "complete": 403,
                "start": 403,
            },
        ),
        (
            I,
            {
                "list": 403,
                "detail": 403,
                "case": 403,
                "findings": 403,
                "complete": 403,
                "start": 403,
            },
        ),
        (
            B,
            {
                "list": 403,
                "detail": 403,
                "case": 403,
                "findings": 403,
                "complete": 403,
                "start": 403,
            },
        ),
    ],
)
def test_each_role_gets_what_it_may(world, persona, expected):
    audit = chosen_audit(world)  # cases in both districts
    case = audit.cases.get(child=world.child)  # a north case
    client = client_for(world.users[persona])
    got = {name: client.get(url).status_code for name, url in _pages(audit, case).items()}
    assert got == expected


def test_a_district_manager_sees_only_their_districts_cases(world, clients):
    audit = chosen_audit(world)
    south_only = south_only_audit(world)

    page = clients[D].get(reverse("case_audits:detail", args=[audit.pk])).content.decode()
    listing = clients[D].get(reverse("case_audits:list")).content.decode()

    assert "Robin Ashdown" in page and "Ellis Brackwater" not in page
    assert "1 of" not in page and "0 of 3 cases completed." in page
    assert "You see the 2 cases of your district." in page
    assert audit.name in listing and "South only" not in listing
    hidden = clients[D].get(reverse("case_audits:detail", args=[south_only.pk]))
    assert hidden.status_code == 404


def test_the_navigation_shows_case_audits_to_readers_only(world, clients):
    link = b'class="govuk-service-navigation__link" href="/case-audits/"'
    assert link in clients[A].get(reverse("children:search")).content
    assert link not in clients[I].get(reverse("children:search")).content
