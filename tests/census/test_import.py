"""Importing CIN census files: what becomes which record, idempotency, the newer file winning,
refusing malformed files whole, the category-change rule, NI 65 repeats, bounded memory."""

import io
import json
import tracemalloc
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from census.importer import CensusRefused, import_census, iter_child_elements
from census.models import CensusImport, ChildCensusSource
from children.models import Child, Household
from conferences.models import Conference, ConferenceChild, S47Enquiry
from devdata.census_files import write_census
from people.models import District
from plans.models import CategoryChange, ChildProtectionPlan
from reporting.metrics import Period, plans

from ..factories import ChildFactory, HouseholdFactory, PlanFactory
from .builders import census, child, episode, line_of, plan, s47, write

A_CHILD = child(
    "C100",
    episode(
        "2023-05-02",
        s47("2023-05-02", target="2023-05-24", conference="2023-05-22"),
        plan("2023-05-22", initial="NEG", reviews=["2023-08-14", "2024-02-12"]),
    ),
)


def _counts() -> dict:
    models = (Child, Household, S47Enquiry, Conference, ConferenceChild, ChildProtectionPlan)
    return {model.__name__: model.objects.count() for model in (*models, CategoryChange)}


@pytest.mark.django_db
def test_a_child_with_an_enquiry_initial_conference_plan_and_reviews(tmp_path):
    summary = import_census([write(tmp_path, "cin.xml", census(2024, A_CHILD))])

    kid = Child.objects.get(local_id="C100")
    assert (kid.date_of_birth, kid.gender, kid.ethnicity, kid.disabilities) == (
        date(2015, 6, 1),
        "1",
        "WBRI",
        ["NONE"],
    )
    assert kid.district.name == "Not recorded"
    assert kid.household.reference == "CIN-C100" and kid.household.district == kid.district
    enquiry = S47Enquiry.objects.get(child=kid)
    assert enquiry.started_on == date(2023, 5, 2)
    assert enquiry.outcome == S47Enquiry.Outcome.CONFERENCE
    assert enquiry.initial_conference_due_by == date(2023, 5, 24)  # 8 May: a bank holiday
    # The target is 15 working days after the strategy discussion: counted back.
    assert enquiry.strategy_discussion_on == date(2023, 5, 2)
    initial = enquiry.initial_conference
    assert (initial.kind, initial.status, initial.date) == ("initial", "held", date(2023, 5, 22))
    the_plan = ChildProtectionPlan.objects.get(child=kid)
    assert the_plan.initial_conference == initial
    assert the_plan.next_review_due_by == date(2024, 8, 12)
    outcome = ConferenceChild.objects.get(conference=initial, child=kid)
    assert (outcome.outcome, outcome.category) == ("plan_started", "NEG")
    reviews = ConferenceChild.objects.filter(child=kid, conference__kind="review")
    assert sorted(r.conference.date for r in reviews) == [date(2023, 8, 14), date(2024, 2, 12)]
    assert {r.conference.status for r in reviews} == {"held"}
    assert summary.children.created == 1 and summary.conferences.created == 3
    assert CensusImport.objects.get().collection_year == 2024
    # Created records keep their history, like any other.
    assert kid.history.count() == 1 and the_plan.history.count() == 1


@pytest.mark.django_db
def test_children_go_to_the_district_named_which_is_created_if_missing(tmp_path):
    path = write(tmp_path, "cin.xml", census(2024, A_CHILD, child("C101", episode())))
    import_census([path], district_name="Wyre")
    assert set(Child.objects.values_list("district__name", flat=True)) == {"Wyre"}
    assert District.objects.filter(name="Wyre").count() == 1
    assert Household.objects.filter(reference__in=["CIN-C100", "CIN-C101"]).count() == 2


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, "cin.xml", census(2024, A_CHILD))
    import_census([path])
    counts = _counts()
    summary = import_census([path])
    assert _counts() == counts
    assert summary.children.created == summary.children.updated == 0
    assert summary.plans.created == summary.plans.updated == 0
    assert summary.conferences.created == 0 and summary.conferences.unchanged == 3


def _two_years(tmp_path):
    older = census(
        2023,
        child(
            "C200",
            episode(
                "2022-10-03",
                s47("2022-10-03", target="2022-10-24", conference="2022-10-21"),
                plan("2022-10-21", initial="NEG", reviews=["2023-01-16"]),
            ),
            ethnicity="WBRI",
        ),
    )
    newer = census(
        2024,
        child(
            "C200",
            episode(
                "2022-10-03",
                plan(
                    "2022-10-21",
                    end="2023-10-02",
                    initial="NEG",
                    latest="EMO",
                    reviews=["2023-01-16", "2023-07-10", "2023-10-02"],
                ),
                closed="2023-10-02",
                reason="RC7",
            ),
            ethnicity="WIRI",
        ),
    )
    return write(tmp_path, "2023.xml", older), write(tmp_path, "2024.xml", newer)


