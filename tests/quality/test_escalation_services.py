"""Escalation services: raising, responding, moving up, resolving and withdrawing; bad input
saves nothing; history kept; the escalation measure moves."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from people.models import Role
from quality_assurance import escalation_rules
from quality_assurance.models import Escalation, EscalationResponse
from quality_assurance.services import escalations as service
from reporting.metrics import Period
from reporting.metrics import quality as measures

from .test_escalation_world import TODAY, qa_form, raised

pytestmark = pytest.mark.django_db
L = Escalation.Level


@pytest.fixture(autouse=True)
def _emails(world):
    for key, user in world.users.items():
        user.email = f"{key}@council.example"
        user.save()


def test_raise_sets_deadlines_from_the_settings(world, settings):
    settings.IRO_TIMESCALES = {
        **settings.IRO_TIMESCALES,
        "ESCALATION_LEVEL_WORKING_DAYS": 3,
        "ESCALATION_TOTAL_WORKING_DAYS": 10,
    }
    escalation = raised(world)
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.district == world.north
    assert escalation.level_reached_on == TODAY
    assert escalation.response_due_by == dt.date(2026, 12, 4)
    assert escalation.protocol_due_by == dt.date(2026, 12, 15)
    assert escalation.addressed_to is None
    assert escalation.addressed_to_name == "Sam Social"
    assert escalation.history.count() == 1
    assert escalation.history.first().history_user == world.users[Role.IRO]


def test_default_deadlines_are_5_and_20_working_days(world):
    escalation = raised(world)
    assert escalation.response_due_by == dt.date(2026, 12, 8)
    # 20 working days from 1 December, skipping Christmas Day (Friday) and the Boxing Day
    # holiday (Monday 28th).
    assert escalation.protocol_due_by == dt.date(2026, 12, 31)


def test_raise_to_a_user_clears_the_contact(world):
    manager = world.users[Role.DISTRICT_MANAGER]
    escalation = raised(world, level=L.DISTRICT_MANAGER, addressed_to=manager)
    assert escalation.addressed_to == manager
    assert escalation.addressed_to_name == escalation.addressed_to_email == ""


def test_raise_refuses_bad_input_and_saves_nothing(world):
    with pytest.raises(ValidationError) as error:
        raised(
            world,
            theme="nonsense",
            concern=" ",
            what_must_change="",
            level=9,
            addressed_to_name="",
            addressed_to_email="not an email",
        )
    assert set(error.value.message_dict) == {
        "theme",
        "concern",
        "what_must_change",
        "level",
        "addressed_to_name",
        "addressed_to_email",
    }
    assert not Escalation.objects.exists()


def test_raise_from_a_qa_form_links_it_and_guesses_the_theme(world):
    form = qa_form(world, visits_within_timescale="yes", core_groups_monthly="no")
    prefill = service.raise_prefill(qa_form=form)
    assert prefill["theme"] == Escalation.Theme.CORE_GROUPS
    assert {c.pk for c in prefill["children"]} == {world.child.pk, world.sibling.pk}
    escalation = raised(world, qa_form=form, theme=prefill["theme"])
    assert escalation.qa_form == form
    assert escalation.conference == form.conference


def test_raise_from_a_qa_form_refuses_a_child_not_at_the_conference(world):
    form = qa_form(world)
    with pytest.raises(ValidationError) as error:
        raised(world, qa_form=form, child=world.south_child)
    assert "child" in error.value.message_dict
    assert not Escalation.objects.exists()


def test_theme_guess_is_other_with_no_no_answers():
    assert escalation_rules.theme_from_answers({"plan_outcome_focused": "yes"}) == "other"
    assert escalation_rules.theme_from_answers({"report_analyses_impact": False}) == "assessment"


def test_respond_records_the_answer_at_the_level(world):
    escalation = raised(world)
    answer = service.escalation_respond(
        escalation=escalation,
        response="Visits booked weekly from Monday.",
        by=world.users[Role.IRO],
        on=TODAY,
        today=TODAY,
    )
    assert answer.level == L.SOCIAL_WORKER
    assert answer.responder_name == "Sam Social"  # typed in by the chair for the addressee
    assert answer.responded_by is None
    assert answer.history.first().history_user == world.users[Role.IRO]


def test_the_addressee_responds_in_their_own_name(world):
    manager = world.users[Role.DISTRICT_MANAGER]
    escalation = raised(world, level=L.DISTRICT_MANAGER, addressed_to=manager)
    answer = service.escalation_respond(
        escalation=escalation, response="Agreed.", by=manager, on=TODAY, today=TODAY
    )
    assert answer.responded_by == manager


@pytest.mark.parametrize(
    ("response", "on", "field"),
    [
        ("", TODAY, "response"),
        ("Fine", TODAY + dt.timedelta(days=1), "responded_on"),
        ("Fine", TODAY - dt.timedelta(days=1), "responded_on"),
        ("Fine", None, "responded_on"),
    ],
)
def test_respond_refuses_bad_input(world, response, on, field):
    escalation = raised(world)
    with pytest.raises(ValidationError) as error:
        service.escalation_respond(
            escalation=escalation, response=response, by=world.users[Role.IRO], on=on, today=TODAY
        )
    assert field in error.value.message_dict
    assert not EscalationResponse.objects.exists()


def test_move_up_may_skip_levels_and_emails_the_new_addressee(world):
    escalation = raised(world)
    later = dt.date(2026, 12, 3)
    moved = service.escalation_move_up(
        escalation=escalation,
        to_level=L.HEAD_OF_SERVICE,
        addressed_to_name="Hal Head",
        addressed_to_email="hal.head@council.example",
        by=world.users[Role.IRO],
        today=later,
    )
    assert moved.level == L.HEAD_OF_SERVICE
    assert moved.level_reached_on == later
    assert moved.response_due_by == dt.date(2026, 12, 10)
    assert moved.addressed_to_name == "Hal Head"
    assert [m.to for m in mail.outbox] == [["hal.head@council.example"]]
    assert "Robin" not in mail.outbox[0].subject
    assert f"/quality/escalations/{moved.pk}/" in mail.outbox[0].body
    assert moved.history.first().history_change_reason.startswith("Moved up to Head of service")


@pytest.mark.parametrize("to_level", [L.SOCIAL_WORKER, 0, 6])
def test_move_up_never_moves_down_or_sideways(world, to_level):
    escalation = raised(world)
    with pytest.raises(ValidationError) as error:
        service.escalation_move_up(
            escalation=escalation,
            to_level=to_level,
            addressed_to_name="Tam Team",
            by=world.users[Role.IRO],
            today=TODAY,
        )
    assert "to_level" in error.value.message_dict
    escalation.refresh_from_db()
    assert escalation.level == L.SOCIAL_WORKER
    assert escalation.history.count() == 1


def test_move_up_needs_an_addressee(world):
    escalation = raised(world)
    with pytest.raises(ValidationError) as error:
        service.escalation_move_up(
            escalation=escalation, to_level=L.TEAM_MANAGER, by=world.users[Role.IRO], today=TODAY
        )
    assert "addressed_to_name" in error.value.message_dict


def test_resolve_and_the_measure_moves(world):
    year = Period(dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    before = measures.escalations(period=year)
    escalation = raised(world)
    after_raise = measures.escalations(period=year)
    assert after_raise["total"] == before["total"] + 1
    assert after_raise["by_status"]["open"] == before["by_status"]["open"] + 1
    assert after_raise["by_theme"]["visits"] == before["by_theme"]["visits"] + 1
    resolved = service.escalation_resolve(
        escalation=escalation,
        outcome="Visits now weekly.",
        on=TODAY,
        by=world.users[Role.IRO],
        today=TODAY,
    )
    assert resolved.status == Escalation.Status.RESOLVED
    assert resolved.resolved_on == TODAY
    after_resolve = measures.escalations(period=year)
    assert after_resolve["by_status"]["resolved"] == before["by_status"]["resolved"] + 1
    assert after_resolve["by_status"]["open"] == before["by_status"]["open"]
    assert resolved.history.count() == 2


def test_resolve_refuses_bad_input_and_a_closed_escalation(world):
    escalation = raised(world)
    with pytest.raises(ValidationError) as error:
        service.escalation_resolve(
            escalation=escalation, outcome="", on=TODAY, by=world.users[Role.IRO], today=TODAY
        )
    assert "outcome" in error.value.message_dict
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    service.escalation_withdraw(
        escalation=escalation,
        reason="Raised in error.",
        on=TODAY,
        by=world.users[Role.IRO],
        today=TODAY,
    )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.WITHDRAWN
    assert escalation.withdrawal_reason == "Raised in error."
    with pytest.raises(ValidationError, match="withdrawn, so it cannot be resolved"):
        service.escalation_resolve(
            escalation=escalation, outcome="Done", on=TODAY, by=world.users[Role.IRO], today=TODAY
        )
    with pytest.raises(ValidationError, match="withdrawn, so no response"):
        service.escalation_respond(
            escalation=escalation, response="Late", on=TODAY, by=world.users[Role.IRO], today=TODAY
        )


def test_withdraw_needs_a_reason(world):
    escalation = raised(world)
    with pytest.raises(ValidationError) as error:
        service.escalation_withdraw(
            escalation=escalation, reason=" ", on=TODAY, by=world.users[Role.IRO], today=TODAY
        )
    assert "withdrawal_reason" in error.value.message_dict


def test_readdress_keeps_the_level_and_deadline(world):
    escalation = raised(world)
    due = escalation.response_due_by
    with pytest.raises(ValidationError) as error:
        service.escalation_readdress(escalation=escalation, by=world.users[Role.IRO])
    assert "addressed_to_name" in error.value.message_dict
    manager = world.users[Role.DISTRICT_MANAGER]
    done = service.escalation_readdress(
        escalation=escalation, addressed_to=manager, by=world.users[Role.IRO]
    )
    assert done.addressed_to == manager and done.addressed_to_name == ""
    assert done.response_due_by == due
    assert done.history.count() == 2
