"""The beat task: an unanswered escalation past its deadline moves up one level, and the next
person and the chair are told; never twice for the same level; resolved, withdrawn and
answered ones stay put; the level setting gives the new deadline."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django_celery_beat.models import PeriodicTask

from people.models import Role
from quality_assurance import tasks
from quality_assurance.models import Escalation, EscalationNotice
from quality_assurance.services import escalations as service
from tests.factories import LONDON, UserFactory

from .test_escalation_world import TODAY, raised

pytestmark = pytest.mark.django_db
L = Escalation.Level


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def chair(world):
    user = world.users[Role.IRO]
    user.email = "chair@council.example"
    user.save()
    return user


def run_on(day: dt.date) -> int:
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=LONDON), tick=False):
        return tasks.escalations_move_up_overdue.delay().get()


def test_the_schedule_is_registered():
    task = PeriodicTask.objects.get(name="move up unanswered escalations")
    assert task.task == "quality_assurance.escalations_move_up_overdue"
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("7", "0")


def test_not_moved_on_its_deadline_day(world, chair):
    escalation = raised(world)
    assert run_on(escalation.response_due_by) == 0
    escalation.refresh_from_db()
    assert escalation.level == L.SOCIAL_WORKER
    assert mail.outbox == []


def test_moves_up_once_and_tells_the_next_person_and_the_chair(world, chair):
    world.child.team_manager_name = "Tam Team"
    world.child.team_manager_email = "tam.team@council.example"
    world.child.save()
    escalation = raised(world)
    day_after = dt.date(2026, 12, 9)  # deadline Tuesday 8 December
    assert run_on(day_after) == 1
    escalation.refresh_from_db()
    assert escalation.level == L.TEAM_MANAGER
    assert escalation.level_reached_on == day_after
    assert escalation.response_due_by == dt.date(2026, 12, 16)
    assert escalation.addressed_to_name == "Tam Team"
    [message] = mail.outbox
    assert message.to == ["tam.team@council.example"]
    assert message.cc == ["chair@council.example"]
    assert "Robin" not in message.subject and "Ashdown" not in message.subject
    assert "team manager" in message.subject
    assert f"/quality/escalations/{escalation.pk}/" in message.body
    assert "no response by its deadline" in message.body
    notice = EscalationNotice.objects.get(escalation=escalation)
    assert notice.level == L.TEAM_MANAGER
    assert set(notice.sent_to) == {"tam.team@council.example", "chair@council.example"}
    latest = escalation.history.first()
    assert latest.history_user is None
    assert "moved up to team manager" in latest.history_change_reason

    # Running again the same day, or twice, tells nobody again.
    assert run_on(day_after) == 0
    assert len(mail.outbox) == 1


def test_district_manager_level_goes_to_the_districts_managers(world, chair):
    manager = world.users[Role.DISTRICT_MANAGER]
    manager.email = "dm@council.example"
    manager.save()
    UserFactory(role=Role.DISTRICT_MANAGER, district=world.south, email="south@council.example")
    escalation = raised(world, level=L.TEAM_MANAGER)
    run_on(dt.date(2026, 12, 9))
    escalation.refresh_from_db()
    assert escalation.level == L.DISTRICT_MANAGER
    assert escalation.addressed_to == manager
    assert mail.outbox[0].to == ["dm@council.example"]


def test_a_level_with_nobody_recorded_tells_the_chair(world, chair):
    escalation = raised(
        world, level=L.DISTRICT_MANAGER, addressed_to=world.users["district_manager"]
    )
    run_on(dt.date(2026, 12, 9))
    escalation.refresh_from_db()
    assert escalation.level == L.HEAD_OF_SERVICE
    assert escalation.addressed_to is None and escalation.addressed_to_name == ""
    [message] = mail.outbox
    assert message.to == ["chair@council.example"]
    assert "Nobody is recorded to address at this level" in message.body


def test_each_level_once_up_to_the_director_then_one_notice(world, chair):
    escalation = raised(world, level=L.HEAD_OF_SERVICE, addressed_to_name="Hal Head")
    run_on(dt.date(2026, 12, 9))
    escalation.refresh_from_db()
    assert escalation.level == L.DIRECTOR
    assert escalation.response_due_by == dt.date(2026, 12, 16)
    # At the director there is no higher level: it only tells, once, per level's notice.
    assert run_on(dt.date(2026, 12, 17)) == 0  # the director was told when it moved
    escalation.refresh_from_db()
    assert escalation.level == L.DIRECTOR
    assert EscalationNotice.objects.filter(escalation=escalation).count() == 1
    assert len(mail.outbox) == 1


def test_at_the_director_without_a_notice_it_tells_once(world, chair):
    escalation = raised(
        world,
        level=L.DIRECTOR,
        addressed_to_name="Dee Director",
        addressed_to_email="director@council.example",
    )
    assert run_on(dt.date(2026, 12, 9)) == 1
    assert run_on(dt.date(2026, 12, 10)) == 0
    escalation.refresh_from_db()
    assert escalation.level == L.DIRECTOR
    [message] = mail.outbox
    assert message.to == ["director@council.example"]
    assert "no response at director level" in message.subject


def test_several_days_late_moves_one_level_per_run(world, chair):
    escalation = raised(world)
    run_on(dt.date(2027, 1, 20))
    escalation.refresh_from_db()
    assert escalation.level == L.TEAM_MANAGER


@pytest.mark.parametrize("close", ["resolve", "withdraw", "respond"])
def test_skips_resolved_withdrawn_and_answered(world, chair, close):
    escalation = raised(world)
    if close == "resolve":
        service.escalation_resolve(
            escalation=escalation, outcome="Done.", on=TODAY, by=chair, today=TODAY
        )
    elif close == "withdraw":
        service.escalation_withdraw(
            escalation=escalation, reason="Error.", on=TODAY, by=chair, today=TODAY
        )
    else:
        service.escalation_respond(
            escalation=escalation, response="On it.", on=TODAY, by=chair, today=TODAY
        )
    assert run_on(dt.date(2026, 12, 20)) == 0
    escalation.refresh_from_db()
    assert escalation.level == L.SOCIAL_WORKER
    assert mail.outbox == []
    assert not EscalationNotice.objects.exists()


def test_respects_the_level_setting(world, chair, settings):
    settings.IRO_TIMESCALES = {**settings.IRO_TIMESCALES, "ESCALATION_LEVEL_WORKING_DAYS": 2}
    escalation = raised(world)
    assert escalation.response_due_by == dt.date(2026, 12, 3)
    assert run_on(dt.date(2026, 12, 4)) == 1
    escalation.refresh_from_db()
    assert escalation.response_due_by == dt.date(2026, 12, 8)


def test_a_notice_already_recorded_is_never_sent_again(world, chair):
    escalation = raised(world)
    EscalationNotice.objects.create(
        escalation=escalation, level=L.TEAM_MANAGER, sent_at=dt.datetime(2026, 12, 9, tzinfo=LONDON)
    )
    assert run_on(dt.date(2026, 12, 9)) == 0
    assert mail.outbox == []


def test_a_failed_email_rolls_back_to_try_again(world, chair, monkeypatch):
    escalation = raised(world)

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert run_on(dt.date(2026, 12, 9)) == 0
    escalation.refresh_from_db()
    assert escalation.level == L.SOCIAL_WORKER
    assert not EscalationNotice.objects.exists()
    monkeypatch.undo()
    assert run_on(dt.date(2026, 12, 9)) == 1