def _assert_newer_values() -> None:
    kid = Child.objects.get(local_id="C200")
    assert kid.ethnicity == "WIRI"
    the_plan = ChildProtectionPlan.objects.get(child=kid)
    assert (the_plan.end_date, the_plan.latest_category) == (date(2023, 10, 2), "EMO")
    assert ChildCensusSource.objects.get(child=kid).reference_date == date(2024, 3, 31)
    reviews = ConferenceChild.objects.filter(child=kid, conference__kind="review")
    assert reviews.count() == 3
    assert reviews.get(conference__date=date(2023, 10, 2)).outcome == "plan_ceased"


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["older_first", "newer_first", "one_command"])
def test_overlapping_years_leave_one_child_one_plan_and_the_newer_values(tmp_path, order):
    older, newer = _two_years(tmp_path)
    if order == "older_first":
        import_census([older])
        import_census([newer])
    elif order == "newer_first":
        import_census([newer])
        import_census([older])
    else:
        import_census([newer, older])  # read in the order of their reference dates
    assert Child.objects.count() == 1
    assert ChildProtectionPlan.objects.count() == 1
    _assert_newer_values()


def _malformed(text: str, fragment: str, replacement: str) -> str:
    assert fragment in text
    return text.replace(fragment, replacement, 1)


