"""Issue 11's check, as one story in a real browser with axe on every page:

1. A week before a review, the chair makes the child's views link; the child sends words and a
   picture on a phone-sized screen.
2. On the day the chair holds the review: the child's views are on the record and count as
   participation.
3. The chair completes the QA form (its interactions counted), saying a concern needs
   escalating, and raises the escalation pre-filled from the form.
4. Nobody responds; time moves past the deadline; the beat task moves it up to the team manager
   with the email sent, and the chair sees it on the escalation's page.
5. Business support send the feedback links; the mother answers hers from the email on a
   phone-sized screen.
6. The dashboard and the annual report's figures show the QA form, its themes, the escalation
   and the feedback, with no other step."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from annual_report.figures import values as report_values
from conferences.models import Attendance, Conference, ConferenceChild
from people.models import Role
from plans.models import CoreGroupMeeting, ProtectionVisit
from quality_assurance import tasks
from quality_assurance.models import ChildView, Escalation, FeedbackQuestionnaire, QAForm
from quality_assurance.services.feedback import ANSWER_FIELDS
from reporting.selectors import compute_figures
from tests.factories import (
    LONDON,
    ConferenceChildFactory,
    ConferenceFactory,
    InviteeFactory,
    PlanFactory,
)
from tests.test_browser import axe_violations, sign_in

from .test_feedback_browser import PHONE, fits_the_screen
from .test_feedback_helpers import _fresh_cache, jpeg_with_exif, private_media
from .test_qa_form_browser import MAX_INTERACTIONS, Counter
from .test_qa_form_service import weekly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["_fresh_cache", "private_media"]

A, S, P = Attendance.Agency, Attendance.Status, ConferenceChild.Participation
INITIAL_ON = dt.date(2026, 8, 3)
REVIEW_AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)  # a Monday
A_WEEK_BEFORE = dt.datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)
AFTER_THE_REVIEW = dt.datetime(2026, 11, 2, 12, 30, tzinfo=LONDON)
# Raised on Monday 2 November at the social worker's level: 5 working days to respond, so
# due Monday 9 November; the beat task runs at 07:00 the day after.
BEAT_RUNS = dt.datetime(2026, 11, 10, 7, 0, tzinfo=LONDON)
NEXT_MORNING = dt.datetime(2026, 11, 10, 9, 0, tzinfo=LONDON)
PARENT_ANSWERS = dt.datetime(2026, 11, 11, 19, 0, tzinfo=LONDON)
YEAR = 2027  # the reporting year April 2026 to March 2027, named by its end


def _checked(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def _as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


@pytest.fixture
def review(world):
    """Robin and Sky's plans started at an initial conference in August, with monthly core
    groups and weekly visits since; their review is booked for Monday 2 November, chaired by
    the world's IRO, with the social worker, police, the school and both parents invited (the mother by
    email, the father with no address, so by letter)."""
    robin, sky = world.child, world.sibling
    robin.date_of_birth, sky.date_of_birth = dt.date(2014, 5, 1), dt.date(2019, 12, 1)
    robin.social_worker_name, robin.social_worker_email = "Sam Social", "sam@council.example"
    robin.team_manager_name, robin.team_manager_email = "Tam Team", "tam@council.example"
    sky.social_worker_name, sky.social_worker_email = (
        robin.social_worker_name,
        robin.social_worker_email,
    )
    robin.save()
    sky.save()
    chair = world.users[Role.IRO]
    chair.email = "chair@council.example"
    chair.save()
    initial = ConferenceFactory(
        household=robin.household,
        kind=Conference.Kind.INITIAL,
        status=Conference.Status.HELD,
        scheduled_for=dt.datetime(2026, 8, 3, 10, 0, tzinfo=LONDON),
        chair=chair,
    )
    for child in (robin, sky):
        ConferenceChildFactory(conference=initial, child=child, participation=P.NONE)
        plan = PlanFactory(child=child, start_date=INITIAL_ON)
        for day in (dt.date(2026, 8, 14), dt.date(2026, 9, 11), dt.date(2026, 10, 9)):
            CoreGroupMeeting.objects.create(plan=plan, held_on=day)
        for day in weekly(dt.date(2026, 8, 7), dt.date(2026, 10, 30)):
            ProtectionVisit.objects.create(plan=plan, visited_on=day)
    due = REVIEW_AT - dt.timedelta(hours=48)
    conference = ConferenceFactory(
        household=robin.household,
        kind=Conference.Kind.REVIEW,
        status=Conference.Status.BOOKED,
        scheduled_for=REVIEW_AT,
        chair=chair,
        report_share_due_by=due,
        report_shared_at=due - dt.timedelta(hours=12),
    )
    for child in (robin, sky):
        ConferenceChildFactory(conference=conference, child=child)
    for name, agency, role, email in (
        ("Sam Social", A.SOCIAL_CARE, "Social worker", "sam@council.example"),
        ("Pat Police", A.POLICE, "Public protection officer", "pat@police.example"),
        ("Dee Lead", A.SCHOOL, "Designated safeguarding lead", "dee@school.example"),
        ("Mo Ashdown", A.FAMILY, "Mother", "mo@family.example"),
        ("Jay Ashdown", A.FAMILY, "Father", ""),
    ):
        InviteeFactory(
            conference=conference,
            name=name,
            agency=agency,
            role=role,
            email=email,
            postal_address="" if email else "1 Mill Lane, Northbridge",
        )
    return conference


def _child_sends_views(page: Page, base: str, conference: Conference, robin) -> None:
    _as(page, base, "iro")
    page.goto(f"{base}/quality/child-views/conferences/{conference.pk}/link/")
    _checked(page)
    page.get_by_label(robin.full_name).check()
    page.get_by_role("button", name="Make the link").click()
    expect(
        page.get_by_role("heading", name=f"Views link made for {robin.first_name}")
    ).to_be_visible()
    _checked(page)
    url = page.locator("#views-link").input_value()
    # The social worker sits with Robin, who uses their phone.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert fits_the_screen(page)
    _checked(page)
    page.get_by_label("What do you want the conference to know?").fill(
        "I want to stay at my school."
    )
    page.get_by_label("Send a picture or a drawing (optional)").set_input_files(
        {"name": "my-drawing.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()}
    )
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    _checked(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def _hold(page: Page, base: str, conference: Conference, robin, sky) -> None:
    _as(page, base, "iro")
    page.goto(f"{base}/conferences/{conference.pk}/")
    expect(page.get_by_role("heading", name="The children's views")).to_be_visible()
    expect(page.get_by_text("I want to stay at my school.")).to_be_visible()
    _checked(page)
    page.goto(f"{base}/conferences/{conference.pk}/hold/")
    _checked(page)
    page.get_by_role("link", name="Attendance register").click()
    # The register lists the invitees by agency: the father, the mother, police, school, and
    # the social worker.
    took = ("Did not attend", "In person", "Remotely", "In person", "In person")
    for line, took_part in enumerate(took, start=1):
        page.get_by_label(f"Took part, line {line}", exact=True).select_option(label=took_part)
    expect(page.locator("#quorum-live")).to_contain_text("the conference is quorate")
    _checked(page)
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("The conference is quorate.")).to_be_visible()
    for child in (robin, sky):
        page.get_by_role("link", name=child.full_name).click()
        expect(page.get_by_role("heading", name=child.full_name)).to_be_visible()
        if child == robin:
            # What Robin sent before the conference is there, and counts as taking part.
            expect(page.get_by_role("radio", name="Picture", exact=True)).to_be_checked()
            expect(page.get_by_label("The child's views")).to_have_value(
                "I want to stay at my school."
            )
        else:
            page.get_by_role("radio", name="Did not participate").check()
        page.get_by_role("radio", name="The plan continues").check()
        _checked(page)
        page.get_by_role("button", name="Save and continue").click()
        page.goto(f"{base}/conferences/{conference.pk}/hold/")
    page.get_by_role("link", name="Check and record as held").click()
    _checked(page)
    page.get_by_role("button", name="Record as held").click()
    expect(page.get_by_text("The conference has been recorded as held")).to_be_visible()
    _checked(page)


def _qa_form_and_escalation(page: Page, base: str, conference: Conference, sky) -> None:
    page.goto(f"{base}/conferences/my-work/")
    expect(page.get_by_role("heading", name="QA forms to complete")).to_be_visible()
    _checked(page)
    act = Counter(page)
    act.click(page.get_by_role("link", name=re.compile(r"Review conference, 2 November 2026")))
    expect(page.get_by_role("heading", name="What the record shows")).to_be_visible()
    expect(page.get_by_text("The register shows Mo Ashdown present.")).to_be_visible()
    _checked(page)
    for question, answer in (
        ("Has the assessment been updated since the child's circumstances changed?", "No"),
        ("How good was the social worker's report?", "Inadequate"),
        ("Did the report analyse the impact on the child, not only state facts?", "No"),
        ("Is the plan outcome-focused, with realistic targets and timescales?", "No"),
        ("How did the parents or carers contribute?", "Active"),
        ("Was a copy of the plan given to the person with parental responsibility?", "Yes"),
        ("Are there concerns needing escalation?", "Yes"),
    ):
        act.answer(question, answer)
    act.click(page.get_by_role("button", name="Complete the form"))
    expect(page.get_by_role("heading", name="Raise an escalation")).to_be_visible()
    assert act.count <= MAX_INTERACTIONS, act.count
    _checked(page)
    # Pre-filled from the form: both children, their social worker, and the theme the
    # answers point to.
    expect(page.get_by_label("Their name")).to_have_value("Sam Social")
    expect(page.get_by_label("Plan not outcome-focused")).to_be_checked()
    expect(page.get_by_label(sky.full_name)).to_be_checked()
    page.get_by_label(sky.full_name).uncheck()  # the concern is about Robin
    page.get_by_label("Describe the concern").fill(
        "The assessment has not been updated since Robin moved school."
    )
    page.get_by_label("What must change").fill("An updated assessment before the next core group.")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Check your answers before raising the escalation")
    ).to_be_visible()
    expect(page.get_by_text("Monday 9 November 2026")).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Raise the escalation").click()
    expect(page.get_by_text("Escalation raised.")).to_be_visible()
    _checked(page)


def _parent_answers(page: Page, base: str, message) -> None:
    [url] = re.findall(r"https?://\S+/respond/feedback/\S+/", message.body)
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(
        page.get_by_role("heading", name="Tell us what you thought of the conference")
    ).to_be_visible()
    expect(page.get_by_text("2 November 2026").first).to_be_visible()
    # The page's random tokens (CSRF, the link's own) are left out: "Sky" may
    # turn up in one by chance, as it once did.
    html = re.sub(r"[A-Za-z0-9_-]{32,}", "", page.content())
    for words in ("Robin", "Sky", "Ashdown", "Sam Social", "Official-Sensitive"):
        assert words not in html
    assert fits_the_screen(page)
    _checked(page)
    for name in ANSWER_FIELDS:
        page.locator(f"#id_{name}_0").check()  # yes to each
    page.locator("#id_stress_level_1").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert fits_the_screen(page)
    _checked(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_views_hold_qa_escalate_move_up_feedback_and_the_figures(
    page: Page, live_server, world, settings, review, private_media
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    base, robin, sky = live_server.url, world.child, world.sibling
    before = compute_figures(year=YEAR, district=None).data
    assert before["qa_completion"]["numerator"] == 0
    assert before["escalations"]["total"] == 0

    with time_machine.travel(A_WEEK_BEFORE, tick=True):
        _child_sends_views(page, base, review, robin)
    view = ChildView.objects.get()
    assert (view.child, view.picture_type) == (robin, "image/jpeg")

    with time_machine.travel(AFTER_THE_REVIEW, tick=True):
        _hold(page, base, review, robin, sky)
        review.refresh_from_db()
        assert review.status == Conference.Status.HELD
        assert review.child_outcomes.get(child=robin).participation == P.PICTURE
        _qa_form_and_escalation(page, base, review, sky)
    form = QAForm.objects.get(conference=review)
    assert form.completed_at is not None and form.escalation_needed
    assert form.report_quality == "inadequate" and form.core_groups_monthly == "yes"
    escalation = Escalation.objects.get()
    assert escalation.qa_form == form and escalation.child == robin
    assert escalation.theme == Escalation.Theme.PLAN_QUALITY
    assert escalation.level == Escalation.Level.SOCIAL_WORKER
    assert escalation.response_due_by == dt.date(2026, 11, 9)
    assert mail.outbox[-1].to == ["sam@council.example"]  # told when raised
    sent_before = len(mail.outbox)

    with time_machine.travel(BEAT_RUNS, tick=False):
        assert tasks.escalations_move_up_overdue.delay().get() == 1
        assert tasks.escalations_move_up_overdue.delay().get() == 0  # never twice a level
    [moved] = mail.outbox[sent_before:]
    assert moved.to == ["tam@council.example"] and moved.cc == ["chair@council.example"]
    assert "Robin" not in moved.subject and "Ashdown" not in moved.subject
    with time_machine.travel(NEXT_MORNING, tick=True):
        _as(page, base, "iro")
        page.goto(f"{base}/quality/escalations/{escalation.pk}/")
        expect(page.get_by_text("Team manager, since 10 November 2026")).to_be_visible()
        expect(page.get_by_text("emailed to tam@council.example")).to_be_visible()
        _checked(page)

        # Business support send the feedback links: one email, one letter.
        _as(page, base, "business_support")
        page.goto(f"{base}/conferences/paperwork/")
        _checked(page)
        card = page.locator(".govuk-summary-card", has_text="Feedback links to send")
        card.get_by_role("link", name=re.compile(r"Review conference, 2 November 2026")).click()
        expect(page.get_by_role("heading", name="Check before you send")).to_be_visible()
        _checked(page)
        page.get_by_role("button", name="Send feedback links").click()
        expect(
            page.get_by_text("Feedback links sent: 1 emailed, 1 to get a letter")
        ).to_be_visible()
        _checked(page)
    [to_mother] = [m for m in mail.outbox if m.to == ["mo@family.example"]]

    with time_machine.travel(PARENT_ANSWERS, tick=True):
        _parent_answers(page, base, to_mother)
    answered = FeedbackQuestionnaire.objects.get()
    assert (answered.conference, answered.source, answered.stress_level) == (review, "online", 2)

    with time_machine.travel(NEXT_MORNING + dt.timedelta(days=2), tick=True):
        after = compute_figures(year=YEAR, district=None).data
        # The year's conferences held: August's initial and this review; one QA form.
        assert (after["qa_completion"]["numerator"], after["qa_completion"]["denominator"]) == (
            1,
            2,
        )
        themes = after["qa_themes"]
        assert themes["forms"] == 1 and themes["report_quality"]["inadequate"] == 1
        assert themes["children_over_ten_participated"] == 1  # Robin, 12, by a picture
        assert after["escalations"]["total"] == 1
        assert after["feedback_returns"]["total"] == 1
        printed = report_values(after, year=YEAR)
        assert printed["qa_themes.report_quality.inadequate.percent"] == "100.0%"
        assert printed["qa_completion.sentence"] == (
            "1 form was completed in the year, 50.0% of conferences held."
        )
        assert printed["escalations.sentence"] == (
            "During the year IROs raised 1 escalation; it was still open at the year end."
        )
        assert printed["feedback_returns.sentence"].startswith(
            "1 was returned in the year (1 after review conferences)"
        )

        _as(page, base, "senior_iro")
        page.goto(f"{base}/dashboard/?year={YEAR}")
        for card in ("QA forms completed", "Feedback returned"):
            row = page.locator(".govuk-summary-list__row", has_text=card)
            expect(row).to_contain_text("50.0% (1 of 2)")
        _checked(page)
