"""A seeded, invented CIN census file of any size, written as it is generated (for the import
benchmark and the memory test). Every child is valid for the importer: about half have a
section 47 enquiry leading to an initial conference and a plan, some plans ended, some changed
category, some children are repeats (NumberOfPreviousCPP) or unborn.

The InitialCPCtarget written is conferences.rules' initial conference target with the
INITIAL_CONFERENCE_WORKING_DAYS setting, as the authority's own system would have counted it;
the other dates (referrals, conferences, reviews) are the file's invented story."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from lxml import etree

from census.export import census_period, header_element
from children.codes import Disability, Ethnicity
from conferences.rules import initial_conference_due_by
from iro_service.dates import working_day_on_or_after

CATEGORIES = ["NEG", "EMO", "PHY", "SAB", "MUL"]
ETHNICITIES = [code for code in Ethnicity.values if code not in {"REFU"}]
DISABILITIES = [code for code in Disability.values if code != "NONE"]


def _leaf(parent, name: str, value) -> None:
    element = etree.SubElement(parent, name)
    element.text = value.isoformat() if isinstance(value, date) else str(value)


def _identifiers(rng, child, local_id: str, reference: date) -> date | None:
    ids = etree.SubElement(child, "ChildIdentifiers")
    _leaf(ids, "LAchildID", local_id)
    unborn = rng.random() < 0.03
    born = None if unborn else reference - timedelta(days=rng.randint(60, 17 * 365))
    if unborn:
        _leaf(ids, "ExpectedPersonBirthDate", reference + timedelta(days=rng.randint(10, 150)))
        _leaf(ids, "GenderCurrent", "0")
    else:
        _leaf(ids, "PersonBirthDate", born)
        _leaf(ids, "GenderCurrent", rng.choice("12"))
    characteristics = etree.SubElement(child, "ChildCharacteristics")
    _leaf(characteristics, "Ethnicity", rng.choice(ETHNICITIES))
    disabilities = etree.SubElement(characteristics, "Disabilities")
    codes = ["NONE"] if rng.random() < 0.85 else rng.sample(DISABILITIES, rng.randint(1, 2))
    for code in codes:
        _leaf(disabilities, "Disability", code)
    return born


def _plan(rng, details, start: date, reference: date) -> None:
    plan = etree.SubElement(details, "ChildProtectionPlans")
    reviews, on = [], start
    on = working_day_on_or_after(on + timedelta(days=rng.randint(70, 90)))
    while on <= reference and len(reviews) < 8:
        reviews.append(on)
        on = working_day_on_or_after(on + timedelta(days=rng.randint(150, 180)))
    ended = reviews[-1] if reviews and rng.random() < 0.4 else None
    if ended and ended < reference - timedelta(days=365):
        ended = None
    _leaf(plan, "CPPstartDate", start)
    if ended:
        _leaf(plan, "CPPendDate", ended)
    initial = rng.choice(CATEGORIES)
    latest = rng.choice(CATEGORIES) if rng.random() < 0.12 else initial
    _leaf(plan, "InitialCategoryOfAbuse", initial)
    _leaf(plan, "LatestCategoryOfAbuse", latest)
    _leaf(plan, "NumberOfPreviousCPP", 0 if rng.random() < 0.88 else rng.randint(1, 3))
    held = [day for day in reviews if not ended or day <= ended]
    if held:
        group = etree.SubElement(plan, "Reviews")
        for day in held:
            _leaf(group, "CPPreviewDate", day)


def child_element(rng: random.Random, local_id: str, year: int) -> etree._Element:
    start_of_year, reference = census_period(year)
    child = etree.Element("Child")
    _identifiers(rng, child, local_id, reference)
    details = etree.SubElement(child, "CINdetails")
    discussed = working_day_on_or_after(reference - timedelta(days=rng.randint(20, 900)))
    target = initial_conference_due_by(
        strategy_discussion_on=discussed,
        working_days=settings.IRO_TIMESCALES["INITIAL_CONFERENCE_WORKING_DAYS"],
    )
    _leaf(details, "CINreferralDate", discussed)
    _leaf(details, "ReferralSource", "10")
    _leaf(details, "PrimaryNeedCode", "N1")
    _leaf(details, "ReferralNFA", "0")
    conference = working_day_on_or_after(discussed + timedelta(days=rng.randint(7, 25)))
    if conference > reference:
        conference = None
    with_plan = conference is not None and rng.random() < 0.85
    if discussed >= start_of_year or (conference and conference >= start_of_year):
        s47 = etree.SubElement(details, "Section47")
        _leaf(s47, "S47ActualStartDate", discussed)
        _leaf(s47, "InitialCPCtarget", target)
        if conference and (with_plan or rng.random() < 0.5):
            _leaf(s47, "DateOfInitialCPC", conference)
            _leaf(s47, "ICPCnotRequired", "0")
        else:
            with_plan = False
            _leaf(s47, "ICPCnotRequired", "1" if conference else "0")
    if with_plan:
        _plan(rng, details, conference, reference)
    return child


def write_census(
    path, *, children: int, year: int = 2024, seed: int = 2024, prefix: str = "SYN"
) -> None:
    """Write a census file of `children` invented children (LAchildID <prefix>0000001...),
    one element at a time."""
    rng = random.Random(seed)

    with open(path, "wb") as out, etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write(header_element(year, lea="999", created=timezone.now()))
            with xf.element("Children"):
                for number in range(1, children + 1):
                    xf.write(child_element(rng, f"{prefix}{number:07d}", year))
