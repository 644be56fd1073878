"""Write the CIN census XML for a collection year, streaming (lxml.etree.xmlfile).

`census_xml_chunks(year=2024)` yields the file in pieces: the children are read from the
database a thousand at a time and each <Child> is written and dropped, so a census of any size
needs the memory of one chunk. The management command and the download both use it.

Year 2024 is the census of 1 April 2023 to 31 March 2024 (reference date 31 March 2024), in
the format of the validator ruleset for that year (xml_schema.ruleset_name): GenderCurrent up
to 2023/24, Sex from 2024/25.

What the service does not record, the export fills as follows (each choice is the census code
that claims least): ReferralSource 10 (unknown); PrimaryNeedCode N1 (abuse or neglect, since
every episode held here is a child protection one); ReferralNFA 0; Disabilities NONE for a
born child with none recorded (the census requires a code); no UPNunknown reason. Episodes are
derived as census/episodes.py explains.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from children.models import Child
from conferences.models import Conference, ConferenceChild, S47Enquiry
from plans.models import CategoryChange, ChildProtectionPlan

from . import xml_schema as x
from .episodes import CensusEpisode, PlanFact, S47Fact, episodes_for_year

CHUNK = 1000
FLUSH_BYTES = 256 * 1024
INITIAL_KINDS = [
    Conference.Kind.INITIAL,
    Conference.Kind.PRE_BIRTH_INITIAL,
    Conference.Kind.TRANSFER_IN,
]
NOT_REQUIRED = {S47Enquiry.Outcome.NO_HARM, S47Enquiry.Outcome.NO_CONFERENCE_HARM}
SOFTWARE = "Safeguarding IRO service"
RELEASE = "0.1.0"


def census_period(year: int) -> tuple[date, date]:
    """1 April of the year before to 31 March of `year`, the census reference date."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def census_child_ids(year: int) -> list[int]:
    """Children who may have an episode open in the year (a superset; episodes decide)."""
    start, reference = census_period(year)
    plans = ChildProtectionPlan.objects.filter(
        Q(start_date__lte=reference) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    ).values_list("child_id", flat=True)
    enquiries = S47Enquiry.objects.filter(
        Q(started_on__lte=reference)
        & (
            Q(started_on__gte=start)
            | Q(outcome__in=[S47Enquiry.Outcome.ONGOING, S47Enquiry.Outcome.CONFERENCE])
        )
    ).values_list("child_id", flat=True)
    conferences = ConferenceChild.objects.filter(
        conference__status=Conference.Status.HELD,
        conference__kind__in=INITIAL_KINDS,
        conference__date__range=(start, reference),
    ).values_list("child_id", flat=True)
    ids = set(plans) | set(enquiries) | set(conferences)
    # Ordered by LAchildID; filtered here, since SQLite limits the parameters of an IN list.
    ordered = Child.objects.order_by("local_id").values_list("id", flat=True)
    return [pk for pk in ordered.iterator(chunk_size=10_000) if pk in ids]


def _facts(child_ids: list[int]) -> dict[int, dict]:
    """Every plan, enquiry and held conference of these children, as episodes.py's facts."""
    facts = defaultdict(lambda: {"plans": [], "s47s": [], "conferences": []})
    changes = defaultdict(list)
    for row in (
        CategoryChange.objects.filter(plan__child_id__in=child_ids)
        .order_by("changed_on", "id")
        .values_list("plan_id", "changed_on", "to_category")
    ):
        changes[row[0]].append((row[1], row[2]))
    reviews = defaultdict(set)
    held = ConferenceChild.objects.filter(
        child_id__in=child_ids, conference__status=Conference.Status.HELD
    ).values_list("child_id", "conference__kind", "conference__date")
    for child_id, kind, on in held:
        if kind == Conference.Kind.REVIEW:
            reviews[child_id].add(on)
        elif kind in INITIAL_KINDS:
            facts[child_id]["conferences"].append(on)
    plans = ChildProtectionPlan.objects.filter(child_id__in=child_ids).values_list(
        "id",
        "child_id",
        "start_date",
        "end_date",
        "end_reason",
        "initial_category",
        "number_of_previous_plans",
    )
    for pk, child_id, start, end, reason, initial, previous in plans:
        facts[child_id]["plans"].append(
            PlanFact(
                start=start,
                end=end,
                end_reason=reason,
                initial_category=initial,
                changes=tuple(changes[pk]),
                reviews=tuple(sorted(reviews[child_id])),
                imported_previous=previous,
            )
        )
    enquiries = S47Enquiry.objects.filter(child_id__in=child_ids).values_list(
        "child_id",
        "started_on",
        "strategy_discussion_on",
        "initial_conference_due_by",
        "outcome",
        "initial_conference__status",
        "initial_conference__date",
    )
    for child_id, started, discussed, due, outcome, status, on in enquiries:
        facts[child_id]["s47s"].append(
            S47Fact(
                started_on=started,
                discussed_on=min(discussed, started),
                target_on=due,
                conference_on=on if status == Conference.Status.HELD else None,
                not_required=outcome in NOT_REQUIRED,
            )
        )
    return facts


def _leaf(parent, name: str, value) -> None:
    if value is None or value == "":
        return
    element = etree.SubElement(parent, name)
    element.text = value.isoformat() if isinstance(value, date) else str(value)


