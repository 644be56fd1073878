"""The monthly lists emails (§6.3.4): each active district manager, IRO and Senior IRO is told
once a month how long their lists are, with a link, and never a child's name; the lists page
says when their own last one was sent; IROs may open the lists of the children whose latest
conference they chaired."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from people.models import Role
from reporting import tasks
from reporting.models import MonthlyListsEmail
from reporting.monthly_emails import first_working_day_of_month

from ..conferences.test_smtp import smtp_server  # noqa: F401 - a fixture
from ..factories import (
    LONDON,
    ConferenceChildFactory,
    ConferenceFactory,
    LookedAfterEpisodeFactory,
    PlanFactory,
    UserFactory,
)
from ..fixtures import client_for

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 7, 0, tzinfo=LONDON)  # a Tuesday: the first working day
MONTH_END = dt.date(2026, 11, 30)
CHILD_NAMES = ["Robin", "Ashdown", "Sky", "Ellis", "Brackwater"]
LISTS_URL = reverse("reporting:monthly_lists")


@pytest.fixture
def cases(world):
    """At 30 November 2026. North: Robin on a plan for over a year and looked after, whose
    latest conference the IRO chaired; Sky on a repeat plan, whose latest conference another
    IRO chaired (after one the IRO chaired). South: Ellis on a plan for over a year."""
    PlanFactory(child=world.child, start_date=dt.date(2025, 3, 1))
    LookedAfterEpisodeFactory(child=world.child, started_on=dt.date(2026, 3, 1))
    PlanFactory(
        child=world.sibling,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 1),
        end_reason="other",
    )
    PlanFactory(child=world.sibling, start_date=dt.date(2026, 2, 1), initial_category="EMO")
    PlanFactory(child=world.south_child, start_date=dt.date(2025, 1, 5))
    iro = world.users[Role.IRO]
    world.users["other_iro"] = UserFactory(
        username="other_iro", role=Role.IRO, email="other.iro@council.example"
    )
    household = world.child.household
    june = ConferenceFactory(
        household=household, chair=iro, scheduled_for=dt.datetime(2026, 6, 10, 10, tzinfo=LONDON)
    )
    september = ConferenceFactory(
        household=household,
        kind="review",
        chair=world.users["other_iro"],
        scheduled_for=dt.datetime(2026, 9, 10, 10, tzinfo=LONDON),
    )
    ConferenceChildFactory(conference=june, child=world.child)
    ConferenceChildFactory(conference=june, child=world.sibling)
    ConferenceChildFactory(conference=september, child=world.sibling)
    for key, user in world.users.items():
        if key != Role.AUDITOR and not user.email:
            user.email = f"{user.username}@council.example"
            user.save(update_fields=["email"])
    return world


def _counts(message) -> dict[str, int]:
    lines = [line[2:] for line in message.body.splitlines() if line.startswith("- ")]
    return {label: int(count) for label, count in (line.rsplit(": ", 1) for line in lines)}


def _by_recipient() -> dict[str, object]:
    return {message.to[0]: message for message in mail.outbox}


def _send():
    with time_machine.travel(NOW, tick=False):
        return tasks.send_monthly_lists_emails()


OVER, REPEAT, LOOKED_AFTER = (
    "Plans over 12 months",
    "Repeat plans in the last 12 months",
    "Children on a plan who are also looked after",
)


def test_each_district_manager_and_iro_gets_their_own_counts_and_a_link(cases, settings):
    settings.IRO_SITE_URL = "https://iro.council.example"
    result = _send()

    sent = _by_recipient()
    assert set(sent) == {
        "district_manager@council.example",
        "other_district_manager@council.example",
        "iro@council.example",
        "other.iro@council.example",
        "senior_iro@council.example",
    }  # not business support, the directorate manager or the auditor
    assert _counts(sent["district_manager@council.example"]) == {
        OVER: 1,
        REPEAT: 1,
        LOOKED_AFTER: 1,
    }
    assert _counts(sent["other_district_manager@council.example"]) == {
        OVER: 1,
        REPEAT: 0,
        LOOKED_AFTER: 0,
    }
    # The IRO's: Robin, whose latest conference they chaired; not Sky, whose latest was chaired
    # by the other IRO.
    assert _counts(sent["iro@council.example"]) == {OVER: 1, REPEAT: 0, LOOKED_AFTER: 1}
    assert _counts(sent["other.iro@council.example"]) == {OVER: 0, REPEAT: 1, LOOKED_AFTER: 0}
    assert _counts(sent["senior_iro@council.example"]) == {OVER: 2, REPEAT: 1, LOOKED_AFTER: 1}
    manager = sent["district_manager@council.example"]
    assert manager.subject == "Your monthly lists of plans at 30 November 2026"
    assert "Northbridge district" in manager.body
    assert "https://iro.council.example/dashboard/monthly-lists/?on=2026-11-30" in manager.body
    assert result["sent"] == 5 and result["month_end"] == "2026-11-30"


def test_no_email_names_a_child_or_gives_an_identifying_detail(cases):
    _send()
    assert len(mail.outbox) == 5
    identifying = [
        *CHILD_NAMES,
        cases.child.local_id,
        cases.sibling.local_id,
        cases.south_child.local_id,
        cases.child.household.reference,
        "2015",  # the children's year of birth
    ]
    for message in mail.outbox:
        raw = message.message().as_bytes()
        received = message_from_bytes(raw, policy=policy.default)
        text = f"{received['Subject']}\n{received.get_body().get_content()}"
        for detail in identifying:
            assert detail not in text, (message.to, detail)
        assert not message.attachments


def test_a_second_run_for_the_same_month_sends_nothing_more(cases):
    _send()
    assert len(mail.outbox) == 5
    mail.outbox.clear()
    again = _send()
    assert mail.outbox == []
    assert again["sent"] == 0 and again["already_sent"] == 5
    assert MonthlyListsEmail.objects.filter(month_end=MONTH_END).count() == 5
    # A week later, still November's lists: nothing more either.
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False):
        tasks.send_monthly_lists_emails()
    assert mail.outbox == []


def test_next_month_each_is_emailed_again(cases):
    _send()
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2027, 1, 4, 7, 0, tzinfo=LONDON), tick=False):
        result = tasks.send_monthly_lists_emails()  # 1 Jan 2027 is a bank holiday, 4th a Monday
    assert result["month_end"] == "2026-12-31" and len(mail.outbox) == 5


def test_nothing_is_sent_to_inactive_staff(cases):
    manager = cases.users[Role.DISTRICT_MANAGER]
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    _send()
    assert "district_manager@council.example" not in _by_recipient()
    assert not MonthlyListsEmail.objects.filter(user=manager).exists()


def test_a_person_with_no_email_address_is_skipped_and_counted(cases):
    iro = cases.users[Role.IRO]
    iro.email = ""
    iro.save(update_fields=["email"])
    result = _send()
    assert result["no_email_address"] == 1 and result["sent"] == 4
    assert len(mail.outbox) == 4
    assert not MonthlyListsEmail.objects.filter(user=iro).exists()
    # Given an address later in the month, they get the month's email on the next run.
    iro.email = "iro@council.example"
    iro.save(update_fields=["email"])
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        later = tasks.send_monthly_lists_emails()
    assert later["sent"] == 1 and mail.outbox[-1].to == ["iro@council.example"]


def test_a_failed_send_records_nothing_and_is_tried_on_the_next_run(cases, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        result = _send()
    assert result["failed"] == 5 and result["sent"] == 0
    assert not MonthlyListsEmail.objects.exists()
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert tasks.send_monthly_lists_emails()["sent"] == 5


def test_before_the_first_working_day_the_task_sends_nothing(cases):
    # 1 August 2027 is a Sunday; the first working day is Monday 2 August.
    with time_machine.travel(dt.datetime(2027, 8, 1, 7, 0, tzinfo=LONDON), tick=False):
        assert tasks.send_monthly_lists_emails() is None
    assert mail.outbox == []
    with time_machine.travel(dt.datetime(2027, 8, 2, 7, 0, tzinfo=LONDON), tick=False):
        assert tasks.send_monthly_lists_emails()["sent"] == 5


def test_first_working_day_of_month_skips_weekends_and_bank_holidays():
    assert first_working_day_of_month(dt.date(2026, 12, 15)) == dt.date(2026, 12, 1)
    assert first_working_day_of_month(dt.date(2027, 1, 20)) == dt.date(2027, 1, 4)  # holiday
    assert first_working_day_of_month(dt.date(2027, 8, 31)) == dt.date(2027, 8, 2)  # Sunday


def test_the_command_sends_now_and_says_what_it_did(cases, capsys):
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=LONDON), tick=False):
        call_command("send_monthly_lists_emails")
        call_command("send_monthly_lists_emails")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Monthly lists at 30 November 2026: 5 sent, 0 already sent")
    assert out[1].startswith("Monthly lists at 30 November 2026: 0 sent, 5 already sent")
    assert len(mail.outbox) == 5


def test_the_schedule_is_in_the_beat_database():
    task = PeriodicTask.objects.get(name="monthly lists emails")
    assert task.task == "reporting.send_monthly_lists_emails" and task.enabled
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_month) == ("7", "0", "1-7")
    assert str(task.crontab.timezone) == "Europe/London"


def test_an_email_arrives_through_smtp_with_the_counts(cases, smtp_server):  # noqa: F811
    controller, received = smtp_server
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=10,
    ):
        _send()
    to_manager = [
        e for e in received.envelopes if e.rcpt_tos == ["district_manager@council.example"]
    ]
    (envelope,) = to_manager
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == "Your monthly lists of plans at 30 November 2026"
    body = message.get_body().get_content()
    assert "- Plans over 12 months: 1" in body and "Robin" not in body
    assert len(received.envelopes) == 5


# --- The lists page: the last email, and IROs' lists ------------------------------------------


def test_the_page_shows_its_owner_when_their_last_email_was_sent(cases):
    manager = client_for(cases.users[Role.DISTRICT_MANAGER])
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        before = manager.get(LISTS_URL).text
    assert "No monthly email has been sent to you yet." in before
    _send()
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        after = manager.get(LISTS_URL).text
    assert "Your last monthly email: sent 1 December 2026 at 07:00" in after


def test_the_page_shows_only_the_persons_own_last_email(cases):
    MonthlyListsEmail.objects.create(
        user=cases.users["other_district_manager"],
        month_end=MONTH_END,
        sent_at=NOW,
        counts={},
    )
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        mine = client_for(cases.users[Role.DISTRICT_MANAGER]).get(LISTS_URL).text
        theirs = client_for(cases.users["other_district_manager"]).get(LISTS_URL).text
    assert "No monthly email has been sent to you yet." in mine
    assert "Your last monthly email: sent 1 December 2026 at 07:00" in theirs


def test_those_not_emailed_are_not_told_about_monthly_emails(cases):
    with time_machine.travel(NOW, tick=False):
        page = client_for(cases.users[Role.AUDITOR]).get(LISTS_URL).text
    assert "monthly email" not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.IRO, 200),
        (Role.SENIOR_IRO, 200),
        (Role.DISTRICT_MANAGER, 200),
        (Role.DIRECTORATE_MANAGER, 200),
        (Role.AUDITOR, 200),
        (Role.BUSINESS_SUPPORT, 403),
    ],
)
def test_who_may_open_the_monthly_lists(cases, role, status):
    client = client_for(cases.users[role])
    with time_machine.travel(NOW, tick=False):
        assert client.get(LISTS_URL).status_code == status
        csv = reverse("reporting:monthly_list_csv", args=["plans-over-12-months"])
        assert client.get(csv).status_code == status


def test_an_iros_lists_hold_the_children_whose_latest_conference_they_chaired(cases):
    with time_machine.travel(NOW, tick=False):
        page = client_for(cases.users[Role.IRO]).get(LISTS_URL).text
        other = client_for(cases.users["other_iro"]).get(LISTS_URL).text
    assert "Plans over 12 months (1)" in page and "Robin Ashdown" in page
    assert "Repeat plans (0)" in page and "Sky Ashdown" not in page
    assert "Ellis" not in page  # no conference chaired by them
    assert "Repeat plans (1)" in other and "Sky Ashdown" in other and "Robin" not in other
    back = page.split('class="govuk-back-link">')[0].rsplit("<a ", 1)[1]
    assert reverse("conferences:work_list") in back  # back to their work: not their dashboard


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.IRO, True), (Role.BUSINESS_SUPPORT, False), (Role.SENIOR_IRO, False)],
)
def test_navigation_offers_an_iro_their_monthly_lists(cases, role, shown):
    """The Senior IRO reaches them from the dashboard; an IRO, who has none, from here."""
    with time_machine.travel(NOW, tick=False):
        text = client_for(cases.users[role]).get(reverse("children:search")).text
    nav = text[text.index('id="navigation"') : text.index("</nav>")]
    assert ("Monthly lists" in nav) == shown
