"""The monthly lists emails (§6.3.4) end to end: the beat's Celery task (run eagerly) and the
management command on the first working day of a month, sending through Django's SMTP backend
to a real SMTP server on loopback (aiosmtpd), and the messages read back as the recipients'
mail systems would receive them.

Each district manager, IRO and the Senior IRO gets one message, to their own address, with
their own lists' counts (the same the lists page shows them at that month end) and a link to
that page; nobody else is emailed; no message names or identifies a child; a second run in the
same month sends nothing; the lists page then says when the person's email was sent."""

import datetime as dt
import re
from email import message_from_bytes, policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings

from children.models import Child
from iro_service.celery import app as celery_app
from people.models import Role
from reporting import tasks
from reporting.models import MonthlyListsEmail

from ..conferences.test_smtp import Received, free_port
from ..factories import (
    LONDON,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    DistrictFactory,
    HouseholdFactory,
    LookedAfterEpisodeFactory,
    PlanFactory,
    UserFactory,
)
from ..fixtures import client_for

pytestmark = pytest.mark.django_db

# Monday 1 February 2027 at 07:00, when the beat runs: the first working day of the month.
BEAT = dt.datetime(2027, 2, 1, 7, 0, tzinfo=LONDON)
MONTH_END = dt.date(2027, 1, 31)
SITE = "https://iro.council.example"
FROM = "iro-business-support@council.example"
LINK = f"{SITE}/dashboard/monthly-lists/?on=2027-01-31"
OVER, REPEAT, LOOKED_AFTER = (
    "Plans over 12 months",
    "Repeat plans in the last 12 months",
    "Children on a plan who are also looked after",
)
HEADINGS = {OVER: "Plans over 12 months", REPEAT: "Repeat plans", LOOKED_AFTER: "Also looked after"}


class ReceivedWithSessions(Received):
    """Keeps each message, and the client end (address, port) of the SMTP session it came
    in: one port for every message is one session for the run."""

    def __init__(self):
        super().__init__()
        self.peers = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


