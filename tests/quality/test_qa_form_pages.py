"""The chair's QA form pages and API, for each role: the forms owed, the form page (facts to
confirm or correct, the remaining questions), drafts, completing, the escalation redirect, and
refusals (403 for roles that do not fill forms, 404 outside a district manager's district)."""

import datetime as dt

import pytest
from django.urls import reverse

from conferences.models import Conference
from people.models import Role
from quality_assurance.models import QAForm
from quality_assurance.services import qa_forms as service
from tests.factories import ConferenceFactory, HouseholdFactory, UserFactory
from tests.fixtures import client_for

from .test_qa_form_service import NOW, REVIEW_ANSWERS, held_review, household_conference

pytestmark = pytest.mark.django_db

OWED = "/quality/qa-forms/"
READERS = [Role.BUSINESS_SUPPORT, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR]


def form_url(conference) -> str:
    return reverse("quality:qa_form", args=[conference.pk])


def api(conference, complete=False) -> str:
    return f"/api/conferences/{conference.pk}/qa-form/" + ("complete/" if complete else "")


def posted(**answers) -> dict:
    return {**REVIEW_ANSWERS, **answers}


def test_routes():
    assert OWED == reverse("quality:qa_forms_owed")
    assert form_url(type("C", (), {"pk": 7})) == "/quality/qa-forms/7/"


# --- the list of forms owed --------------------------------------------------------------


def test_the_chair_sees_their_own_forms_owed_oldest_first(world, clients):
    review = held_review(world)  # also holds the initial conference on 3 August
    initial = Conference.objects.get(kind=Conference.Kind.INITIAL)
    someone_else = UserFactory(username="iro2", role=Role.IRO, first_name="Ola")
    theirs = household_conference(
        world,
        kind=Conference.Kind.REVIEW,
        on=dt.date(2026, 11, 3),
        children=[],
        chair=someone_else,
    )
    response = clients[Role.IRO].get(OWED)
    assert response.status_code == 200
    owed = list(response.context["page"])
    assert owed == [initial, review]
    assert theirs not in owed
    assert not response.context["team"]
    # Completing one takes it off the list; a draft stays, marked.
    service.qa_form_complete(
        service.qa_form_start(initial, by=world.users[Role.IRO]),
        {k: v for k, v in posted().items() if k != "assessment_updated"}
        | {
            "s47_completed_before_conference": "yes",
            "held_within_timescale": "yes",
            "report_shared_in_time": "yes",
            "parents_attended": "yes",
        },
        by=world.users[Role.IRO],
        now=NOW,
    )
    service.qa_form_start(review, by=world.users[Role.IRO])
    response = clients[Role.IRO].get(OWED)
    assert list(response.context["page"]) == [review]
    assert "Draft saved" in response.content.decode()


def test_the_senior_iro_sees_the_teams_with_the_chair(world, clients):
    held_review(world)
    someone_else = UserFactory(username="iro2", role=Role.IRO, first_name="Ola")
    household_conference(
        world,
        kind=Conference.Kind.REVIEW,
        on=dt.date(2026, 11, 3),
        children=[],
        chair=someone_else,
    )
    response = clients[Role.SENIOR_IRO].get(OWED)
    assert response.status_code == 200 and response.context["team"]
    assert len(response.context["page"]) == 3
    page = response.content.decode()
    assert "Chair" in page and "Ola Tester" in page


@pytest.mark.parametrize("role", READERS)
def test_other_roles_owe_no_forms(world, clients, role):
    held_review(world)
    assert clients[role].get(OWED).status_code == 403
    assert clients[role].get("/api/qa-forms/owed/").status_code == 403


def test_signed_out_is_sent_to_sign_in(world, client):
    review = held_review(world)
    assert client.get(OWED).status_code == 302
    assert client.get(form_url(review)).status_code == 302
    assert client.get("/api/qa-forms/owed/").status_code in (401, 403)


def test_the_landing_page_partial(world, rf):
    from django.template.loader import render_to_string

    from quality_assurance.selectors import qa_forms_owed

    review = held_review(world)
    html = render_to_string(
        "quality/_qa_owed.html", {"qa_forms_owed": qa_forms_owed(world.users[Role.IRO])}
    )
    assert form_url(review) in html and "QA forms to complete" in html
    none = render_to_string(
        "quality/_qa_owed.html", {"qa_forms_owed": qa_forms_owed(world.users[Role.AUDITOR])}
    )
    assert "There are no QA forms to complete." in none


