"""The generators invent a chair's QA form from the one question list (issue 11,
quality-assurance.md): every question answered in its own kind, "not applicable" where it is
not asked, answers worked out from the record kept, and a question nobody says how to invent
refused. The demo's, the bench authority's and the Lancashire sample's forms are valid."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conferences.models import Attendance, Conference
from devdata.bench.loader import Loader
from devdata.bench.synthetic import Authority, Kid, Spec
from devdata.demo.base import Demo
from devdata.demo.bookings import Booking
from devdata.demo.quality import _qa_form as demo_qa_form
from devdata.qa_answers import QAAnswersError, qa_answers
from devdata.samples.lancashire.quality import _form as lancashire_form
from quality_assurance.models import QAForm, YesNoNA
from quality_assurance.questions import (
    ALL,
    BOOLEAN,
    CHOICE,
    INITIAL,
    QA_BY_FIELD,
    QA_QUESTIONS,
    REVIEW,
    YES_NO_NA,
)
from tests.factories import ChildFactory, ConferenceFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
FIELDS = [q.field for q in QA_QUESTIONS]


def _choices(field: str) -> list[str]:
    return [value for value, _ in QAForm._meta.get_field(field).choices]


def _even_shares() -> dict:
    """A share for every question: even odds, every answer of a choice equally likely."""
    return {
        q.field: {choice: 1 for choice in _choices(q.field)} if q.kind == CHOICE else 0.5
        for q in QA_QUESTIONS
    }


def _yes_shares() -> dict:
    """Every yes / no question answered yes; each choice question its first answer."""
    return {q.field: {_choices(q.field)[0]: 1} if q.kind == CHOICE else 1.0 for q in QA_QUESTIONS}


def _asked(question, initial: bool) -> bool:
    return question.applies_to == ALL or (question.applies_to == INITIAL) == initial


@pytest.mark.parametrize("initial", [True, False], ids=["initial", "review"])
def test_every_question_gets_an_answer_of_its_kind(initial):
    kinds_seen = set()
    for seed in range(40):
        answers = qa_answers(random.Random(seed), _even_shares(), initial=initial)

        assert list(answers) == FIELDS
        for question in QA_QUESTIONS:
            value = answers[question.field]
            if not _asked(question, initial):
                continue
            kinds_seen.add(question.kind)
            if question.kind == YES_NO_NA:
                assert value in ("yes", "no"), question.field
            elif question.kind == BOOLEAN:
                assert isinstance(value, bool), question.field
            else:
                assert value in _choices(question.field), question.field
    assert kinds_seen == {YES_NO_NA, BOOLEAN, CHOICE}


def test_both_answers_come_up_and_the_shares_set_how_often():
    draws = [
        qa_answers(random.Random(seed), _even_shares() | {"plan_copy_given": 0.9}, initial=True)
        for seed in range(600)
    ]
    copies = sum(a["plan_copy_given"] == "yes" for a in draws) / len(draws)
    impact = sum(a["report_analyses_impact"] for a in draws) / len(draws)
    qualities = {a["report_quality"] for a in draws}

    assert 0.85 < copies < 0.95
    assert 0.4 < impact < 0.6
    assert qualities == set(_choices("report_quality"))


@pytest.mark.parametrize("initial", [True, False], ids=["initial", "review"])
def test_a_question_not_asked_at_the_conference_is_not_applicable(initial):
    answers = qa_answers(random.Random(1), _yes_shares(), initial=initial)

    not_asked = [q for q in QA_QUESTIONS if not _asked(q, initial)]
    assert not_asked
    for question in not_asked:
        assert answers[question.field] == YesNoNA.NOT_APPLICABLE
    for question in QA_QUESTIONS:
        if _asked(question, initial) and question.kind == YES_NO_NA:
            assert answers[question.field] == "yes"


def test_initial_and_review_questions_are_the_question_lists():
    initial = qa_answers(random.Random(2), _yes_shares(), initial=True)
    review = qa_answers(random.Random(2), _yes_shares(), initial=False)

    assert {f for f in FIELDS if initial[f] == "na"} == {
        q.field for q in QA_QUESTIONS if q.applies_to == REVIEW
    }
    assert {f for f in FIELDS if review[f] == "na"} == {
        q.field for q in QA_QUESTIONS if q.applies_to == INITIAL
    }


def test_a_known_answer_is_kept_as_it_is():
    known = {
        "held_within_timescale": "no",
        "report_shared_in_time": "na",
        "parents_attended": True,
        "report_quality": "inadequate",
        "escalation_needed": False,
    }
    for seed in range(20):
        answers = qa_answers(random.Random(seed), _yes_shares(), initial=True, known=known)

        assert {field: answers[field] for field in known} == known
        assert answers["plan_copy_given"] == "yes"


def test_parents_who_did_not_attend_made_no_contribution():
    shares = _yes_shares() | {"parent_contribution": {"active": 1}}

    absent = qa_answers(random.Random(3), shares, initial=False, known={"parents_attended": False})
    present = qa_answers(random.Random(3), shares, initial=False, known={"parents_attended": True})

    assert absent["parent_contribution"] == "none"
    assert present["parent_contribution"] == "active"
    with pytest.raises(QAAnswersError, match="did not attend"):
        qa_answers(
            random.Random(3),
            shares,
            initial=False,
            known={"parents_attended": False, "parent_contribution": "active"},
        )


def test_a_drawn_no_to_attending_also_means_no_contribution():
    shares = _yes_shares() | {"parents_attended": 0.0, "parent_contribution": {"active": 1}}

    answers = qa_answers(random.Random(4), shares, initial=True)

    assert answers["parents_attended"] is False
    assert answers["parent_contribution"] == "none"


@pytest.mark.parametrize("field", FIELDS)
def test_a_question_with_no_share_and_no_known_answer_is_refused(field):
    shares = _even_shares()
    del shares[field]
    question = QA_BY_FIELD[field]
    # Asked at some conference: an initial one unless it is a review question.
    initial = question.applies_to != REVIEW
    if field == "parent_contribution":
        known = {"parents_attended": True}
    else:
        known = {}

    with pytest.raises(QAAnswersError, match=f"No share and no known answer .*{field}"):
        qa_answers(random.Random(5), shares, initial=initial, known=known)

    if question.applies_to != ALL:  # not asked at the other kind: nothing to invent there
        answers = qa_answers(random.Random(5), shares, initial=not initial, known=known)
        assert answers[field] == "na"


def test_a_question_passed_as_known_needs_no_share():
    shares = _even_shares()
    del shares["report_shared_in_time"]

    answers = qa_answers(
        random.Random(6), shares, initial=True, known={"report_shared_in_time": "yes"}
    )

    assert answers["report_shared_in_time"] == "yes"


@pytest.mark.parametrize(
    ("shares", "known", "message"),
    [
        ({"report_qualty": {"good": 1}}, {}, "not a question on the QA form"),
        ({}, {"parents_came": True}, "not a question on the QA form"),
        ({"plan_copy_given": 1.5}, {}, "chance of yes, from 0 to 1"),
        ({"plan_copy_given": True}, {}, "chance of yes, from 0 to 1"),
        ({"report_analyses_impact": {"yes": 1}}, {}, "chance of yes"),
        ({"report_quality": 0.5}, {}, "give weights to its answers"),
        ({"report_quality": {"excellent": 1}}, {}, "must be for its answers"),
        ({"report_quality": {"good": 0}}, {}, "not all nought"),
        ({}, {"plan_copy_given": True}, "is not one of"),
        ({}, {"parents_attended": "yes"}, "is not one of"),
        ({}, {"report_quality": "excellent"}, "is not one of"),
        ({}, {"assessment_updated": "yes"}, "not asked at this kind of conference"),
    ],
)
def test_shares_and_known_answers_that_do_not_fit_are_refused(shares, known, message):
    with pytest.raises(QAAnswersError, match=message):
        qa_answers(random.Random(7), _even_shares() | shares, initial=True, known=known)


def test_the_same_seed_gives_the_same_answers():
    first = [qa_answers(random.Random(8), _even_shares(), initial=False) for _ in range(3)]

    assert first[0] == first[1] == first[2]


# --- The three generators' forms ----------------------------------------------------------


def _conference(kind: str) -> Conference:
    chair = UserFactory()
    starts = datetime(2024, 1, 10, 10, 0, tzinfo=LONDON)
    return ConferenceFactory(
        kind=kind,
        chair=chair,
        scheduled_for=starts,
        ends_at=starts + timedelta(hours=2),
        report_share_due_by=starts - timedelta(hours=48),
        report_shared_at=starts - timedelta(hours=50),
    )


def _valid(form: QAForm) -> None:
    form.full_clean()
    for question in QA_QUESTIONS:
        value = getattr(form, question.field)
        if question.applies(form.conference):
            assert value not in ("", None), question.field
        elif question.kind == YES_NO_NA:
            assert value == "na", question.field


KINDS = [Conference.Kind.INITIAL, Conference.Kind.REVIEW, Conference.Kind.TRANSFER_IN]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_lancashire_sample_form_is_valid_and_keeps_its_targeted_answers(kind):
    conference = _conference(kind)
    late = {id(conference): False}

    for seed, shared, parents in [(1, True, True), (2, False, False), (3, True, False)]:
        form = lancashire_form(random.Random(seed), conference, shared, parents, late)

        _valid(form)
        assert form.report_shared_in_time == ("yes" if shared else "no")
        assert form.parents_attended is parents
        if not parents:
            assert form.parent_contribution == "none"
        expected = "no" if conference.is_initial else "na"
        assert form.held_within_timescale == expected
        if conference.is_initial:
            assert form.s47_completed_before_conference == "yes"  # every one, in the sample
        assert bool(form.good_practice_note) == form.good_practice_observed


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_demo_form_is_valid_and_takes_the_record_s_answers(kind):
    conference = _conference(kind)
    for seed, parents in [(1, True), (2, False), (3, True)]:
        status = Attendance.Status.ATTENDED if parents else Attendance.Status.DID_NOT_ATTEND
        booking = Booking(
            conference=conference,
            rows=[],
            booked_at=conference.scheduled_for - timedelta(days=10),
            attendance=[
                Attendance(conference=conference, agency=Attendance.Agency.FAMILY, status=status)
            ],
        )
        demo = Demo(rng=random.Random(seed), today=date(2024, 3, 1))

        form = demo_qa_form(demo, booking)

        _valid(form)
        assert form.parents_attended is parents
        assert form.report_shared_in_time == "yes"  # shared 50 hours before, due 48
        assert form.held_within_timescale == "na"  # no enquiry to time it from
        assert bool(form.good_practice_note) == form.good_practice_observed


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_bench_form_is_valid(kind):
    conference = _conference(kind)
    child = ChildFactory()
    kid = Kid(
        id=child.id,
        district_id=child.district_id,
        born=child.date_of_birth,
        due=child.date_of_birth,
    )
    spec = Spec(year=2024, years=1, scale=0.01, seed=9)
    loader = Loader(now=datetime(2024, 3, 31, 18, tzinfo=LONDON))
    authority = Authority(spec, loader)

    authority.records.qa_form(
        conference.id, conference.date, conference.chair_id, kid, conference.is_initial
    )

    table = loader[QAForm]
    assert len(table.rows) == 1
    form = QAForm(**dict(zip(table.attnames, table.rows[0], strict=True)))
    _valid(form)
