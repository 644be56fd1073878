"""Deriving a child's CIN census episodes from the service's records (census/episodes.py) and
the import's date rules (census/import_rules.py). Pure functions: no database."""

from datetime import date as D

from census.episodes import PlanFact, S47Fact, episodes_for_year
from census.import_rules import change_date, discussed_on
from census.importer import PlanRecord

START, REFERENCE = D(2023, 4, 1), D(2024, 3, 31)


def _plan(start, end=None, reason="", reviews=(), changes=(), initial="NEG", previous=None):
    return PlanFact(start, end, reason, initial, tuple(changes), tuple(reviews), previous)


def _s47(started, conference=None, not_required=False, target=None):
    return S47Fact(started, started, target, conference, not_required)


def _episodes(s47s=(), plans=(), conferences=()):
    return episodes_for_year(
        s47s=list(s47s),
        plans=list(plans),
        conferences=list(conferences),
        year_start=START,
        reference=REFERENCE,
    )


def test_an_enquiry_and_the_plan_its_conference_started_are_one_episode():
    (episode,) = _episodes(
        [_s47(D(2023, 5, 2), conference=D(2023, 5, 22))],
        [_plan(D(2023, 5, 22), reviews=[D(2023, 8, 14)])],
        [D(2023, 5, 22)],
    )
    assert episode.referral_on == D(2023, 5, 2) and episode.closed_on is None
    assert episode.conference_on is None  # recorded on the enquiry, not twice (rule 2884)
    assert episode.s47s[0].conference_on == D(2023, 5, 22)
    assert episode.plans[0].reviews == [D(2023, 8, 14)]


def test_an_enquiry_needing_no_conference_closes_its_episode_the_day_it_began():
    (episode,) = _episodes([_s47(D(2023, 9, 4), not_required=True)])
    assert (episode.closed_on, episode.closure_reason) == (D(2023, 9, 4), "RC7")
    assert episode.s47s[0].not_required


def test_an_enquiry_still_open_from_last_year_keeps_the_episode_open_without_the_module():
    (episode,) = _episodes([_s47(D(2023, 2, 1))])
    assert episode.closed_on is None and episode.s47s == []  # rule 8740


def test_the_previous_years_enquiry_is_left_out_but_its_plan_is_kept():
    (episode,) = _episodes(
        [_s47(D(2022, 9, 1), conference=D(2022, 9, 22))],
        [_plan(D(2022, 9, 22), end=D(2023, 6, 12), reason="died")],
    )
    assert episode.s47s == []  # its conference was before the year (rule 8715)
    assert (episode.closed_on, episode.closure_reason) == (D(2023, 6, 12), "RC2")
    assert episode.plans[0].end == D(2023, 6, 12)


def test_a_plan_without_an_enquiry_has_its_conference_at_cin_details_level():
    (episode,) = _episodes(plans=[_plan(D(2023, 10, 9))], conferences=[D(2023, 10, 9)])
    assert episode.conference_on == D(2023, 10, 9) and episode.s47s == []


def test_plans_apart_in_time_are_separate_episodes_and_the_second_is_a_repeat():
    first = _plan(D(2023, 4, 17), end=D(2023, 7, 10), reason="no_longer_at_risk")
    second = _plan(D(2023, 11, 20))
    episodes = _episodes(plans=[second, first])
    assert [e.referral_on for e in episodes] == [D(2023, 4, 17), D(2023, 11, 20)]
    assert [e.plans[0].previous_plans for e in episodes] == [0, 1]


def test_at_the_census_date_a_later_end_and_later_changes_are_not_yet_known():
    plan = _plan(
        D(2023, 5, 22),
        end=D(2024, 6, 3),
        reviews=[D(2023, 8, 14), D(2024, 6, 3)],
        changes=[(D(2023, 8, 14), "EMO"), (D(2024, 6, 3), "PHY")],
    )
    (episode,) = _episodes(plans=[plan])
    census_plan = episode.plans[0]
    assert (census_plan.end, census_plan.latest_category) == (None, "EMO")
    assert census_plan.reviews == [D(2023, 8, 14)] and episode.closed_on is None


def test_the_strategy_discussion_is_counted_back_from_the_target():
    # 15 working days: the coronation bank holiday (8 May 2023) is not one.
    assert discussed_on(target=D(2023, 5, 24), started=D(2023, 5, 2), working_days=15) == D(
        2023, 5, 2
    )
    # Never after the enquiry began; without a target, the day it began.
    assert discussed_on(target=D(2023, 5, 24), started=D(2023, 4, 20), working_days=15) == D(
        2023, 4, 20
    )
    assert discussed_on(target=None, started=D(2023, 4, 20), working_days=15) == D(2023, 4, 20)


def test_the_category_change_date():
    open_plan = PlanRecord(D(2023, 5, 22), None, "", "NEG", "SAB", 0, [], 1)
    ended = PlanRecord(D(2023, 5, 22), D(2023, 11, 13), "other", "NEG", "SAB", 0, [], 1)
    reviews = [D(2023, 8, 14), D(2023, 11, 13), D(2024, 2, 12), D(2024, 5, 13)]
    assert change_date(open_plan, reviews, REFERENCE) == D(2024, 2, 12)
    assert change_date(ended, reviews, REFERENCE) == D(2023, 11, 13)
    assert change_date(open_plan, [], REFERENCE) == D(2023, 5, 22)
