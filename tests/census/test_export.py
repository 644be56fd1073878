"""Exporting the CIN census XML, and the round trip: export, then import into an empty database,
gives the same children, plans, reviews and indicators for the year."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from lxml import etree

from census import export
from census.export import census_xml_chunks
from census.importer import import_census
from children.models import Child
from conferences.models import Conference, ConferenceChild, S47Enquiry
from devdata.demo.load import load_demo_data
from plans.models import ChildProtectionPlan
from reporting.metrics.plans import category_on

from ..factories import ChildFactory, HouseholdFactory
from .cases import case, enquiry, held

D = dt.date


def _xml(year: int) -> etree._Element:
    return etree.fromstring(b"".join(census_xml_chunks(year, lea="888")))


def _child(root, local_id: str):
    found = root.xpath(f"Children/Child[ChildIdentifiers/LAchildID='{local_id}']")
    return found[0] if found else None


def _texts(element, path: str) -> list[str]:
    return [e.text for e in element.xpath(path)]


@pytest.mark.django_db
def test_a_child_with_an_enquiry_conference_plan_and_reviews():
    kid = ChildFactory(local_id="C1", date_of_birth=D(2015, 6, 1), gender="2", ethnicity="WBRI")
    case(
        kid,
        discussed=D(2023, 5, 2),
        conference_on=D(2023, 5, 22),
        category="NEG",
        reviews=[D(2023, 8, 14), D(2024, 2, 12), D(2024, 5, 13)],
        changes=[(D(2023, 8, 14), "EMO"), (D(2024, 5, 13), "PHY")],
    )
    root = _xml(2024)

    assert _texts(root, "Header/CollectionDetails/*") == ["CIN", "2024", "2024-03-31"]
    assert _texts(root, "Header/Source/LEA") == ["888"]
    child = _child(root, "C1")
    assert [e.tag for e in child] == ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"]
    assert [e.tag for e in child.find("ChildIdentifiers")] == [
        "LAchildID",
        "PersonBirthDate",
        "GenderCurrent",
    ]
    assert _texts(child, "ChildCharacteristics/Ethnicity") == ["WBRI"]
    assert _texts(child, "ChildCharacteristics/Disabilities/Disability") == ["NONE"]
    details = child.find("CINdetails")
    assert [e.tag for e in details] == [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "ReferralNFA",
        "Section47",
        "ChildProtectionPlans",
    ]
    assert _texts(details, "CINreferralDate") == ["2023-05-02"]
    assert _texts(details, "Section47/*") == ["2023-05-02", "2023-05-24", "2023-05-22", "0"]
    plan = details.find("ChildProtectionPlans")
    assert [(e.tag, e.text) for e in plan if e.tag != "Reviews"] == [
        ("CPPstartDate", "2023-05-22"),
        ("InitialCategoryOfAbuse", "NEG"),
        ("LatestCategoryOfAbuse", "EMO"),  # as at 31 March 2024: the May change came later
        ("NumberOfPreviousCPP", "0"),
    ]
    # One Reviews group holding each review up to the census date.
    assert _texts(plan, "Reviews/CPPreviewDate") == ["2023-08-14", "2024-02-12"]


@pytest.mark.django_db
def test_only_children_with_an_episode_open_in_the_year_are_written():
    ended_before = ChildFactory(local_id="OLD")
    case(ended_before, discussed=D(2021, 1, 4), conference_on=D(2021, 1, 25), end=D(2022, 6, 1))
    enquiry(ChildFactory(local_id="S47"), D(2023, 11, 6))
    ChildFactory(local_id="NONE")
    root = _xml(2024)
    assert _texts(root, "Children/Child/ChildIdentifiers/LAchildID") == ["S47"]
    s47 = _child(root, "S47").find("CINdetails/Section47")
    assert [(e.tag, e.text) for e in s47] == [
        ("S47ActualStartDate", "2023-11-06"),
        ("InitialCPCtarget", "2023-11-27"),
        ("ICPCnotRequired", "0"),
    ]


@pytest.mark.django_db
def test_a_plan_that_ended_in_the_year_closes_the_episode_with_its_reason():
    kid = ChildFactory(local_id="C2")
    plan = case(
        kid,
        discussed=D(2022, 9, 1),
        conference_on=D(2022, 9, 22),
        reviews=[D(2022, 12, 15), D(2023, 6, 12)],
        end=D(2023, 6, 12),
    )
    plan.end_reason = "moved_away"
    plan.save()
    details = _child(_xml(2024), "C2").find("CINdetails")
    assert _texts(details, "CINclosureDate") == ["2023-06-12"]
    assert _texts(details, "ReasonForClosure") == ["RC5"]
    # The enquiry and its conference were in the year before: not in this census.
    assert details.find("Section47") is None
    assert _texts(details, "ChildProtectionPlans/CPPendDate") == ["2023-06-12"]
    assert _texts(details, "ChildProtectionPlans/Reviews/CPPreviewDate") == [
        "2022-12-15",
        "2023-06-12",
    ]


@pytest.mark.django_db
def test_a_plan_ending_after_the_census_date_is_open_in_that_census():
    kid = ChildFactory(local_id="C3")
    case(kid, discussed=D(2023, 9, 1), conference_on=D(2023, 9, 22), end=D(2024, 5, 1))
    details = _child(_xml(2024), "C3").find("CINdetails")
    assert details.find("CINclosureDate") is None
    assert details.find("ChildProtectionPlans/CPPendDate") is None


@pytest.mark.django_db
def test_previous_plans_are_counted_and_a_transfer_in_is_the_initial_conference():
    kid = ChildFactory(local_id="C4", household=HouseholdFactory())
    case(kid, discussed=D(2020, 3, 2), conference_on=D(2020, 3, 23), end=D(2021, 1, 4))
    transfer = held(
        kid, Conference.Kind.TRANSFER_IN, D(2023, 10, 9), outcome="plan_started", category="SAB"
    )
    ChildProtectionPlan.objects.create(
        child=kid,
        start_date=D(2023, 10, 9),
        initial_category="SAB",
        latest_category="SAB",
        initial_conference=transfer,
        number_of_previous_plans=2,
    )
    details = _child(_xml(2024), "C4").find("CINdetails")
    assert _texts(details, "DateOfInitialCPC") == ["2023-10-09"]
    assert details.find("Section47") is None
    # Two from the record it came with, which beats the one earlier plan held here.
    assert _texts(details, "ChildProtectionPlans/NumberOfPreviousCPP") == ["2"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "tag", "values"), [(2024, "GenderCurrent", ["2", "0"]), (2025, "Sex", ["F", "U"])]
)
def test_gender_current_until_2024_then_sex(year, tag, values):
    girl = ChildFactory(local_id="G", gender="2", date_of_birth=D(2012, 1, 1))
    unborn = ChildFactory(local_id="U", date_of_birth=None, expected_date_of_birth=D(year, 6, 1))
    for kid in (girl, unborn):
        enquiry(kid, D(year - 1, 11, 6))
    root = _xml(year)
    assert [_texts(_child(root, i), f"ChildIdentifiers/{tag}")[0] for i in ("G", "U")] == values
    assert _texts(_child(root, "U"), "ChildIdentifiers/ExpectedPersonBirthDate") == [
        f"{year}-06-01"
    ]
    assert _child(root, "U").find("ChildCharacteristics/Disabilities") is None


@pytest.mark.django_db
def test_the_export_is_streamed_in_pieces(monkeypatch):
    for number in range(30):
        enquiry(ChildFactory(local_id=f"K{number:03d}"), D(2023, 11, 6))
    monkeypatch.setattr(export, "FLUSH_BYTES", 2000)
    monkeypatch.setattr(export, "CHUNK", 7)
    chunks = list(census_xml_chunks(2024))
    assert len(chunks) > 5
    root = etree.fromstring(b"".join(chunks))
    assert len(root.findall("Children/Child")) == 30


@pytest.mark.django_db
def test_the_command_writes_the_census_to_standard_output_or_a_file(tmp_path):
    enquiry(ChildFactory(local_id="K1"), D(2023, 11, 6))
    out = io.StringIO()
    call_command("export_cin_census", "--year", "2024", "--lea", "888", stdout=out)
    assert etree.fromstring(out.getvalue().encode()).findtext("Header/Source/LEA") == "888"
    call_command("export_cin_census", "--year", "2024", "-o", str(tmp_path / "cin.xml"))
    assert etree.parse(str(tmp_path / "cin.xml")).findtext(".//LAchildID") == "K1"


# -- The round trip ----------------------------------------------------------------------------

# Every measure the census carries. Not: conferences held (a review of three siblings is three
# conferences once imported, one per child), strategy meetings, QA, feedback, staffing, caseloads.
CARRIED = [
    "plans_open_at_end",
    "plans_started",
    "plans_ended",
    "ni64",
    "plans_ending_by_duration",
    "ni64_cohort",
    "current_plans_over_two_years",
    "ni65",
    "ni67",
    "initial_conference_timeliness",
]


class _RollBack(Exception):
    pass


def _indicators(year: int) -> dict:
    out = io.StringIO()
    call_command("compute_indicators", "--year", str(year), "--json", stdout=out)
    figures = json.loads(out.getvalue())
    result = {name: figures[name] for name in CARRIED}
    result["plans_open_at_start"] = figures["plans_open_at_start"]["total"]
    result["monthly_totals"] = [month["total"] for month in figures["monthly_stock"]]
    result["late_reviews"] = sorted(
        (r["child_local_id"], r["due_on"], r["held_on"], r["days_late"])
        for r in figures["late_reviews"]
    )
    return result


def _records(local_ids: set[str], year: int) -> dict:
    """The records the census holds, for the children in the file."""
    START, REFERENCE = export.census_period(year)  # noqa: N806
    children = {}
    for kid in Child.objects.filter(local_id__in=local_ids):
        born = kid.date_of_birth if kid.date_of_birth and kid.date_of_birth <= REFERENCE else None
        disabilities = kid.disabilities or (["NONE"] if born else [])
        expected = None if born else (kid.expected_date_of_birth or kid.date_of_birth)
        children[kid.local_id] = (
            born,
            expected,
            kid.gender if born else "0",
            kid.ethnicity,
            disabilities,
            kid.upn,
        )
    plans = {}
    in_year = ChildProtectionPlan.objects.filter(
        child__local_id__in=local_ids, start_date__lte=REFERENCE
    ).exclude(end_date__lt=START)
    for plan in in_year.annotate(then=category_on(REFERENCE)).select_related("child"):
        ended = plan.end_date if plan.end_date and plan.end_date <= REFERENCE else None
        latest = plan.latest_category if ended else plan.then
        plans[(plan.child.local_id, plan.start_date)] = (ended, plan.initial_category, latest)
    # One query for every held review of these children, then kept if a plan covers it.
    held_reviews = ConferenceChild.objects.filter(
        child__local_id__in=local_ids,
        conference__kind=Conference.Kind.REVIEW,
        conference__status=Conference.Status.HELD,
    ).values_list("child__local_id", "conference__date")
    spans: dict = {}
    for (local_id, start), (ended, *_) in plans.items():
        spans.setdefault(local_id, []).append((start, ended or REFERENCE))
    reviews = {
        (local_id, on)
        for local_id, on in held_reviews
        if any(start < on <= end for start, end in spans.get(local_id, ()))
    }
    enquiries = set()
    for s47 in S47Enquiry.objects.filter(
        child__local_id__in=local_ids, started_on__lte=REFERENCE
    ).select_related("child", "initial_conference"):
        conference = s47.initial_conference
        on = (
            conference.date
            if conference and conference.status == "held" and conference.date <= REFERENCE
            else None
        )
        if (on and on >= START) or (on is None and s47.started_on >= START):
            required = s47.outcome not in {"no_harm", "no_conference_harm"}
            enquiries.add(
                (s47.child.local_id, s47.started_on, s47.initial_conference_due_by, required, on)
            )
    return {"children": children, "plans": plans, "reviews": reviews, "enquiries": enquiries}


def _round_trip(tmp_path, year: int, load) -> tuple[dict, dict, set]:
    """Records and indicators of `year`: with the data `load` makes, then (that rolled back,
    so the database is empty) after importing the census exported from it."""
    path = tmp_path / f"cin-{year}.xml"
    with pytest.raises(_RollBack), transaction.atomic():
        load()
        path.write_bytes(b"".join(census_xml_chunks(year)))
        local_ids = set(etree.parse(str(path)).xpath("//LAchildID/text()"))
        before = {"records": _records(local_ids, year), "indicators": _indicators(year)}
        raise _RollBack
    assert not Child.objects.exists() and not ChildProtectionPlan.objects.exists()
    import_census([path])
    after = {"records": _records(local_ids, year), "indicators": _indicators(year)}
    return before, after, local_ids


@pytest.mark.django_db
def test_round_trip_gives_the_same_children_plans_reviews_and_indicators(tmp_path):
    before, after, local_ids = _round_trip(
        tmp_path,
        2024,
        lambda: load_demo_data(today=D(2024, 6, 30), seed=2012, password="x", scale=0.1),
    )
    assert len(before["records"]["children"]) == len(local_ids) > 40
    assert len(before["records"]["plans"]) > 30 and len(before["records"]["reviews"]) > 50
    assert before["indicators"]["ni67"]["denominator"] > 10
    assert after["records"] == before["records"]
    assert after["indicators"] == before["indicators"]


@pytest.mark.django_db
def test_round_trip_of_the_lancashire_sample_keeps_its_published_figures(tmp_path):
    before, after, _ = _round_trip(
        tmp_path,
        2012,
        lambda: call_command("load_sample", "lancashire-2011-12", stdout=io.StringIO()),
    )
    figures = after["indicators"]
    assert figures["plans_open_at_end"]["total"] == 547
    assert figures["ni64"] == {"numerator": 37, "denominator": 844, "percent": 4.38}
    assert figures["ni65"]["percent"] == 10.83
    assert after == before
