"""Every timescale setting a generator or the census import reads is followed by every path
that stores a date from it: the demo, the Lancashire sample, the bench authority and the
census import each run with all the timescales changed (checks.CHANGES), and each stored
deadline is the rules' value for the changed settings, not the default's.

The timescales of the sample's own history (when Lancashire held its 2011/12 reviews) are the
sample's, so that it still reproduces the report; the deadlines it stores follow the settings.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from census.importer import import_census
from conferences import rules
from conferences.models import Conference, S47Enquiry, TransferIn
from devdata.bench.synthetic import Spec, build
from devdata.census_files import write_census
from devdata.demo.load import load_demo_data
from iro_service.dates import add_working_days

from . import checks

DEMO_TODAY = date(2025, 6, 30)
DEMO_SCALE = 0.1  # the smallest with adjourned reviews
BENCH = Spec(year=2025, years=2, scale=0.01, seed=7)  # with some of each record checked


@pytest.fixture
def timescales(settings) -> checks.Timescales:
    """All the timescales moved off their defaults for this test."""
    t = checks.Timescales(settings.IRO_TIMESCALES)
    settings.IRO_TIMESCALES = t.changed
    return t


@pytest.mark.django_db
def test_the_demo_stores_every_date_by_the_settings(timescales):
    load_demo_data(today=DEMO_TODAY, seed=2012, password="x", scale=DEMO_SCALE)

    checks.check_next_review_dates(timescales)
    checks.check_review_due_dates(timescales)
    checks.check_review_held_by(timescales)
    checks.check_initial_conference_targets(timescales)
    checks.check_paperwork(timescales)
    checks.check_report_share(timescales)
    checks.check_reconvene_by(timescales)
    checks.check_booking_dates(timescales, checks.booked_on_from_history())
    checks.check_escalations(timescales)
    checks.check_meeting_ends(timescales)
    checks.check_core_groups_and_visits(timescales)
    _check_transfers_in(timescales)
    _check_initial_conferences_held_by_their_target()


def _check_transfers_in(t: checks.Timescales) -> None:
    """TRANSFER_IN_WORKING_DAYS: each notice's target, and its conference's."""
    notices = list(TransferIn.objects.select_related("conference"))

    def due(notice, timescales):
        days = timescales["TRANSFER_IN_WORKING_DAYS"]
        return rules.transfer_in_due_by(notified_on=notice.notified_on, working_days=days)

    checks.follows(
        [n.conference_due_by for n in notices],
        [due(n, t.changed) for n in notices],
        [due(n, t.default) for n in notices],
        "transfer-in due",
    )
    assert all(n.conference.due_by == n.conference_due_by for n in notices)


def _check_initial_conferences_held_by_their_target() -> None:
    enquiries = S47Enquiry.objects.filter(initial_conference__isnull=False)
    pairs = [(e.initial_conference.due_by, e.initial_conference_due_by) for e in enquiries]
    assert pairs and all(due_by == target for due_by, target in pairs)


@pytest.mark.django_db
def test_the_lancashire_sample_stores_every_deadline_by_the_settings(timescales):
    call_command("load_sample", "lancashire-2011-12", stdout=StringIO())

    checks.check_next_review_dates(timescales)
    checks.check_review_due_dates(timescales)
    checks.check_review_held_by(timescales)
    checks.check_initial_conference_targets(timescales)
    checks.check_paperwork(timescales)
    checks.check_report_share(timescales)
    checks.check_reconvene_by(timescales)
    checks.check_escalations(timescales)


@pytest.mark.django_db
def test_the_bench_authority_stores_every_deadline_by_the_settings(timescales):
    build(BENCH)

    checks.check_next_review_dates(timescales)
    checks.check_review_due_dates(timescales)
    checks.check_review_held_by(timescales)
    checks.check_initial_conference_targets(timescales)
    checks.check_paperwork(timescales)
    checks.check_report_share(timescales)
    checks.check_reconvene_by(timescales)
    checks.check_escalations(timescales)
    checks.check_booking_dates(timescales, _bench_booked_on())


def _bench_booked_on() -> dict[int, date]:
    """The bench writes no history; its bookings are made as its docstrings say: an initial
    conference the working day after the strategy discussion, a review at the conference
    before (or the day the one it replaces was called off), a transfer-in on the last day;
    none after the authority's last day."""
    held = Conference.objects.filter(status=Conference.Status.HELD)
    booked_on = {}
    for c in Conference.objects.filter(status=Conference.Status.BOOKED):
        if c.rearranged_from_id and c.kind == Conference.Kind.REVIEW:
            on = c.rearranged_from.date
        elif c.kind == Conference.Kind.REVIEW:
            before = held.filter(household=c.household_id, date__lt=c.date)
            on = before.order_by("-date").values_list("date", flat=True).first()
        elif c.kind == Conference.Kind.TRANSFER_IN:
            on = BENCH.last_day
        else:
            enquiry = S47Enquiry.objects.filter(initial_conference=c).first()
            on = add_working_days(enquiry.strategy_discussion_on, 1)
        booked_on[c.pk] = min(on, BENCH.last_day)
    return booked_on


@pytest.mark.django_db
def test_the_census_import_stores_review_dates_and_discussions_by_the_settings(tmp_path, settings):
    """A census file (its InitialCPCtarget counted with the default 15 working days) imported
    where the settings say 20 working days and other review timescales."""
    path = tmp_path / "census.xml"
    write_census(path, children=150, year=2024, seed=7)
    t = checks.Timescales(settings.IRO_TIMESCALES)
    t.changed["INITIAL_CONFERENCE_WORKING_DAYS"] = 20
    settings.IRO_TIMESCALES = t.changed

    import_census([path])

    checks.check_next_review_dates(t)
    enquiries = list(S47Enquiry.objects.all())

    def discussed(enquiry, timescales):
        return rules.strategy_discussion_for_target(
            target=enquiry.initial_conference_due_by,
            started_on=enquiry.started_on,
            working_days=timescales["INITIAL_CONFERENCE_WORKING_DAYS"],
        )

    checks.follows(
        [e.strategy_discussion_on for e in enquiries],
        [discussed(e, t.changed) for e in enquiries],
        [discussed(e, t.default) for e in enquiries],
        "strategy discussion counted back from the target",
    )