# --- the form page -------------------------------------------------------------------------


def test_the_form_shows_facts_children_and_the_remaining_questions(world, clients):
    review = held_review(world)
    response = clients[Role.IRO].get(form_url(review))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What the record shows" in page
    form = response.context["form"]
    assert set(form.prefilled_names) == {
        "report_shared_in_time",
        "core_groups_monthly",
        "visits_within_timescale",
        "parents_attended",
    }
    assert form.initial["parents_attended"] == "yes"
    assert form.initial["core_groups_monthly"] == "yes"
    # Not asked at a review, so not on the page.
    assert "s47_completed_before_conference" not in form.fields
    assert "held_within_timescale" not in form.fields
    assert "Aged 12" in page and "Spoke through an advocate".lower() in page
    assert 'name="action" value="draft"' in page and "Complete the form" in page
    # Looking saves nothing.
    assert not QAForm.objects.exists()


def test_saving_a_draft_then_completing(world, clients):
    review = held_review(world)
    client = clients[Role.IRO]
    response = client.post(
        form_url(review),
        {"report_quality": "adequate", "core_groups_monthly": "no", "action": "draft"},
    )
    assert response.status_code == 302 and response.url == form_url(review)
    draft = QAForm.objects.get()
    assert draft.completed_at is None and draft.report_quality == "adequate"
    assert draft.core_groups_monthly == "no"
    page = client.get(form_url(review)).content.decode()
    assert "You corrected this: the record said yes." in page
    response = client.post(
        form_url(review),
        posted(
            action="complete",
            core_groups_monthly="no",
            report_shared_in_time="yes",
            visits_within_timescale="yes",
            parents_attended="yes",
        ),
    )
    assert response.status_code == 302 and response.url == OWED
    done = QAForm.objects.get()
    assert done.completed_at is not None and done.report_quality == "good"
    # A completed form is shown, not changed.
    page = client.get(form_url(review))
    assert "It cannot be changed." in page.content.decode()
    client.post(form_url(review), posted(action="complete", report_quality="inadequate"))
    done.refresh_from_db()
    assert done.report_quality == "good"


