"""Reports asked of invitees, received and shared with the parents, and the chasers for those
not in on time, sent by a beat task: conferences/services/reports.py and tasks.py."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask

from conferences import tasks
from conferences.models import Attendance, Conference, ReportChaser, ReportRequest
from conferences.services import reports

from ..factories import InviteeFactory
from .invitation_world import LONDON, NOW, book, booked_world

pytestmark = pytest.mark.django_db

# The reports were due by Wednesday 10 March 2027; the chase runs at 07:30.
CHASE = dt.datetime(2027, 3, 10, 7, 30, tzinfo=LONDON)


@pytest.fixture
def booked(world):
    with time_machine.travel(NOW, tick=False):
        yield booked_world(world)


def police(conference, **fields):
    defaults = {
        "name": "PC Dawn Hale",
        "email": "dawn.hale@police.example",
        "manager_name": "Sgt Omar Reid",
        "manager_email": "omar.reid@police.example",
    }
    return InviteeFactory(conference=conference, **{**defaults, **fields})


def social_worker(conference):
    """Added from the child's record without a manager: the record has the team manager."""
    return InviteeFactory(
        conference=conference,
        name="Sam Okafor",
        agency=Attendance.Agency.SOCIAL_CARE,
        role="Social worker",
        email="sam.okafor@council.example",
    )


def ask(booked, *authors) -> list[ReportRequest]:
    reports.reports_request(
        conference=booked.conference, by=booked.business_support, authors=list(authors), now=NOW
    )
    return list(booked.conference.report_requests.order_by("pk"))


def test_asking_for_a_report_emails_the_author_once(booked):
    author = police(booked.conference)
    sent = reports.reports_request(
        conference=booked.conference, by=booked.business_support, authors=[author], now=NOW
    )
    assert sent.emailed == [author]
    (message,) = mail.outbox
    assert message.to == ["dawn.hale@police.example"]
    assert "by Wednesday 10 March 2027" in message.body
    report = booked.conference.report_requests.get()
    assert report.requested_at == NOW
    assert report.history.get().history_user == booked.business_support
    with pytest.raises(ValidationError, match="already been asked of PC Dawn Hale"):
        reports.reports_request(
            conference=booked.conference, by=booked.business_support, authors=[author], now=NOW
        )
    assert len(mail.outbox) == 1


def test_a_report_is_asked_for_by_email_only(booked):
    by_post = InviteeFactory(conference=booked.conference, email="", postal_address="The Surgery")
    with pytest.raises(ValidationError, match="has no email address"):
        reports.reports_request(
            conference=booked.conference, by=booked.business_support, authors=[by_post], now=NOW
        )
    assert not ReportRequest.objects.exists()


def test_the_social_workers_report_shared_is_the_conferences_report_shared(booked):
    worker_report, police_report = ask(
        booked, social_worker(booked.conference), police(booked.conference)
    )
    in_at = dt.datetime(2027, 3, 9, 15, 0, tzinfo=LONDON)
    shared_at = dt.datetime(2027, 3, 12, 11, 0, tzinfo=LONDON)
    with time_machine.travel(dt.datetime(2027, 3, 12, 12, 0, tzinfo=LONDON), tick=False):
        reports.report_shared_with_parents(
            report=police_report, by=booked.business_support, at=in_at
        )
        booked.conference.refresh_from_db()
        assert booked.conference.report_shared_at is None  # the police report is not the one
        reports.report_received(report=worker_report, by=booked.business_support, at=in_at)
        reports.report_shared_with_parents(
            report=worker_report, by=booked.business_support, at=shared_at
        )
        with pytest.raises(ValidationError, match="already recorded as received"):
            reports.report_received(report=worker_report, by=booked.business_support, at=in_at)
    worker_report.refresh_from_db()
    assert (worker_report.received_at, worker_report.shared_with_parents_at) == (in_at, shared_at)
    booked.conference.refresh_from_db()
    assert booked.conference.report_shared_at == shared_at
    assert booked.conference.history.first().history_change_reason == (
        "Social worker's report shared with parents"
    )


def test_a_time_in_the_future_is_refused(booked):
    (report,) = ask(booked, police(booked.conference))
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as refused:
        reports.report_received(
            report=report, by=booked.business_support, at=NOW + dt.timedelta(hours=1)
        )
    assert refused.value.message_dict == {
        "at": ["The time the report was received cannot be in the future"]
    }