def _smtp_settings(port: int):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=10,
        DEFAULT_FROM_EMAIL=FROM,
        IRO_SITE_URL=SITE,
    )


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port, and the settings that send to it."""
    received = ReceivedWithSessions()
    controller = Controller(received, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with _smtp_settings(controller.port):
            yield received
    finally:
        controller.stop()


@pytest.fixture
def eager_tasks(request):
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    request.addfinalizer(lambda: setattr(celery_app.conf, "task_always_eager", previous))


def _held(household, chair, when: dt.date, *children):
    conference = ConferenceFactory(
        household=household,
        chair=chair,
        kind="review",
        scheduled_for=dt.datetime.combine(when, dt.time(10), tzinfo=LONDON),
    )
    for child in children:
        ConferenceChildFactory(conference=conference, child=child)


@pytest.fixture
def staff_and_children():
    """At 31 January 2027, in Eastfield:
    - Marigold Quennell: on a plan since October 2025 (over 12 months) and looked after;
    - Thaddeus Verlaine: a plan again since September 2026, after one ended in March 2025
      (a repeat plan);
    - Juniper Oakhampton: a first plan from December 2026 (on no list).
    In Westvale:
    - Percival Ashgrove: on a plan since June 2025 (over 12 months);
    - Wilhelmina Fairweather: a plan since May 2026 with 2 previous plans imported (a repeat
      plan), and looked after until before the month end (no longer).
    The IRO chaired the latest conference of Marigold, Juniper and Percival; another IRO that
    of Thaddeus (after one the IRO chaired)."""
    east = DistrictFactory(name="Eastfield", code="east")
    west = DistrictFactory(name="Westvale", code="west")
    users = {
        "manager": UserFactory(
            username="east_manager",
            first_name="Dana",
            last_name="Morrow",
            role=Role.DISTRICT_MANAGER,
            district=east,
            email="dana.morrow@council.example",
        ),
        "west_manager": UserFactory(  # no email address: skipped, and counted
            username="west_manager", role=Role.DISTRICT_MANAGER, district=west, email=""
        ),
        "iro": UserFactory(
            username="iro_one", first_name="Ivo", role=Role.IRO, email="ivo.iro@council.example"
        ),
        "other_iro": UserFactory(
            username="iro_two", first_name="Oona", role=Role.IRO, email="oona.iro@council.example"
        ),
        "senior": UserFactory(
            username="senior", first_name="Sam", role=Role.SENIOR_IRO, email="sam@council.example"
        ),
        # Never emailed: not one of the roles, or no longer active.
        "directorate": UserFactory(
            username="director", role=Role.DIRECTORATE_MANAGER, email="dir@council.example"
        ),
        "support": UserFactory(
            username="support", role=Role.BUSINESS_SUPPORT, email="desk@council.example"
        ),
        "auditor": UserFactory(
            username="auditor", role=Role.AUDITOR, email="auditor@council.example"
        ),
        "left": UserFactory(
            username="left_iro", role=Role.IRO, email="left@council.example", is_active=False
        ),
    }
    east_home = HouseholdFactory(district=east, reference="HH-EAST-4471", postcode="EF1 2QQ")
    west_home = HouseholdFactory(district=west, reference="HH-WEST-9083", postcode="WV7 3ZZ")

    def child(first, last, local_id, household, born):
        return ChildFactory(
            first_name=first,
            last_name=last,
            local_id=local_id,
            household=household,
            date_of_birth=born,
        )

    marigold = child("Marigold", "Quennell", "Q770001", east_home, dt.date(2013, 7, 19))
    thaddeus = child("Thaddeus", "Verlaine", "Q770002", east_home, dt.date(2011, 11, 23))
    juniper = child("Juniper", "Oakhampton", "Q770003", east_home, dt.date(2019, 9, 8))
    percival = child("Percival", "Ashgrove", "Q770004", west_home, dt.date(2012, 4, 14))
    wilhelmina = child("Wilhelmina", "Fairweather", "Q770005", west_home, dt.date(2010, 2, 27))

    PlanFactory(child=marigold, start_date=dt.date(2025, 10, 6))
    LookedAfterEpisodeFactory(child=marigold, started_on=dt.date(2026, 6, 1))
    PlanFactory(
        child=thaddeus,
        start_date=dt.date(2024, 2, 5),
        end_date=dt.date(2025, 3, 3),
        end_reason="no_longer_at_risk",
    )
    PlanFactory(child=thaddeus, start_date=dt.date(2026, 9, 14), initial_category="EMO")
    PlanFactory(child=juniper, start_date=dt.date(2026, 12, 7))
    PlanFactory(child=percival, start_date=dt.date(2025, 6, 2), initial_category="PHY")
    PlanFactory(child=wilhelmina, start_date=dt.date(2026, 5, 11), number_of_previous_plans=2)
    LookedAfterEpisodeFactory(
        child=wilhelmina, started_on=dt.date(2026, 6, 1), ended_on=dt.date(2026, 12, 20)
    )

    iro, other_iro = users["iro"], users["other_iro"]
    _held(east_home, iro, dt.date(2026, 8, 3), marigold, thaddeus)
    _held(east_home, iro, dt.date(2026, 12, 14), marigold, juniper)
    _held(east_home, other_iro, dt.date(2026, 12, 15), thaddeus)
    _held(west_home, iro, dt.date(2026, 11, 2), percival)
    return users


# Who is emailed, and what each of their lists holds at 31 January 2027.
EXPECTED = {
    "dana.morrow@council.example": ({OVER: 1, REPEAT: 1, LOOKED_AFTER: 1}, "Eastfield district"),
    "ivo.iro@council.example": (
        {OVER: 2, REPEAT: 0, LOOKED_AFTER: 1},
        "the children whose latest conference you chaired",
    ),
    "oona.iro@council.example": (
        {OVER: 0, REPEAT: 1, LOOKED_AFTER: 0},
        "the children whose latest conference you chaired",
    ),
    "sam@council.example": ({OVER: 2, REPEAT: 2, LOOKED_AFTER: 1}, "the whole authority"),
}
USER_KEYS = {
    "dana.morrow@council.example": "manager",
    "ivo.iro@council.example": "iro",
    "oona.iro@council.example": "other_iro",
    "sam@council.example": "senior",
}


def _received(smtp) -> dict:
    """{recipient: (envelope, parsed message)}, one entry per envelope (asserting no
    recipient had two)."""
    found = {}
    for envelope in smtp.envelopes:
        assert len(envelope.rcpt_tos) == 1, envelope.rcpt_tos
        (to,) = envelope.rcpt_tos
        assert to not in found, f"{to} was sent two messages"
        found[to] = (envelope, message_from_bytes(envelope.original_content, policy=policy.default))
    return found


def _counts(body: str) -> dict[str, int]:
    lines = [line[2:] for line in body.splitlines() if line.startswith("- ")]
    return {label: int(count) for label, count in (line.rsplit(": ", 1) for line in lines)}


def _identifying_details() -> list[str]:
    """Everything about the children an email must never carry."""
    details = []
    for child in Child.objects.select_related("household"):
        born = child.date_of_birth
        details += [
            child.first_name,
            child.last_name,
            child.local_id,
            child.household.reference,
            child.household.postcode,
            born.isoformat(),
            f"{born:%-d %B %Y}",
            f"{born:%d/%m/%Y}",
        ]
    return details


def test_each_person_gets_one_email_with_their_own_counts_through_smtp(
    staff_and_children, smtp, eager_tasks, capsys
):
    users = staff_and_children
    with time_machine.travel(BEAT, tick=False):
        result = tasks.send_monthly_lists_emails.delay().get()
    assert result == {
        "month_end": "2027-01-31",
        "sent": 4,
        "already_sent": 0,
        "no_email_address": 1,
        "failed": 0,
    }

    received = _received(smtp)
    assert set(received) == set(EXPECTED)  # nobody else: not the directorate, support...
    identifying = _identifying_details()
    for to, (envelope, message) in received.items():
        counts, scope = EXPECTED[to]
        assert envelope.mail_from == FROM
        assert message["To"] == to and message["From"] == FROM
        assert message["Reply-To"] == FROM
        assert message["Subject"] == "Your monthly lists of plans at 31 January 2027"
        assert not list(message.iter_attachments())
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert _counts(body) == counts, to
        assert f"Your monthly lists of plans for {scope}, at 31 January 2027:" in body
        assert re.findall(r"https?://\S+", body) == [LINK]
        # Neither in the decoded message nor in the bytes the server was given.
        raw = envelope.original_content.decode("utf-8", errors="replace")
        for detail in identifying:
            assert detail not in body and detail not in raw, (to, detail)
        for born in Child.objects.values_list("date_of_birth", flat=True):
            assert str(born.year) not in body, (to, born)  # (the Message-ID has random digits)
        # What was recorded is what was sent.
        record = MonthlyListsEmail.objects.get(user=users[USER_KEYS[to]], month_end=MONTH_END)
        assert record.sent_at == BEAT
        assert record.counts == {
            "plans_over_12_months": counts[OVER],
            "repeat_plans": counts[REPEAT],
            "looked_after": counts[LOOKED_AFTER],
        }
    assert "Hello Dana Morrow," in received["dana.morrow@council.example"][1].get_content()
    # One SMTP session for the run (one sign-in to the mail server), not one per email.
    assert len(set(smtp.peers)) == 1, smtp.peers

    # The same month again, by the task and by the command: nothing more is sent.
    with time_machine.travel(BEAT + dt.timedelta(hours=3), tick=False):
        again = tasks.send_monthly_lists_emails.delay().get()
        call_command("send_monthly_lists_emails")
    with time_machine.travel(BEAT + dt.timedelta(days=9), tick=False):
        call_command("send_monthly_lists_emails")
    assert again["sent"] == 0 and again["already_sent"] == 4
    assert len(smtp.envelopes) == 4
    assert (
        capsys.readouterr().out.splitlines()
        == [
            "Monthly lists at 31 January 2027: 0 sent, 4 already sent, 1 with no email address, "
            "0 failed (tried again on the next run).",
        ]
        * 2
    )
    assert MonthlyListsEmail.objects.count() == 4


def test_the_link_opens_the_lists_with_the_same_counts_and_says_when_the_email_was_sent(
    staff_and_children, smtp
):
    users = staff_and_children
    with time_machine.travel(BEAT, tick=False):
        call_command("send_monthly_lists_emails")
    received = _received(smtp)
    assert set(received) == set(EXPECTED)

    with time_machine.travel(BEAT + dt.timedelta(hours=2), tick=False):
        for to, (_envelope, message) in received.items():
            body = message.get_body(preferencelist=("plain",)).get_content()
            (link,) = re.findall(r"https?://\S+", body)
            assert link.startswith(SITE + "/")
            page = client_for(users[USER_KEYS[to]]).get(link.removeprefix(SITE))
            assert page.status_code == 200, to
            text = page.text
            for label, count in _counts(body).items():
                assert f"{HEADINGS[label]} ({count})" in text, (to, label)
            assert (
                "Your last monthly email: sent 1 February 2027 at 07:00, with the lists at "
                "31 January 2027." in text
            ), to
        # The district manager without an address was not emailed, and is told none was sent.
        page = client_for(users["west_manager"]).get(link.removeprefix(SITE)).text
        assert "No monthly email has been sent to you yet." in page


def test_a_recipient_the_server_refuses_is_tried_again_on_the_next_run_only(
    staff_and_children, smtp
):
    """The mail server refuses one address for now (450): the others are sent and recorded;
    the next run sends to that person only."""
    refused = {"oona.iro@council.example"}

    async def handle_rcpt(server, session, envelope, address, rcpt_options):
        if address in refused:
            return "450 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = handle_rcpt
    with time_machine.travel(BEAT, tick=False):
        call_command("send_monthly_lists_emails")
    assert set(_received(smtp)) == set(EXPECTED) - refused
    assert not MonthlyListsEmail.objects.filter(user=staff_and_children["other_iro"]).exists()

    refused.clear()
    with time_machine.travel(BEAT + dt.timedelta(days=1), tick=False):
        call_command("send_monthly_lists_emails")
    received = _received(smtp)
    assert set(received) == set(EXPECTED)
    _envelope, message = received["oona.iro@council.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert _counts(body) == EXPECTED["oona.iro@council.example"][0]
    assert len(smtp.envelopes) == 4


def test_while_the_mail_server_cannot_be_reached_nothing_is_recorded(
    staff_and_children, caplog, capsys
):
    """Nothing listens on the port: every email fails, none is recorded, the log names no
    address; when the server is back, the next run sends them all."""
    with _smtp_settings(free_port()), time_machine.travel(BEAT, tick=False):
        call_command("send_monthly_lists_emails")
    assert capsys.readouterr().out.startswith(
        "Monthly lists at 31 January 2027: 0 sent, 0 already sent, 1 with no email address, "
        "4 failed"
    )
    assert not MonthlyListsEmail.objects.exists()
    assert "The email server could not be reached: ConnectionRefusedError" in caplog.text
    assert "@" not in caplog.text

    received = ReceivedWithSessions()
    controller = Controller(received, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with _smtp_settings(controller.port), time_machine.travel(BEAT + dt.timedelta(days=1)):
            call_command("send_monthly_lists_emails")
    finally:
        controller.stop()
    assert set(_received(received)) == set(EXPECTED)
    assert MonthlyListsEmail.objects.count() == 4
