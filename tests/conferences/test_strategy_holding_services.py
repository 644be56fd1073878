"""Holding a strategy meeting and quality-assuring a decision not to convene: what the
services record, what they refuse, and that a refusal saves nothing."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from conferences import rules, selectors_strategy
from conferences.models import S47Enquiry, StrategyMeeting, StrategyMeetingAttendance
from conferences.services import strategy_holding
from people.models import Role

from ..factories import ChildFactory
from .test_strategy_holding_world import *  # noqa: F403 - its fixtures: clock, strategy
from .test_strategy_holding_world import (
    CONFERENCE_TARGET,
    LONDON,
    NOW,
    TODAY,
    book_meeting,
    hold_input,
    no_conference_decision,
    register,
)

pytestmark = pytest.mark.django_db


def hold(meeting, world, *, by=None, **changes):
    return strategy_holding.strategy_meeting_hold(
        meeting=meeting, by=by or world.users[Role.IRO], now=NOW, **hold_input(world, **changes)
    )


def snapshot(meeting) -> tuple:
    """Everything a hold writes, to show a refusal wrote none of it."""
    meeting.refresh_from_db()
    return (
        meeting.status,
        meeting.decisions,
        meeting.follow_up_on,
        meeting.held_recorded_at,
        meeting.history.count(),
        StrategyMeetingAttendance.objects.count(),
        S47Enquiry.objects.count(),
        S47Enquiry.history.count(),
    )


def test_holding_records_the_register_decisions_follow_up_and_each_childs_next_step(
    world, strategy
):
    meeting = strategy["meeting"]
    chair = world.users[Role.IRO]

    held = hold(meeting, world)

    held.refresh_from_db()
    assert held.status == StrategyMeeting.Status.HELD
    assert held.decisions == "Section 47 enquiry for Robin. Sky: no further action."
    assert held.follow_up_on == dt.date(2027, 1, 20)
    assert (held.held_recorded_at, held.held_recorded_by) == (NOW, chair)
    people = list(held.attendance.order_by("pk").values_list("name", "agency", "status"))
    assert people == [
        ("Jo Chair", "social_care", "attended"),
        ("PC Dale Moss", "police", "remote"),
        ("Dr Ann Lee", "gp", "apologies"),
    ]
    enquiry = S47Enquiry.objects.get(strategy_meeting=held)
    assert enquiry.child == world.child
    assert enquiry.strategy_discussion_on == enquiry.started_on == TODAY
    assert enquiry.outcome == S47Enquiry.Outcome.ONGOING
    assert enquiry.initial_conference_due_by == CONFERENCE_TARGET
    assert enquiry.initial_conference_due_by == rules.initial_conference_due_by(
        strategy_discussion_on=TODAY
    )
    steps = selectors_strategy.strategy_meeting_next_steps(held)
    assert steps == [(world.child, enquiry), (world.sibling, None)]  # Sky: no further action


def test_holding_keeps_history_of_every_record_it_writes(world, strategy):
    meeting = strategy["meeting"]
    chair = world.users[Role.IRO]

    hold(meeting, world)

    latest = meeting.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "held",
        chair,
        "Strategy meeting held",
    )
    assert meeting.history.filter(status="booked").exists()  # the booking is kept too
    for person in StrategyMeetingAttendance.objects.all():
        record = person.history.get()
        assert (record.history_user, record.history_change_reason) == (
            chair,
            "Strategy meeting attendance recorded",
        )
    enquiry = S47Enquiry.objects.get(strategy_meeting=meeting)
    assert enquiry.history.get().history_change_reason == "Section 47 enquiry recorded"


def test_the_senior_iro_may_hold_a_meeting_chaired_by_someone_else(world, strategy):
    senior = world.users[Role.SENIOR_IRO]
    held = hold(strategy["meeting"], world, by=senior)
    assert held.held_recorded_by == senior


def test_a_meeting_held_days_ago_is_recorded_with_its_own_date(world, strategy):
    earlier = book_meeting(
        world,
        starts_at=dt.datetime(2027, 1, 4, 14, 0, tzinfo=LONDON),
        now=dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON),
        children=[world.child],
    )
    held = hold(
        earlier,
        world,
        follow_up_on=dt.date(2027, 1, 4),  # the meeting's own day is allowed
        enquiries=[{"child": world.child, "decision": "start_enquiry"}],
    )
    enquiry = S47Enquiry.objects.get(strategy_meeting=held)
    assert enquiry.strategy_discussion_on == dt.date(2027, 1, 4)
    assert enquiry.initial_conference_due_by == dt.date(2027, 1, 25)


def test_no_further_action_for_every_child_starts_no_enquiry(world, strategy):
    before = S47Enquiry.objects.count()
    hold(
        strategy["meeting"],
        world,
        follow_up_on=None,
        enquiries=[
            {"child": world.child.pk, "decision": "no_further_action"},
            {"child": world.sibling.pk, "decision": "no_further_action"},
        ],
    )
    assert S47Enquiry.objects.count() == before
    assert strategy["meeting"].follow_up_on is None


BAD_INPUT = [
    (
        {"attendance": []},
        "attendance",
        "Add at least one person who took part, in person or remotely.",
    ),
    (
        {"attendance": register(("Jo Chair", "social_care", "apologies"))},
        "attendance",
        "Add at least one person who took part, in person or remotely.",
    ),
    (
        {
            "attendance": register(
                ("Jo Chair", "social_care", "attended"), (" ", "police", "remote")
            )
        },
        "attendance",
        "Enter the name of person 2.",
    ),
    (
        {"attendance": register(("Jo Chair", "council", "attended"))},
        "attendance",
        "Choose the agency of person 1.",
    ),
    (
        {"attendance": register(("Jo Chair", "social_care", "report_only"))},
        "attendance",
        "Choose how person 1 took part.",
    ),
    (
        {"attendance": register(("J" * 151, "social_care", "attended"))},
        "attendance",
        "The name of person 1 must be 150 characters or fewer.",
    ),
    ({"decisions": "  \n "}, "decisions", "Enter what the meeting decided."),
    (
        {"follow_up_on": dt.date(2027, 1, 5)},
        "follow_up_on",
        "The follow-up date cannot be before the meeting.",
    ),
    (
        {"enquiries": [{"child": "ROBIN", "decision": "start_enquiry"}]},
        "enquiries",
        "Choose what happens next for Sky Ashdown: a section 47 enquiry, or no further action.",
    ),
    (
        {
            "enquiries": [
                {"child": "ROBIN", "decision": "start_enquiry"},
                {"child": "SKY", "decision": "maybe"},
            ]
        },
        "enquiries",
        "Choose what happens next for Sky Ashdown.",
    ),
    (
        {
            "enquiries": [
                {"child": "ROBIN", "decision": "start_enquiry"},
                {"child": "ROBIN", "decision": "no_further_action"},
                {"child": "SKY", "decision": "no_further_action"},
            ]
        },
        "enquiries",
        "Give one decision for Robin Ashdown, not two.",
    ),
    (
        {
            "enquiries": [
                {"child": "ROBIN", "decision": "start_enquiry"},
                {"child": "SKY", "decision": "no_further_action"},
                {"child": "ELLIS", "decision": "start_enquiry"},
            ]
        },
        "enquiries",
        "One of the children given is not part of this strategy meeting.",
    ),
    (
        {
            "enquiries": [
                {"child": "ROBIN", "decision": "start_enquiry", "started_on": dt.date(2027, 1, 7)},
                {"child": "SKY", "decision": "no_further_action"},
            ]
        },
        "enquiries",
        "Robin Ashdown: The enquiry cannot start in the future.",
    ),
]


def _children_named(world, changes: dict) -> dict:
    named = {"ROBIN": world.child, "SKY": world.sibling, "ELLIS": world.south_child}
    if "enquiries" in changes:
        changes = {
            **changes,
            "enquiries": [{**e, "child": named[e["child"]]} for e in changes["enquiries"]],
        }
    return changes


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    world, strategy, changes, field, message
):
    meeting = strategy["meeting"]
    before = snapshot(meeting)

    with pytest.raises(ValidationError) as refused:
        hold(meeting, world, **_children_named(world, changes))

    assert message in refused.value.message_dict[field]
    assert snapshot(meeting) == before


def test_a_refusal_from_the_enquiry_rules_undoes_the_meeting_already_saved(world, strategy):
    """The enquiry's own rules are checked by its own service, after the meeting is saved:
    the whole hold is undone."""
    meeting = strategy["meeting"]
    before = snapshot(meeting)
    changes = _children_named(world, BAD_INPUT[-1][0])
    with pytest.raises(ValidationError):
        hold(meeting, world, **changes)
    assert snapshot(meeting) == before
    assert StrategyMeeting.objects.get(pk=meeting.pk).status == StrategyMeeting.Status.BOOKED


def test_a_meeting_in_the_future_cannot_be_held_yet(world, strategy):
    tomorrow = book_meeting(
        world,
        starts_at=dt.datetime(2027, 1, 7, 10, 0, tzinfo=LONDON),
        children=[world.child],
        chair=strategy["other_iro"],
    )
    before = snapshot(tomorrow)
    with pytest.raises(ValidationError) as refused:
        hold(tomorrow, world, enquiries=[{"child": world.child, "decision": "start_enquiry"}])
    assert refused.value.message_dict[NON_FIELD_ERRORS] == [
        "The meeting is on 7 January 2027: record it as held on that day or after."
    ]
    assert snapshot(tomorrow) == before


def test_holding_twice_is_refused_even_from_a_stale_copy(world, strategy):
    meeting = strategy["meeting"]
    stale = StrategyMeeting.objects.get(pk=meeting.pk)
    hold(meeting, world)
    after_first = snapshot(meeting)

    with pytest.raises(ValidationError) as refused:
        hold(stale, world, by=world.users[Role.SENIOR_IRO])

    assert refused.value.message_dict[NON_FIELD_ERRORS] == [
        "This strategy meeting has already been recorded as held."
    ]
    assert snapshot(meeting) == after_first
    assert S47Enquiry.objects.filter(strategy_meeting=meeting).count() == 1


def test_a_cancelled_meeting_cannot_be_held(world, strategy):
    from conferences.services import meetings

    meeting = meetings.strategy_meeting_cancel(
        meeting=strategy["meeting"],
        reason="no_longer_needed",
        note="",
        by=world.users[Role.BUSINESS_SUPPORT],
    )
    with pytest.raises(ValidationError) as refused:
        hold(meeting, world)
    assert "was cancelled" in refused.value.messages[0]
    assert StrategyMeetingAttendance.objects.count() == 0


def test_a_child_with_an_enquiry_from_the_meeting_needs_no_decision(world, strategy):
    from conferences.services import meetings

    meeting = strategy["meeting"]
    meetings.s47_enquiry_record(
        by=world.users[Role.BUSINESS_SUPPORT],
        child=world.child,
        strategy_discussion_on=TODAY,
        started_on=TODAY,
        today=TODAY,
        strategy_meeting=meeting,
    )
    with pytest.raises(ValidationError) as refused:
        hold(meeting, world)  # asks to start Robin's a second time
    assert refused.value.message_dict["enquiries"] == [
        "Robin Ashdown already has a section 47 enquiry from this meeting."
    ]
    hold(meeting, world, enquiries=[{"child": world.sibling, "decision": "no_further_action"}])
    assert S47Enquiry.objects.filter(strategy_meeting=meeting).count() == 1


# -- decisions not to convene -----------------------------------------------------------------


def test_the_list_to_review_is_oldest_first_and_a_district_manager_sees_their_district(
    world, strategy
):
    later = no_conference_decision(
        world, ChildFactory(household=world.child.household), discussion=dt.date(2026, 12, 20)
    )
    other = no_conference_decision(world, world.sibling)
    S47Enquiry.objects.filter(pk=other.pk).update(outcome=S47Enquiry.Outcome.NO_HARM)
    senior = world.users[Role.SENIOR_IRO]

    listed = list(selectors_strategy.no_conference_decisions_to_review(senior))

    assert listed == [strategy["south"], strategy["north"], later]
    manager = world.users[Role.DISTRICT_MANAGER]
    assert list(selectors_strategy.no_conference_decisions_to_review(manager)) == [
        strategy["north"],
        later,
    ]
    outsider = world.users["other_district_manager"]
    assert list(selectors_strategy.no_conference_decisions_to_review(outsider)) == [
        strategy["south"]
    ]


def test_agreeing_records_the_reviewer_and_note_with_history(world, strategy):
    iro = world.users[Role.IRO]
    reviewed = strategy_holding.no_conference_review(
        enquiry=strategy["north"], note="Thorough enquiry; CIN plan fits.", agrees=True, by=iro
    )
    reviewed.refresh_from_db()
    assert reviewed.no_conference_reviewed_by == iro
    assert reviewed.no_conference_review_note == (
        "Agreed with the decision not to convene.\n\nThorough enquiry; CIN plan fits."
    )
    assert strategy_holding.review_agreed(reviewed) is True
    record = reviewed.history.order_by("-history_date", "-history_id").first()
    assert (record.history_user, record.history_change_reason) == (
        iro,
        "Decision not to convene quality-assured: agreed",
    )
    assert reviewed.history.count() == 3  # recorded, decided, quality-assured
    senior = world.users[Role.SENIOR_IRO]
    assert list(selectors_strategy.no_conference_decisions_to_review(senior)) == [strategy["south"]]


def test_disagreeing_records_the_note_and_says_an_escalation_is_needed(world, strategy):
    reviewed = strategy_holding.no_conference_review(
        enquiry=strategy["south"],
        note="Harm was found; a conference should be held.",
        agrees=False,
        by=world.users[Role.SENIOR_IRO],
    )
    assert reviewed.no_conference_review_note.startswith(
        "Disagreed with the decision not to convene: an escalation should be raised."
    )
    assert strategy_holding.review_agreed(reviewed) is False
    assert reviewed.history.first().history_change_reason == (
        "Decision not to convene quality-assured: disagreed, an escalation to be raised"
    )


@pytest.mark.parametrize(
    ("note", "agrees", "field", "message"),
    [
        ("   ", True, "note", "Enter your note on the decision."),
        ("Fine.", None, "agrees", "Say whether you agree with the decision."),
    ],
)
def test_a_review_without_a_note_or_a_verdict_saves_nothing(
    world, strategy, note, agrees, field, message
):
    enquiry = strategy["north"]
    before = enquiry.history.count()
    with pytest.raises(ValidationError) as refused:
        strategy_holding.no_conference_review(
            enquiry=enquiry, note=note, agrees=agrees, by=world.users[Role.IRO]
        )
    assert refused.value.message_dict[field] == [message]
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by is None and enquiry.no_conference_review_note == ""
    assert enquiry.history.count() == before


def test_a_decision_is_quality_assured_once(world, strategy):
    enquiry = strategy["north"]
    strategy_holding.no_conference_review(
        enquiry=enquiry, note="Agreed.", agrees=True, by=world.users[Role.IRO]
    )
    with pytest.raises(ValidationError) as refused:
        strategy_holding.no_conference_review(
            enquiry=enquiry, note="Second go.", agrees=False, by=strategy["other_iro"]
        )
    assert refused.value.messages == ["This decision has already been quality-assured."]
    enquiry.refresh_from_db()
    assert enquiry.no_conference_reviewed_by == world.users[Role.IRO]


def test_only_a_decision_not_to_convene_after_harm_is_quality_assured(world, strategy):
    from conferences.services import meetings

    enquiry = meetings.s47_enquiry_record(
        by=world.users[Role.BUSINESS_SUPPORT],
        child=world.sibling,
        strategy_discussion_on=TODAY,
        started_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        strategy_holding.no_conference_review(
            enquiry=enquiry, note="n/a", agrees=True, by=world.users[Role.IRO]
        )
    assert "nothing to quality-assure" in refused.value.messages[0]
