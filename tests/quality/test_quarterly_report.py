"""The quarterly QA report for the cluster meetings (§8.1): the page and its PDF show the
measures for the quarter chosen, per district or for the whole authority, to the roles that
read it; a district manager sees only their district; bad choices get a clear message."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import factory
import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from people.models import Role
from quality_assurance import quarterly
from quality_assurance.models import Escalation, FeedbackQuestionnaire, QAForm
from reporting.metrics import MEASURES, Period, compute_all
from tests.annual_report.pdf_tools import fonts, info, page_texts
from tests.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")
QUARTER = "2024-01"  # January to March 2024: quarter 4 of 2023/24
PERIOD = Period(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
READERS = [
    Role.IRO,
    Role.SENIOR_IRO,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
]
URL = reverse("quality:quarterly_report")
PDF_URL = reverse("quality:quarterly_report_pdf")


class QAFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QAForm

    conference = factory.SubFactory(ConferenceFactory)
    completed_by = factory.SubFactory(UserFactory, role=Role.IRO)
    completed_at = dt.datetime(2024, 2, 1, 16, 0, tzinfo=LONDON)
    held_within_timescale = "yes"
    report_shared_in_time = "no"
    plan_copy_given = "na"
    parents_attended = True
    report_quality = QAForm.ReportQuality.GOOD
    parent_contribution = QAForm.Contribution.ACTIVE


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    child = factory.SubFactory(ChildFactory)
    district = factory.SelfAttribute("child.district")
    raised_by = factory.SubFactory(UserFactory, role=Role.IRO)
    raised_on = dt.date(2024, 2, 5)
    theme = Escalation.Theme.CORE_GROUPS
    concern = "Core groups have not met since the conference."
    level_reached_on = factory.SelfAttribute("raised_on")
    response_due_by = dt.date(2024, 2, 12)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackQuestionnaire

    conference = factory.SubFactory(ConferenceFactory)
    respondent = FeedbackQuestionnaire.Respondent.MOTHER
    source = FeedbackQuestionnaire.Source.PAPER
    received_on = dt.date(2024, 2, 20)
    met_chair_before = "yes"
    report_received_in_time = "partly"
    prepared_by_chair = "yes"
    chaired_clearly_and_respectfully = "yes"
    could_express_views = "yes"
    could_discuss_views = "no"
    clear_what_must_change = "yes"
    complaints_process_explained = "yes"
    spoke_to_chair_after = "yes"
    stress_level = 4


def _held(household, day: dt.date, kind="review"):
    moment = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)
    return ConferenceFactory(household=household, scheduled_for=moment, kind=kind)


@pytest.fixture
def records(world):
    """In Northbridge: three conferences held in the quarter, two with completed QA forms and
    one with a draft; a form completed after the quarter; two children over ten (one took
    part, by letter) and one under ten who attended; two escalations and two questionnaires.
    In Southmoor: one conference, its form, one escalation and one questionnaire."""
    north, south = world.child.household, world.south_child.household
    initial = _held(north, dt.date(2024, 1, 15), kind="initial")
    review = _held(north, dt.date(2024, 2, 1))
    drafted = _held(north, dt.date(2024, 3, 20))
    later = _held(north, dt.date(2024, 3, 28))
    QAFormFactory(conference=initial)
    QAFormFactory(
        conference=review,
        held_within_timescale="na",
        report_shared_in_time="yes",
        report_quality=QAForm.ReportQuality.INADEQUATE,
        escalation_needed=True,
    )
    QAFormFactory(conference=drafted, completed_at=None)
    QAFormFactory(conference=later, completed_at=dt.datetime(2024, 4, 2, 9, 0, tzinfo=LONDON))
    older = ChildFactory(household=north, date_of_birth=dt.date(2010, 1, 1))
    ConferenceChildFactory(conference=initial, child=older, participation="letter_or_text")
    twelve = ChildFactory(household=north, date_of_birth=dt.date(2011, 6, 1))
    ConferenceChildFactory(conference=review, child=twelve, participation="none")
    ConferenceChildFactory(conference=review, child=world.child, participation="attended")
    EscalationFactory(
        child=world.child,
        status=Escalation.Status.RESOLVED,
        resolved_on=dt.date(2024, 2, 10),
        outcome="Core group dates set for the next three months.",
    )
    EscalationFactory(
        child=world.sibling,
        level=Escalation.Level.TEAM_MANAGER,
        theme=Escalation.Theme.VISITS,
        raised_on=dt.date(2024, 3, 1),
        response_due_by=dt.date(2024, 3, 8),
    )
    EscalationFactory(child=world.child, raised_on=dt.date(2023, 12, 20))  # the quarter before
    FeedbackFactory(conference=initial)
    FeedbackFactory(conference=review, respondent="father", stress_level=2)
    south_conference = _held(south, dt.date(2024, 2, 14))
    QAFormFactory(conference=south_conference)
    EscalationFactory(child=world.south_child)
    FeedbackFactory(conference=south_conference)
    return world


def _data(response) -> dict:
    return response.context["data"]


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Figures ---------------------------------------------------------------------------------


def test_the_figures_are_the_measures_for_the_quarter_and_district(records, clients):
    response = clients[Role.SENIOR_IRO].get(URL, {"quarter": QUARTER, "district": records.north.pk})
    assert response.status_code == 200
    data = _data(response)
    everything = compute_all(period=PERIOD, district=records.north)
    for name in quarterly.REPORT_MEASURES:
        assert data[name] == everything[name], name
    assert data["qa_completion"] == {"numerator": 2, "denominator": 4, "percent": 50.0}
    assert data["qa_themes"]["report_shared_in_time"] == {"yes": 1, "no": 1, "na": 0}
    assert data["qa_themes"]["children_over_ten_participated"] == 1
    assert data["escalations"]["total"] == 2
    assert data["escalations"]["by_status"]["resolved"] == 1
    assert data["feedback_returns"]["total"] == 2
    assert data["participation"]["letter_or_text"] == 1
    assert data["participation"]["none"] == 1
    assert "districts" not in data
    text = _text(response)
    assert "2 QA forms were completed for 4 conferences held: 50.0%." in text
    assert "Letter or text 1" in text
    assert "All who took part 1" in text
    assert "Report shared with the parent/carer in time 1 1 0 50.0%" in text
    assert "Team manager 1" in text
    assert "Visits not within timescale 1" in text
    assert "Figures for 1 January 2024 to 31 March 2024, Northbridge." in text
    assert "Computed from the live records on" in text


def test_the_whole_authority_adds_up_the_districts(records, clients):
    response = clients[Role.SENIOR_IRO].get(URL, {"quarter": QUARTER})
    data = _data(response)
    for name in quarterly.REPORT_MEASURES:
        assert data[name] == MEASURES[name](period=PERIOD, district=None), name
    assert data["qa_completion"]["numerator"] == 3
    assert data["escalations"]["total"] == 3
    rows = {row["district"]: row for row in data["districts"]}
    assert rows["Northbridge"]["escalations_raised"] == 2
    assert rows["Southmoor"]["escalations_raised"] == 1
    assert rows["Southmoor"]["qa_completion"]["percent"] == 100.0
    assert sum(r["feedback_returned"] for r in rows.values()) == data["feedback_returns"]["total"]
    text = _text(response)
    assert "Whole authority, January to March 2024 (quarter 4 of 2023/24)" in text
    assert "Northbridge 4 2 50.0% 2 1 2 1" in text


def test_a_recorded_escalation_moves_the_report(records, clients):
    before = _data(clients[Role.AUDITOR].get(URL, {"quarter": QUARTER}))["escalations"]
    EscalationFactory(child=records.south_child, theme=Escalation.Theme.REPORTS)
    after = _data(clients[Role.AUDITOR].get(URL, {"quarter": QUARTER}))["escalations"]
    assert after["total"] == before["total"] + 1
    assert after["by_theme"]["reports"] == before["by_theme"]["reports"] + 1


def test_the_feedback_chart_has_its_table_beside_it(records, clients):
    html = clients[Role.SENIOR_IRO].get(URL, {"quarter": QUARTER}).content.decode()
    assert 'id="chart-feedback"' in html and 'role="img"' in html
    assert 'id="table-feedback"' in html
    assert html.index('id="chart-feedback"') < html.index('id="table-feedback"')
    for name in ("qa_completion", "qa_themes", "escalations_level", "feedback_answers"):
        assert f'id="table-{name}"' in html


# --- Quarters --------------------------------------------------------------------------------


def test_the_quarters_with_data_are_offered_and_the_last_complete_one_is_the_default(
    records, clients
):
    with time_machine.travel(dt.datetime(2024, 5, 10, 12, 0, tzinfo=LONDON), tick=False):
        response = clients[Role.SENIOR_IRO].get(URL)
        running = clients[Role.SENIOR_IRO].get(URL, {"quarter": "2024-04"})
    form = response.context["form"]
    keys = [key for key, _ in form.fields["quarter"].choices]
    # The quarter running (a form completed in April), the quarter of the report, the
    # quarter before (an escalation in December).
    assert keys == ["2024-04", "2024-01", "2023-10"]
    assert response.context["quarter"].key == "2024-01"
    assert response.context["period"] == PERIOD
    labels = dict(form.fields["quarter"].choices)
    assert labels["2024-04"] == "April to June 2024 (quarter 1 of 2024/25, so far)"
    assert running.status_code == 200
    assert running.context["period"] == Period(dt.date(2024, 4, 1), dt.date(2024, 5, 10))
    assert "(the quarter so far)" in _text(running)


def test_with_no_records_the_last_complete_quarter_is_still_offered(world, clients):
    response = clients[Role.IRO].get(URL)
    assert response.status_code == 200
    quarter = response.context["quarter"]
    assert quarter.is_complete
    assert [key for key, _ in response.context["form"].fields["quarter"].choices] == [quarter.key]
    text = _text(response)
    assert "0 QA forms were completed; no conferences were held in the quarter." in text
    assert "0 escalations raised in the quarter" in text


@pytest.mark.parametrize("bad", ["1999-01", "2024-02", "next", "2024-01'--"])
def test_an_unknown_quarter_gets_an_error_summary(records, clients, bad):
    response = clients[Role.SENIOR_IRO].get(URL, {"quarter": bad})
    assert response.status_code == 400
    text = _text(response)
    assert "There is a problem" in text
    assert "Choose a quarter from the list" in text
    assert "sections" not in response.context or not response.context["sections"]


@pytest.mark.parametrize("bad", ["999999", "north", "-1"])
def test_an_unknown_district_gets_an_error_summary(records, clients, bad):
    response = clients[Role.SENIOR_IRO].get(URL, {"quarter": QUARTER, "district": bad})
    assert response.status_code == 400
    assert "Choose a district from the list, or the whole authority" in _text(response)
    pdf = clients[Role.SENIOR_IRO].get(PDF_URL, {"quarter": QUARTER, "district": bad})
    assert pdf.status_code == 400
    assert "There is a problem" in _text(pdf)


# --- Who may read it -------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_report(records, clients, role):
    response = clients[role].get(URL, {"quarter": QUARTER})
    assert response.status_code == 200
    assert "Quarterly quality report" in _text(response)


def test_business_support_is_refused(records, clients):
    assert clients[Role.BUSINESS_SUPPORT].get(URL).status_code == 403
    assert clients[Role.BUSINESS_SUPPORT].get(PDF_URL, {"quarter": QUARTER}).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(records, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_district_manager_sees_their_district_only(records, clients):
    manager = clients[Role.DISTRICT_MANAGER]  # Northbridge's
    response = manager.get(URL, {"quarter": QUARTER})
    assert response.status_code == 200
    assert response.context["district"] == records.north
    assert _data(response)["escalations"]["total"] == 2
    assert "districts" not in _data(response)
    assert "Northbridge (your district)" in _text(response)
    own = manager.get(URL, {"quarter": QUARTER, "district": records.north.pk})
    assert own.status_code == 200
    assert manager.get(URL, {"quarter": QUARTER, "district": records.south.pk}).status_code == 404
    assert manager.get(PDF_URL, {"district": records.south.pk}).status_code == 404
    assert manager.get(URL, {"district": "999999"}).status_code == 404
    default = manager.get(URL)
    assert default.status_code == 200 and default.context["district"] == records.north


def test_the_page_only_answers_get(records, clients):
    assert clients[Role.SENIOR_IRO].post(URL, {"quarter": QUARTER}).status_code == 405


# --- The PDF ---------------------------------------------------------------------------------


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return re.sub(r"[ \t]+", " ", "\n".join(page_texts(path)))


def test_the_pdf_has_the_same_figures(records, clients, tmp_path):
    response = clients[Role.SENIOR_IRO].get(
        PDF_URL, {"quarter": QUARTER, "district": records.north.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="quality-report-2024-01-north.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    assert "Quarterly quality report" in text
    assert "Northbridge, January to March 2024 (quarter 4 of 2023/24)" in text
    assert "2 QA forms were completed for 4 conferences held: 50.0%." in text
    assert "Escalations raised in the quarter, by theme" in text
    assert "How parents and carers answered the questionnaire" in text
    assert "Children aged over ten, by how they took part" in text
    assert "Official-Sensitive" in text
    used = fonts(tmp_path / "report.pdf")
    assert used and all(font["name"].startswith("Source-Sans-3") for font in used)
    assert all(font["emb"] == "yes" for font in used)  # the shipped font, embedded
    assert info(tmp_path / "report.pdf")["Title"].startswith(
        "Quarterly quality report: Northbridge"
    )


def test_the_whole_authority_pdf_has_the_districts(records, clients, tmp_path):
    response = clients[Role.AUDITOR].get(PDF_URL, {"quarter": QUARTER})
    assert response.status_code == 200
    assert (
        'filename="quality-report-2024-01-whole-authority.pdf"' in response["Content-Disposition"]
    )
    text = _pdf_text(response.content, tmp_path)
    assert "Each district's figures for the quarter" in text
    assert "Southmoor" in text


def test_the_page_links_to_its_pdf(records, clients):
    response = clients[Role.SENIOR_IRO].get(URL, {"quarter": QUARTER, "district": records.north.pk})
    assert response.context["pdf_url"] == f"{PDF_URL}?quarter={QUARTER}&district={records.north.pk}"
    assert "Download this report as a PDF" in _text(response)


@pytest.mark.parametrize(
    ("today", "start", "label"),
    [
        (
            dt.date(2024, 1, 2),
            dt.date(2023, 10, 1),
            "October to December 2023 (quarter 3 of 2023/24)",
        ),
        (dt.date(2024, 4, 1), dt.date(2024, 1, 1), "January to March 2024 (quarter 4 of 2023/24)"),
        (dt.date(2024, 6, 30), dt.date(2024, 1, 1), "January to March 2024 (quarter 4 of 2023/24)"),
        (dt.date(2024, 7, 1), dt.date(2024, 4, 1), "April to June 2024 (quarter 1 of 2024/25)"),
        (
            dt.date(2024, 12, 31),
            dt.date(2024, 7, 1),
            "July to September 2024 (quarter 2 of 2024/25)",
        ),
    ],
)
def test_the_last_complete_quarter(today, start, label):
    quarter = quarterly.last_complete_quarter(today)
    assert (quarter.start, quarter.label, quarter.is_complete) == (start, label, True)
    assert quarter.period.end == quarter.start + relativedelta(months=3) - dt.timedelta(days=1)
