"""In the browser: the chair raises an escalation from a child's record (a refusal on the way,
check your answers), nobody responds, the deadline passes (time moved forward), the beat task
moves it up a level with the email sent, and the chair sees it. axe checks every page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from people.models import Role
from quality_assurance import tasks
from quality_assurance.models import Escalation
from tests.factories import LONDON

from ..test_browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RAISED_AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
A_WEEK_LATER = dt.datetime(2026, 12, 9, 7, 0, tzinfo=LONDON)


def test_raise_let_the_deadline_pass_and_see_it_move_up(page: Page, live_server, world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    world.child.team_manager_name = "Tam Team"
    world.child.team_manager_email = "tam.team@council.example"
    world.child.social_worker_name = "Sam Social"
    world.child.social_worker_email = "sam.social@council.example"
    world.child.save()
    chair = world.users[Role.IRO]
    chair.email = "chair@council.example"
    chair.save()
    with time_machine.travel(RAISED_AT, tick=True):
        sign_in(page, live_server.url, Role.IRO.value)
        page.goto(f"{live_server.url}/quality/escalations/new/?child={world.child.pk}")
        expect(page.get_by_role("heading", name="Raise an escalation")).to_be_visible()
        # The child's social worker is suggested from the record.
        expect(page.get_by_label("Their name")).to_have_value("Sam Social")
        assert axe_violations(page) == []

        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        assert page.title().startswith("Error:")
        assert axe_violations(page) == []

        page.get_by_label("Visits not within timescale").check()
        page.get_by_label("Describe the concern").fill("No visits for six weeks.")
        page.get_by_label("What must change").fill("Visits every ten working days.")
        page.get_by_role("button", name="Continue").click()
        heading = "Check your answers before raising the escalation"
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text("Tuesday 8 December 2026")).to_be_visible()
        assert axe_violations(page) == []
        assert not Escalation.objects.exists()

        page.get_by_role("button", name="Raise the escalation").click()
        expect(page.get_by_text("Escalation raised.")).to_be_visible()
        expect(
            page.get_by_role("heading", name="Escalation: visits not within timescale")
        ).to_be_visible()
        assert axe_violations(page) == []
    escalation = Escalation.objects.get()

    with time_machine.travel(A_WEEK_LATER, tick=True):
        assert tasks.escalations_move_up_overdue.delay().get() == 1
        [message] = mail.outbox
        assert message.to == ["tam.team@council.example"]
        assert message.cc == ["chair@council.example"]
        assert "Robin" not in message.subject
        sign_in(page, live_server.url, Role.IRO.value)  # a week on, the session has ended
        page.goto(f"{live_server.url}/quality/escalations/{escalation.pk}/")
        expect(page.get_by_text("Team manager, since 9 December 2026")).to_be_visible()
        expect(page.get_by_text("Tam Team")).to_be_visible()
        expect(page.get_by_text("emailed to tam.team@council.example")).to_be_visible()
        assert axe_violations(page) == []

        page.goto(f"{live_server.url}/quality/escalations/")
        expect(page.get_by_role("heading", name="Escalations you raised")).to_be_visible()
        expect(page.get_by_role("link", name="Robin Ashdown")).to_be_visible()
        assert axe_violations(page) == []