# -- chasers ---------------------------------------------------------------------------------


def test_a_missing_report_is_chased_once_to_the_author_and_their_manager(booked):
    (report,) = ask(booked, police(booked.conference))
    mail.outbox.clear()

    assert reports.reports_chase(now=CHASE) == 1
    assert reports.reports_chase(now=CHASE + dt.timedelta(hours=6)) == 0  # run again: nothing

    (message,) = mail.outbox
    assert message.to == ["dawn.hale@police.example"]
    assert message.cc == ["omar.reid@police.example"]
    assert (
        message.subject == "Report overdue: child protection conference on Wednesday 17 March 2027"
    )
    assert "Sgt Omar Reid, your manager, has a copy" in message.body
    chaser = report.chasers.get()
    assert (chaser.due_by, chaser.sent_at) == (dt.date(2027, 3, 10), CHASE)
    assert chaser.sent_to == ["dawn.hale@police.example", "omar.reid@police.example"]


def test_the_social_workers_chaser_goes_to_the_team_manager_on_the_childs_record(booked):
    ask(booked, social_worker(booked.conference))
    mail.outbox.clear()
    reports.reports_chase(now=CHASE)
    (message,) = mail.outbox
    assert message.recipients() == ["sam.okafor@council.example", "priya.shah@council.example"]


def test_no_chaser_before_the_due_date_nor_for_a_report_that_is_in(booked):
    first, second = ask(booked, police(booked.conference), social_worker(booked.conference))
    mail.outbox.clear()
    assert reports.reports_chase(now=CHASE - dt.timedelta(days=1)) == 0
    ReportRequest.objects.filter(pk=first.pk).update(received_at=NOW)
    assert reports.reports_chase(now=CHASE) == 1
    assert [m.to for m in mail.outbox] == [["sam.okafor@council.example"]]


def test_no_chaser_for_a_cancelled_or_past_conference(booked, world):
    ask(booked, police(booked.conference))
    Conference.objects.filter(pk=booked.conference.pk).update(status=Conference.Status.CANCELLED)
    held_yesterday = book(world, starts=CHASE - dt.timedelta(days=1))
    InviteeFactory(conference=held_yesterday)
    ReportRequest.objects.create(
        conference=held_yesterday, author=held_yesterday.invitees.get(), requested_at=NOW
    )
    mail.outbox.clear()
    assert reports.reports_chase(now=CHASE) == 0
    assert mail.outbox == []


def test_a_new_due_date_is_chased_again(booked):
    (report,) = ask(booked, police(booked.conference))
    reports.reports_chase(now=CHASE)
    Conference.objects.filter(pk=booked.conference.pk).update(reports_due_by=dt.date(2027, 3, 12))
    assert reports.reports_chase(now=CHASE + dt.timedelta(days=2)) == 1
    assert sorted(report.chasers.values_list("due_by", flat=True)) == [
        dt.date(2027, 3, 10),
        dt.date(2027, 3, 12),
    ]


def test_a_worker_that_loses_the_race_sends_nothing(booked):
    """Two workers both list the report; the second finds the first's chaser row (the unique
    constraint) and sends nothing."""
    ask(booked, police(booked.conference))
    mail.outbox.clear()
    (listed,) = reports.reports_to_chase(now=CHASE)
    assert reports.reports_chase(now=CHASE) == 1  # the first worker
    assert reports._chase(listed, now=CHASE, connection=None) is False  # the second
    assert ReportChaser.objects.count() == 1 and len(mail.outbox) == 1


def test_the_beat_task_chases_and_is_scheduled_daily(booked):
    ask(booked, police(booked.conference))
    with time_machine.travel(CHASE, tick=False):
        assert tasks.chase_missing_reports.delay().get() == 1
    scheduled = PeriodicTask.objects.get(task="conferences.chase_missing_reports")
    assert scheduled.enabled
    crontab = scheduled.crontab
    assert (crontab.hour, crontab.minute, str(crontab.timezone)) == ("7", "30", "Europe/London")


def test_the_conference_is_not_named_in_the_chaser(booked, world):
    ask(booked, police(booked.conference))
    reports.reports_chase(now=CHASE)
    for message in mail.outbox:
        assert world.child.first_name not in message.body + message.subject
