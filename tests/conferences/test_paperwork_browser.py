"""In the browser, with axe on every page: the chair signs off the decision sheet, business
support checks who gets it and sends it; the minute taker meets a refusal uploading a program
renamed .pdf, then writes the minutes; the chair signs them off, business support send them;
the list of paperwork not yet sent empties."""

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from conferences.models import Conference

from ..test_browser import axe_violations, sign_in
from .test_paperwork_world import EXE_BYTES, NOW, held_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held(world, settings, tmp_path):
    with time_machine.travel(NOW, tick=True):
        yield held_in(world, settings=settings, tmp_path=tmp_path)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_the_paperwork_goes_out_in_the_browser(page: Page, live_server, world, held, tmp_path):
    base = live_server.url
    conference = held.conference
    sign_in(page, base, "iro")
    page.goto(f"{base}/conferences/{conference.pk}/decision-sheet/")
    expect(page.get_by_role("heading", name="Draft decision sheet")).to_be_visible()
    expect(page.get_by_text("A child protection plan is needed")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text("The decision sheet is signed off")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "business_support")
    page.goto(f"{base}/conferences/paperwork/")
    expect(page.get_by_text("2 not yet sent")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Decision sheet").first.click()
    page.get_by_role("link", name="Send to the invitees").click()
    expect(page.get_by_role("heading", name="Check who gets the decision sheet")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send the decision sheet").click()
    expect(page.get_by_text("The decision sheet was emailed to 3 people")).to_be_visible()
    assert axe_violations(page) == []
    assert len(mail.outbox) == 3
    sign_out(page)

    sign_in(page, base, "taker")
    page.goto(f"{base}/conferences/{conference.pk}/minutes/")
    renamed = tmp_path / "minutes.pdf"
    renamed.write_bytes(EXE_BYTES)
    page.get_by_label("Upload the minutes as a document").set_input_files(str(renamed))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("link", name="The chosen file is not a real PDF")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Draft minutes").fill("The chair welcomed everyone.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft minutes are saved")).to_be_visible()
    assert axe_violations(page) == []
    sign_out(page)

    sign_in(page, base, "iro")
    page.goto(f"{base}/conferences/{conference.pk}/minutes/")
    page.get_by_role("button", name="Sign off the minutes").click()
    expect(page.get_by_text("The minutes are signed off")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "business_support")
    page.goto(f"{base}/conferences/{conference.pk}/minutes/send/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send the minutes").click()
    expect(page.get_by_text("The minutes were emailed to 3 people")).to_be_visible()
    page.goto(f"{base}/conferences/paperwork/")
    expect(page.get_by_text("0 not yet sent")).to_be_visible()
    sent = Conference.objects.get(pk=conference.pk)
    assert sent.decision_sheet_distributed_at and sent.minutes_distributed_at
