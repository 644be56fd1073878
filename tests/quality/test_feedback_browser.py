"""In a real browser: a parent answers the feedback link on a phone-sized screen, a child
sends a picture, and business support send the links and type in a paper return; axe checks
each page against WCAG 2.2 AA."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from quality_assurance.models import ChildView, FeedbackQuestionnaire, OneTimeLink
from quality_assurance.services.feedback import ANSWER_FIELDS
from tests.test_browser import axe_violations, sign_in

from .test_feedback_helpers import (
    _fresh_cache,
    booked_conference,
    feedback_link,
    held_conference,
    jpeg_with_exif,
    private_media,
    views_link,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["_fresh_cache", "private_media"]

PHONE = {"width": 375, "height": 667}


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_parent_answers_on_a_phone(page: Page, live_server, world):
    conference, mother, *_ = held_conference(world)
    _, token = feedback_link(conference, mother)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("respond:feedback", args=[token]))
    expect(
        page.get_by_role("heading", name="Tell us what you thought of the conference")
    ).to_be_visible()
    expect(page.locator("#navigation")).to_have_count(0)
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    for name in ANSWER_FIELDS:
        page.locator(f"#id_{name}_0").check()
    page.locator("#id_stress_level_2").check()
    page.get_by_label("Is there anything else you want to tell us?").fill("Thank you.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert axe_violations(page) == []
    saved = FeedbackQuestionnaire.objects.get()
    assert (saved.stress_level, saved.comments, saved.met_chair_before) == (3, "Thank you.", "yes")
    page.goto(live_server.url + reverse("respond:feedback", args=[token]))
    expect(page.get_by_role("heading", name="This link has already been used")).to_be_visible()
    assert axe_violations(page) == []


def test_a_parent_types_the_code_from_a_letter(page: Page, live_server, world):
    conference, _mother, father, _ = held_conference(world)
    link, _ = feedback_link(conference, father)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("respond:start"))
    assert axe_violations(page) == []
    page.get_by_label("Your code").fill(f"{link.code[:5]} {link.code[5:]}")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Tell us what you thought of the conference")
    ).to_be_visible()


def test_a_child_sends_a_picture(page: Page, live_server, world, private_media):
    conference = booked_conference(world)
    _, token = views_link(conference, world.child)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("respond:views", args=[token]))
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    page.get_by_label("What do you want the conference to know?").fill("I like my school.")
    page.get_by_label("Send a picture or a drawing (optional)").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()}
    )
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    view = ChildView.objects.get()
    assert view.picture_type == "image/jpeg"
    assert b"SpyCam" not in view.picture.read()


def test_business_support_send_the_links_and_type_in_a_paper_return(page: Page, live_server, world):
    conference, *_ = held_conference(world)
    sign_in(page, live_server.url, "business_support")
    page.goto(live_server.url + reverse("quality:feedback_links", args=[conference.pk]))
    expect(page.get_by_role("heading", name="Check before you send")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send feedback links").click()
    expect(page.get_by_text("Feedback links sent: 1 emailed, 1 to get a letter")).to_be_visible()
    assert axe_violations(page) == []
    assert OneTimeLink.objects.count() == 2
    page.get_by_role("link", name="Type in a paper questionnaire").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []


def test_the_chair_makes_a_views_link(page: Page, live_server, world):
    conference = booked_conference(world)
    sign_in(page, live_server.url, "iro")
    page.goto(live_server.url + reverse("quality:views_link", args=[conference.pk]))
    assert axe_violations(page) == []
    page.get_by_label(f"{world.child.first_name} {world.child.last_name}").check()
    page.get_by_role("button", name="Make the link").click()
    expect(
        page.get_by_role("heading", name=f"Views link made for {world.child.first_name}")
    ).to_be_visible()
    assert axe_violations(page) == []
    assert "/respond/views/" in page.locator("#views-link").input_value()