def test_completing_with_gaps_shows_errors_and_keeps_a_draft(world, clients):
    review = held_review(world)
    data = {k: v for k, v in posted().items() if k != "plan_copy_given"}
    response = clients[Role.IRO].post(form_url(review), {**data, "action": "complete"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "#id_plan_copy_given_0" in page
    form = QAForm.objects.get()
    assert form.completed_at is None and form.report_quality == "good"


def test_concerns_needing_escalation_go_on_to_raise_one(world, clients):
    review = held_review(world)
    response = clients[Role.IRO].post(
        form_url(review), posted(action="complete", escalation_needed="yes")
    )
    form = QAForm.objects.get()
    assert form.escalation_needed is True and form.completed_at is not None
    assert response.status_code == 302
    assert response.url == f"/quality/escalations/new/?qa_form={form.pk}"


def test_the_senior_iro_fills_any_form(world, clients):
    review = held_review(world)
    assert clients[Role.SENIOR_IRO].get(form_url(review)).status_code == 200
    response = clients[Role.SENIOR_IRO].post(form_url(review), posted(action="complete"))
    assert response.status_code == 302
    assert QAForm.objects.get().completed_by == world.users[Role.SENIOR_IRO]


@pytest.mark.parametrize("role", READERS)
def test_other_roles_may_not_fill_it(world, clients, role):
    review = held_review(world)
    assert clients[role].get(form_url(review)).status_code == 403
    assert clients[role].post(form_url(review), posted(action="draft")).status_code == 403
    assert not QAForm.objects.exists()


@pytest.mark.parametrize("role", READERS)
def test_other_roles_read_a_completed_form_and_cannot_change_it(world, clients, role):
    review = held_review(world)
    clients[Role.IRO].post(form_url(review), posted(action="complete"))
    page = clients[role].get(form_url(review))
    assert page.status_code == 200
    assert "It cannot be changed." in page.content.decode()
    assert "How good was the social worker&#x27;s report?" in page.content.decode()
    refused = clients[role].post(
        form_url(review), posted(action="complete", report_quality="inadequate")
    )
    assert refused.status_code == 403
    assert QAForm.objects.get().report_quality == "good"


def test_another_iro_may_not_fill_it(world):
    review = held_review(world)
    other = client_for(UserFactory(username="iro2", role=Role.IRO))
    assert other.get(form_url(review)).status_code == 403
    assert other.post(api(review), {}, content_type="application/json").status_code == 403


def test_outside_a_district_managers_district_is_not_found(world, clients):
    review = held_review(world)
    client = clients["other_district_manager"]
    assert client.get(form_url(review)).status_code == 404
    assert client.get(api(review)).status_code == 404
    assert (
        client.post(api(review, complete=True), {}, content_type="application/json").status_code
        == 404
    )


def test_a_conference_not_held_or_missing_is_not_found(world, clients):
    booked = ConferenceFactory(
        household=world.child.household,
        status=Conference.Status.BOOKED,
        chair=world.users[Role.IRO],
    )
    assert clients[Role.IRO].get(form_url(booked)).status_code == 404
    assert clients[Role.IRO].get("/quality/qa-forms/999999/").status_code == 404
    assert clients[Role.IRO].get(api(booked)).status_code == 404


# --- the API -------------------------------------------------------------------------------


def test_api_owed_lists_the_chairs_forms(world, clients):
    review = held_review(world)
    response = clients[Role.IRO].get("/api/qa-forms/owed/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["conference"] for r in rows][-1] == review.pk
    assert rows[-1]["url"] == form_url(review) and rows[-1]["draft_started"] is False
    assert len(clients[Role.SENIOR_IRO].get("/api/qa-forms/owed/").json()) == 2


def test_api_get_draft_and_complete(world, clients):
    review = held_review(world)
    client = clients[Role.IRO]
    state = client.get(api(review)).json()
    assert state["state"] == "not_started"
    assert {p["field"] for p in state["prefilled"]} >= {"parents_attended"}
    assert state["children"][0]["age"] == 12
    assert not QAForm.objects.exists()
    state = client.post(
        api(review), {"report_quality": "good"}, content_type="application/json"
    ).json()
    assert state["state"] == "draft" and state["answers"]["report_quality"] == "good"
    answers = {
        **REVIEW_ANSWERS,
        "report_analyses_impact": True,
        "good_practice_observed": False,
        "escalation_needed": False,
    }
    response = client.post(api(review, complete=True), answers, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "completed"
    again = client.post(api(review, complete=True), answers, content_type="application/json")
    assert again.status_code == 400


def test_api_refuses_bad_answers_with_nothing_saved(world, clients):
    review = held_review(world)
    client = clients[Role.IRO]
    bad = client.post(api(review), {"report_quality": "superb"}, content_type="application/json")
    assert bad.status_code == 400 and "report_quality" in bad.json()
    not_asked = client.post(
        api(review), {"held_within_timescale": "yes"}, content_type="application/json"
    )
    assert not_asked.status_code == 400 and "held_within_timescale" in not_asked.json()
    missing = client.post(
        api(review, complete=True), {"report_quality": "good"}, content_type="application/json"
    )
    assert missing.status_code == 400 and "plan_copy_given" in missing.json()
    assert not QAForm.objects.exists()


@pytest.mark.parametrize("role", READERS)
def test_api_refuses_other_roles(world, clients, role):
    review = held_review(world)
    client = clients[role]
    assert client.get(api(review)).status_code == 403
    assert client.post(api(review), {}, content_type="application/json").status_code == 403
    assert (
        client.post(
            api(review, complete=True), REVIEW_ANSWERS, content_type="application/json"
        ).status_code
        == 403
    )
    assert not QAForm.objects.exists()


def test_a_south_conference_for_the_senior_iro(world, clients):
    south = household_conference(
        world,
        kind=Conference.Kind.REVIEW,
        on=dt.date(2026, 11, 3),
        children=[],
    )
    south.household = HouseholdFactory(district=world.south)
    south.save()
    assert clients[Role.SENIOR_IRO].get(form_url(south)).status_code == 200
    assert clients["other_district_manager"].get(form_url(south)).status_code == 403
    assert clients[Role.DISTRICT_MANAGER].get(form_url(south)).status_code == 404