def _identifiers(parent, child: dict, *, year: int, reference: date) -> None:
    identifiers = etree.SubElement(parent, "ChildIdentifiers")
    born = child["date_of_birth"]
    born = born if born is not None and born <= reference else None
    expected = None if born else (child["expected_date_of_birth"] or child["date_of_birth"])
    _leaf(identifiers, "LAchildID", child["local_id"])
    _leaf(identifiers, "UPN", child["upn"])
    _leaf(identifiers, "PersonBirthDate", born)
    _leaf(identifiers, "ExpectedPersonBirthDate", expected)
    if x.uses_sex(year):
        _leaf(identifiers, "Sex", x.GENDER_TO_SEX.get(child["gender"], "U") if born else "U")
    else:
        _leaf(identifiers, "GenderCurrent", child["gender"] if born else "0")
    characteristics = etree.SubElement(parent, "ChildCharacteristics")
    _leaf(characteristics, "Ethnicity", child["ethnicity"])
    codes = list(dict.fromkeys(child["disabilities"] or [])) or (["NONE"] if born else [])
    if codes:
        disabilities = etree.SubElement(characteristics, "Disabilities")
        for code in codes:
            _leaf(disabilities, "Disability", code)


def _episode(parent, episode: CensusEpisode) -> None:
    details = etree.SubElement(parent, "CINdetails")
    _leaf(details, "CINreferralDate", episode.referral_on)
    _leaf(details, "ReferralSource", x.REFERRAL_SOURCE_UNKNOWN)
    _leaf(details, "PrimaryNeedCode", x.PRIMARY_NEED_ABUSE_OR_NEGLECT)
    _leaf(details, "CINclosureDate", episode.closed_on)
    _leaf(details, "ReasonForClosure", episode.closure_reason)
    _leaf(details, "DateOfInitialCPC", episode.conference_on)
    _leaf(details, "ReferralNFA", "0")
    for s47 in episode.s47s:
        module = etree.SubElement(details, "Section47")
        _leaf(module, "S47ActualStartDate", s47.started_on)
        _leaf(module, "InitialCPCtarget", s47.target_on)
        _leaf(module, "DateOfInitialCPC", s47.conference_on)
        _leaf(module, "ICPCnotRequired", "1" if s47.not_required else "0")
    for plan in episode.plans:
        module = etree.SubElement(details, "ChildProtectionPlans")
        _leaf(module, "CPPstartDate", plan.start)
        _leaf(module, "CPPendDate", plan.end)
        _leaf(module, "InitialCategoryOfAbuse", plan.initial_category)
        _leaf(module, "LatestCategoryOfAbuse", plan.latest_category)
        _leaf(module, "NumberOfPreviousCPP", plan.previous_plans)
        if plan.reviews:
            reviews = etree.SubElement(module, "Reviews")
            for on in plan.reviews:
                _leaf(reviews, "CPPreviewDate", on)


def child_elements(year: int, *, chunk: int = CHUNK) -> Iterator[etree._Element]:
    """One <Child> per child with an episode open in the year, ordered by LAchildID."""
    start, reference = census_period(year)
    ids = census_child_ids(year)
    fields = (
        "id",
        "local_id",
        "upn",
        "date_of_birth",
        "expected_date_of_birth",
        "gender",
        "ethnicity",
        "disabilities",
    )
    for offset in range(0, len(ids), chunk):
        batch = ids[offset : offset + chunk]
        children = {row["id"]: row for row in Child.objects.filter(id__in=batch).values(*fields)}
        facts = _facts(batch)
        for child_id in batch:
            child, fact = children[child_id], facts[child_id]
            episodes = episodes_for_year(**fact, year_start=start, reference=reference)
            if not episodes:
                continue
            element = etree.Element("Child")
            _identifiers(element, child, year=year, reference=reference)
            for episode in episodes:
                _episode(element, episode)
            yield element


def header_element(year: int, *, lea: str, created: datetime) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _leaf(details, "Collection", "CIN")
    _leaf(details, "Year", year)
    _leaf(details, "ReferenceDate", census_period(year)[1])
    source = etree.SubElement(header, "Source")
    _leaf(source, "SourceLevel", "L")
    _leaf(source, "LEA", lea)
    _leaf(source, "SoftwareCode", SOFTWARE)
    _leaf(source, "Release", RELEASE)
    _leaf(source, "SerialNo", "001")
    _leaf(source, "DateTime", created.strftime("%Y-%m-%dT%H:%M:%S"))
    return header


class _Chunks:
    """A file-like sink that hands over what has been written since the last take()."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.parts.append(bytes(data))
        self.size += len(data)

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def default_lea() -> str:
    """The authority's three-digit DfE LA number (setting CIN_CENSUS_LEA)."""
    return str(getattr(settings, "CIN_CENSUS_LEA", "") or "000")


def census_xml_chunks(
    year: int, *, lea: str | None = None, created: datetime | None = None
) -> Iterator[bytes]:
    """The census XML for `year`, in pieces of about FLUSH_BYTES."""
    created = timezone.localtime(created or timezone.now())
    sink = _Chunks()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            header = header_element(year, lea=lea or default_lea(), created=created)
            etree.indent(header, space="  ", level=1)
            xf.write("\n  ")
            xf.write(header)
            xf.write("\n  ")
            with xf.element("Children"):
                for child in child_elements(year):
                    etree.indent(child, space="  ", level=2)
                    xf.write("\n    ")
                    xf.write(child)
                    if sink.size >= FLUSH_BYTES:
                        xf.flush()
                        yield sink.take()
                xf.write("\n  ")
            xf.write("\n")
    yield sink.take()