GOOD = census(2024, A_CHILD, child("C101", episode("2023-06-01")))
MALFORMED = {
    "bad date": (
        _malformed(GOOD, "<CPPstartDate>2023-05-22", "<CPPstartDate>2023-02-30"),
        "C100",
        "CPPstartDate",
        "<CPPstartDate>",
        "not a date",
    ),
    "unknown category": (
        _malformed(GOOD, "<InitialCategoryOfAbuse>NEG", "<InitialCategoryOfAbuse>XYZ"),
        "C100",
        "InitialCategoryOfAbuse",
        "<InitialCategoryOfAbuse>",
        "not a known code",
    ),
    "missing child ID": (
        _malformed(GOOD, "        <LAchildID>C101</LAchildID>\n", ""),
        "",
        "LAchildID",
        "<ChildIdentifiers>",
        "missing",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", [*MALFORMED, "truncated"])
def test_a_malformed_file_is_refused_whole_and_nothing_changes(tmp_path, case):
    import_census(
        [write(tmp_path, "earlier.xml", census(2023, child("C900", episode("2022-06-01"))))]
    )
    before = _counts()
    if case == "truncated":
        text = GOOD[: GOOD.index("<CPPreviewDate>2024-02-12") + len("<CPPreviewDate>2024-02")]
        child_id, element, reason = "C100", "CPPreviewDate", "ends too soon"
        line = len(text.splitlines())
    else:
        text, child_id, element, where, reason = MALFORMED[case]
        line = line_of(text, where, 2 if case == "missing child ID" else 1)
    path = write(tmp_path, "bad.xml", text)

    with pytest.raises(CensusRefused) as refused:
        import_census([path])

    issues = refused.value.issues
    assert any(
        i.child_id == child_id and i.element == element and i.line == line and reason in i.reason
        for i in issues
    ), [str(i) for i in issues]
    assert "bad.xml" in str(issues[0])
    assert _counts() == before
    assert not Child.objects.filter(local_id__in=["C100", "C101"]).exists()
    assert CensusImport.objects.count() == 1


ELEMENT_ERRORS = [
    (
        "<NumberOfPreviousCPP>0",
        "<NumberOfPreviousCPP>-1",
        "C100",
        "NumberOfPreviousCPP",
        "whole number",
    ),
    ("<GenderCurrent>1", "<GenderCurrent>3", "C100", "GenderCurrent", "not a known code"),
    (
        "<CPPstartDate>2023-05-22</CPPstartDate>",
        "<CPPstartDate>2023-05-22</CPPstartDate><Colour>red</Colour>",
        "C100",
        "Colour",
        "not a CIN census element inside <ChildProtectionPlans>",
    ),
    (
        "<CPPstartDate>2023-05-22</CPPstartDate>",
        "<CPPstartDate>2023-05-22</CPPstartDate><CPPstartDate>2023-05-23</CPPstartDate>",
        "C100",
        "CPPstartDate",
        "more than once",
    ),
    (
        "<CPPreviewDate>2023-08-14",
        "<CPPreviewDate>2023-05-01",
        "C100",
        "CPPreviewDate",
        "not within the plan",
    ),
    (
        "<DateOfInitialCPC>2023-05-22",
        "<DateOfInitialCPC>2023-04-03",
        "C100",
        "DateOfInitialCPC",
        "before the enquiry began",
    ),
    ("<ReferralNFA>0", "<ReferralNFA>maybe", "C100", "ReferralNFA", "not 1, 0, true or false"),
    (
        "<ReferenceDate>2024-03-31",
        "<ReferenceDate>2024-04-01",
        "",
        "ReferenceDate",
        "must be 31 March 2024",
    ),
    (
        "  <Children>",
        "  <Extra/>\n  <Children>",
        "",
        "Extra",
        "not a CIN census element inside <Message>",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fragment", "replacement", "child_id", "element", "reason"), ELEMENT_ERRORS
)
def test_every_element_is_checked(tmp_path, fragment, replacement, child_id, element, reason):
    text = _malformed(GOOD, fragment, replacement)
    with pytest.raises(CensusRefused) as refused:
        import_census([write(tmp_path, "bad.xml", text)])
    assert any(
        i.child_id == child_id and i.element == element and reason in i.reason
        for i in refused.value.issues
    ), [str(i) for i in refused.value.issues]
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_broken_xml_near_the_start_still_names_the_child(tmp_path):
    text = _malformed(GOOD, "</CPPstartDate>", "</CPPstart>")
    with pytest.raises(CensusRefused) as refused:
        import_census([write(tmp_path, "bad.xml", text)])
    (issue,) = refused.value.issues
    assert (issue.child_id, issue.element, issue.line) == (
        "C100",
        "CPPstartDate",
        line_of(text, "<CPPstartDate>"),
    )
    assert "not well formed" in issue.reason


@pytest.mark.django_db
def test_a_bad_file_among_good_ones_refuses_them_all(tmp_path):
    good = write(tmp_path, "good.xml", census(2023, child("C300", episode("2022-06-01"))))
    bad = write(tmp_path, "bad.xml", MALFORMED["bad date"][0])
    with pytest.raises(CensusRefused):
        import_census([good, bad])
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_the_command_prints_each_error_on_its_own_line_and_fails(tmp_path):
    text = _malformed(MALFORMED["bad date"][0], "<Ethnicity>WBRI", "<Ethnicity>ZZZZ")
    path = write(tmp_path, "bad.xml", text)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_cin_census", str(path), stderr=stderr)
    lines = stderr.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert f"line {line_of(text, '<Ethnicity>ZZZZ')}: child C100: <Ethnicity>" in lines[0]
    assert "<CPPstartDate> '2023-02-30' is not a date" in lines[1]
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_the_command_prints_a_summary(tmp_path):
    stdout = io.StringIO()
    path = write(tmp_path, "cin.xml", census(2024, A_CHILD))
    call_command("import_cin_census", str(path), "--district", "Fylde", stdout=stdout)
    out = stdout.getvalue()
    assert "Children: 1 created, 0 updated, 0 unchanged" in out
    assert "Child protection plans: 1 created" in out
    assert "Conferences: 3 created" in out


@pytest.mark.django_db
def test_an_open_plan_that_would_be_a_second_one_is_refused(tmp_path):
    kid = ChildFactory(local_id="C400")
    PlanFactory(child=kid, start_date=date(2023, 1, 10))
    text = census(2024, child("C400", episode("2023-04-03", plan("2023-04-24"))))
    with pytest.raises(CensusRefused) as refused:
        import_census([write(tmp_path, "cin.xml", text)])
    (issue,) = refused.value.issues
    assert issue.child_id == "C400" and "more than one open plan" in issue.reason
    assert ChildProtectionPlan.objects.count() == 1


@pytest.mark.django_db
def test_a_known_childs_name_household_and_district_are_kept(tmp_path):
    household = HouseholdFactory(reference="H-1")
    kid = ChildFactory(local_id="C100", first_name="Robin", household=household, upn="")
    import_census([write(tmp_path, "cin.xml", census(2024, A_CHILD))])
    kid.refresh_from_db()
    assert (kid.first_name, kid.household, kid.district) == ("Robin", household, household.district)
    assert Conference.objects.filter(household=household).count() == 3
    assert kid.history.first().history_type == "~"


@pytest.mark.django_db
def test_an_invalid_upn_is_not_stored_and_is_reported(tmp_path):
    text = census(2024, child("C100", episode(), upn="A123456789123"))
    summary = import_census([write(tmp_path, "cin.xml", text)])
    assert Child.objects.get().upn == ""
    assert "UPN 'A123456789123' not stored" in summary.warnings[0]


@pytest.mark.django_db
def test_enquiries_keep_their_start_and_whether_a_conference_was_required(tmp_path):
    text = census(
        2024,
        child(
            "C500",
            episode(
                "2023-09-04",
                s47("2023-09-04", not_required=True),
                closed="2023-09-04",
                reason="RC7",
            ),
        ),
        child("C501", episode("2024-03-20", s47("2024-03-20"))),
    )
    import_census([write(tmp_path, "cin.xml", text)])
    done = S47Enquiry.objects.get(child__local_id="C500")
    ongoing = S47Enquiry.objects.get(child__local_id="C501")
    assert (done.started_on, done.outcome) == (date(2023, 9, 4), "no_harm")
    assert (ongoing.started_on, ongoing.outcome) == (date(2024, 3, 20), "ongoing")
    assert ongoing.initial_conference_due_by == date(2024, 4, 12)  # Easter: 29 March, 1 April
    assert not Conference.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "reviews", "changed_on"),
    [
        (None, ["2023-08-14", "2024-02-12"], date(2024, 2, 12)),  # last review by 31 March
        ("2023-11-13", ["2023-08-14", "2023-11-13"], date(2023, 11, 13)),  # last by its end
        (None, [], date(2023, 5, 22)),  # no review: its start
    ],
)
def test_a_latest_category_that_differs_is_a_change_at_the_last_review(
    tmp_path, end, reviews, changed_on
):
    the_plan = plan("2023-05-22", end=end, initial="NEG", latest="SAB", reviews=reviews)
    text = census(2024, child("C600", episode("2023-05-02", the_plan)))
    import_census([write(tmp_path, "cin.xml", text)])
    imported = ChildProtectionPlan.objects.get()
    change = CategoryChange.objects.get(plan=imported)
    assert (change.changed_on, change.from_category, change.to_category) == (
        changed_on,
        "NEG",
        "SAB",
    )
    assert (imported.initial_category, imported.latest_category) == ("NEG", "SAB")
    # The plan has its latest category at the census date, or at its end...
    at = date.fromisoformat(end) if end else date(2024, 3, 31)
    then = ChildProtectionPlan.objects.annotate(category=plans.category_on(at)).get()
    assert then.category == "SAB"
    # ...and its initial one before the change.
    if changed_on > imported.start_date:
        before = changed_on - date.resolution
        earlier = ChildProtectionPlan.objects.annotate(category=plans.category_on(before)).get()
        assert earlier.category == "NEG"


@pytest.mark.django_db
def test_previous_plans_make_ni65_count_a_repeat(tmp_path):
    text = census(
        2024,
        child("C700", episode("2023-05-02", plan("2023-05-22", previous=2))),
        child("C701", episode("2023-06-01", plan("2023-06-20", previous=0))),
    )
    import_census([write(tmp_path, "cin.xml", text)])
    assert plans.ni65(period=Period.year(2024)) == {
        "numerator": 1,
        "denominator": 2,
        "percent": 50.0,
    }
    out = io.StringIO()
    call_command("compute_indicators", "--year", "2024", "--json", stdout=out)
    assert json.loads(out.getvalue())["ni65"]["numerator"] == 1


def test_the_reader_keeps_only_the_current_child_in_the_tree(tmp_path):
    path = tmp_path / "big.xml"
    write_census(path, children=300, seed=1)
    issues, seen = [], 0
    with open(path, "rb") as handle:
        for element in iter_child_elements(handle, "big.xml", issues):
            children = element.getparent()
            # Earlier children are gone; only what the parser has read ahead is there.
            assert element.getprevious() is None
            assert len(children) < 60
            assert element.getroottree().getroot().index(children) == 1  # Header, Children
            seen += 1
    assert seen == 300 and not issues


def _peak_mb(path, batch_size: int) -> float:
    tracemalloc.start()
    try:
        import_census([path], batch_size=batch_size)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_importing_5000_children_needs_bounded_memory(tmp_path):
    """Peak Python memory for 5,000 children stays near that for 1,000: what is read is let go
    batch by batch. Keeping every child's record (or building the whole tree and its proxies)
    would make it grow with the file."""
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_census(small, children=1000, seed=5, prefix="S")
    write_census(large, children=5000, seed=6, prefix="L")
    peak_small = _peak_mb(small, batch_size=250)
    peak_large = _peak_mb(large, batch_size=250)
    assert Child.objects.count() == 6000
    print(f"peak Python memory: 1,000 children {peak_small:.1f} MB, 5,000 {peak_large:.1f} MB")
    assert peak_large < 20, peak_large
    assert peak_large < peak_small * 1.6 + 2, (peak_small, peak_large)


def test_the_file_is_read_with_iterparse_not_parsed_whole(monkeypatch, tmp_path):
    path = tmp_path / "cin.xml"
    write_census(path, children=10, seed=1)

    def refuse(*args, **kwargs):
        raise AssertionError("the importer must stream the file, not parse it whole")

    monkeypatch.setattr(etree, "parse", refuse)
    monkeypatch.setattr(etree, "fromstring", refuse)
    with open(path, "rb") as handle:
        assert len(list(iter_child_elements(handle, "cin.xml", []))) == 10
