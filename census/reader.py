"""Read and check a CIN census file, streaming: lxml `iterparse`, one <Child> at a time.

Each child is checked against the schema (xml_schema.py): every element must be one the census
defines, in the right place, with a value of the right kind (a real YYYY-MM-DD date, a known
code, a whole number, 1/0). Then the checks across elements: a plan cannot end before it
starts, a review falls within its plan, an enquiry's conference is not before it began, no
two plans start on the same day and at most one is open. Each problem becomes an `Issue` with
the file, line (`sourceline`), LAchildID, element and reason.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from iro_service.validators import EXPECTED_MONTHS_AHEAD, OLDEST_YEARS, earliest_birth

from . import xml_schema as x
from .issues import Issue

CLOSURE_TO_END_REASON = {x.CLOSURE_DIED: "died", x.CLOSURE_TRANSFERRED: "moved_away"}


@dataclass
class S47Record:
    started_on: date
    target_on: date | None
    conference_on: date | None
    not_required: bool
    line: int


@dataclass
class PlanRecord:
    start: date
    end: date | None
    end_reason: str
    initial_category: str
    latest_category: str
    previous_plans: int | None
    reviews: list[date]
    line: int


@dataclass
class ChildRecord:
    local_id: str
    line: int
    upn: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    gender: str | None = None
    ethnicity: str | None = None
    disabilities: list[str] = field(default_factory=list)
    s47s: list[S47Record] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    conferences: list[date] = field(default_factory=list)  # CIN-level DateOfInitialCPC

    @property
    def initial_conference_dates(self) -> set[date]:
        held = {s.conference_on for s in self.s47s if s.conference_on}
        return held | set(self.conferences)


@dataclass
class Header:
    year: int
    reference_date: date
    line: int


def _tag(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Reader:
    """Checks one element tree against the schema; records issues, returns plain values."""

    def __init__(self, file: str, issues: list[Issue]):
        self.file, self.issues, self.child_id = file, issues, ""

    def issue(self, element, name: str, reason: str, line: int | None = None) -> None:
        line = line if line is not None else getattr(element, "sourceline", None)
        self.issues.append(Issue(self.file, line, self.child_id, name, reason))

    def group(self, element, spec: x.Group) -> dict:
        values: dict = {"_line": element.sourceline}
        if spec.lenient:
            return values
        for item in element:
            name = _tag(item)
            if not name:  # comments and processing instructions
                continue
            child_spec = spec.children.get(name)
            if child_spec is None:
                self.issue(item, name, f"is not a CIN census element inside <{_tag(element)}>")
                continue
            value = (
                self.group(item, child_spec)
                if isinstance(child_spec, x.Group)
                else self.leaf(item, name, child_spec)
            )
            if child_spec.many:
                values.setdefault(name, []).append(value)
            elif name in values:
                self.issue(item, name, f"appears more than once in <{_tag(element)}>")
            else:
                values[name] = value
        return values

    def leaf(self, element, name: str, spec: x.Leaf):
        if len(element):
            self.issue(element, name, "must hold a value, not other elements")
            return None
        text = (element.text or "").strip()
        if not text:
            self.issue(element, name, "is empty")
            return None
        parse = getattr(self, f"_{spec.kind}")
        return parse(element, name, text, spec)

    def _date(self, element, name, text, spec):
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self.issue(element, name, f"{text!r} is not a date: use YYYY-MM-DD")
        return None

    def _code(self, element, name, text, spec):
        code = text.upper()
        if code not in spec.codes:
            known = (
                ", ".join(sorted(spec.codes)) if len(spec.codes) <= 25 else "the census code set"
            )
            self.issue(element, name, f"{text!r} is not a known code (expected one of {known})")
            return None
        return code

    def _int(self, element, name, text, spec):
        if not text.isdigit():
            self.issue(element, name, f"{text!r} is not a whole number of 0 or more")
            return None
        return int(text)

    def _bool(self, element, name, text, spec):
        lowered = text.lower()
        if lowered in x.TRUE_VALUES or lowered in x.FALSE_VALUES:
            return lowered in x.TRUE_VALUES
        self.issue(element, name, f"{text!r} is not 1, 0, true or false")
        return None

    def _text(self, element, name, text, spec):
        if spec.max_length and len(text) > spec.max_length:
            self.issue(element, name, f"is longer than {spec.max_length} characters")
            return None
        return text

    def _any(self, element, name, text, spec):
        return text


def _required(reader: _Reader, values: dict, name: str, parent: str, element) -> object:
    value = values.get(name)
    if value is None and name not in values:
        reader.issue(element, name, f"is missing from <{parent}>", line=values.get("_line"))
    return value


def _plan(reader: _Reader, values: dict, closure: tuple, element) -> PlanRecord | None:
    line = values["_line"]
    start = _required(reader, values, "CPPstartDate", "ChildProtectionPlans", element)
    initial = _required(reader, values, "InitialCategoryOfAbuse", "ChildProtectionPlans", element)
    latest = _required(reader, values, "LatestCategoryOfAbuse", "ChildProtectionPlans", element)
    end = values.get("CPPendDate")
    reviews = sorted(
        {on for group in values.get("Reviews", []) for on in group.get("CPPreviewDate", []) if on}
    )
    if start is None or initial is None or latest is None:
        return None
    if end is not None and end < start:
        reader.issue(element, "CPPendDate", f"{end} is before the plan's start {start}", line)
    for on in reviews:
        if on <= start or (end is not None and on > end):
            reader.issue(
                element, "CPPreviewDate", f"{on} is not within the plan ({start} to {end})", line
            )
    closed_on, reason = closure
    end_reason = CLOSURE_TO_END_REASON.get(reason, "other") if end and end == closed_on else "other"
    previous = values.get("NumberOfPreviousCPP")
    return PlanRecord(start, end, end_reason, initial, latest, previous, reviews, line)


def _s47(reader: _Reader, values: dict, element) -> S47Record | None:
    line = values["_line"]
    started = _required(reader, values, "S47ActualStartDate", "Section47", element)
    held, not_required = values.get("DateOfInitialCPC"), values.get("ICPCnotRequired")
    if started is None:
        return None
    if held is not None and held < started:
        reader.issue(element, "DateOfInitialCPC", f"{held} is before the enquiry began", line)
    if held is not None and not_required:
        reader.issue(
            element, "ICPCnotRequired", "says no conference was required, yet one was held", line
        )
    return S47Record(started, values.get("InitialCPCtarget"), held, bool(not_required), line)


def _episode(reader: _Reader, record: ChildRecord, values: dict, element) -> None:
    referred = _required(reader, values, "CINreferralDate", "CINdetails", element)
    closed = values.get("CINclosureDate")
    if referred and closed and closed < referred:
        reader.issue(element, "CINclosureDate", "is before the referral date", values["_line"])
    if values.get("DateOfInitialCPC"):
        record.conferences.append(values["DateOfInitialCPC"])
    for module in values.get("Section47", []):
        if (s47 := _s47(reader, module, element)) is not None:
            record.s47s.append(s47)
    closure = (closed, values.get("ReasonForClosure"))
    for module in values.get("ChildProtectionPlans", []):
        if (plan := _plan(reader, module, closure, element)) is not None:
            record.plans.append(plan)


def _identifiers(reader: _Reader, record: ChildRecord, values: dict, element) -> None:
    record.upn = values.get("UPN") or ""
    record.date_of_birth = values.get("PersonBirthDate")
    record.expected_date_of_birth = values.get("ExpectedPersonBirthDate")
    if "PersonBirthDate" not in values and "ExpectedPersonBirthDate" not in values:
        reader.issue(
            element, "PersonBirthDate", "and ExpectedPersonBirthDate are both missing", record.line
        )
    if values.get("Sex"):
        record.gender = x.SEX_TO_GENDER[values["Sex"]]
    elif values.get("GenderCurrent"):
        record.gender = values["GenderCurrent"]


def _check_plans(reader: _Reader, record: ChildRecord, element) -> None:
    starts: set[date] = set()
    for plan in record.plans:
        if plan.start in starts:
            reader.issue(element, "CPPstartDate", f"two plans start on {plan.start}", plan.line)
        starts.add(plan.start)
    open_plans = [plan for plan in record.plans if plan.end is None]
    if len(open_plans) > 1:
        reader.issue(
            element, "CPPendDate", "more than one plan has no end date", open_plans[-1].line
        )


def read_child(reader: _Reader, element) -> ChildRecord | None:
    """Validate one <Child> and return its record (None if it has errors)."""
    before = len(reader.issues)
    reader.child_id = ""
    identifiers = element.find("{*}ChildIdentifiers")
    local_id = identifiers.findtext("{*}LAchildID") if identifiers is not None else None
    reader.child_id = (local_id or "").strip()
    values = reader.group(element, x.CHILD)
    ids = values.get("ChildIdentifiers")
    if ids is None:
        reader.issue(element, "ChildIdentifiers", "is missing from <Child>")
        return None
    if not ids.get("LAchildID"):
        if "LAchildID" not in ids:
            reader.issue(element, "LAchildID", "is missing", line=ids["_line"])
        return None
    record = ChildRecord(local_id=ids["LAchildID"], line=element.sourceline)
    _identifiers(reader, record, ids, element)
    characteristics = values.get("ChildCharacteristics", {})
    record.ethnicity = characteristics.get("Ethnicity")
    codes = [c for c in characteristics.get("Disabilities", {}).get("Disability", []) if c]
    record.disabilities = list(dict.fromkeys(codes))
    if "NONE" in record.disabilities and len(record.disabilities) > 1:
        reader.issue(element, "Disability", "NONE is given with other disabilities", record.line)
    if not values.get("CINdetails"):
        reader.issue(element, "CINdetails", "is missing: a child needs an episode", record.line)
    for episode in values.get("CINdetails", []):
        _episode(reader, record, episode, element)
    _check_plans(reader, record, element)
    return record if len(reader.issues) == before else None


def _syntax_issue(file: str, error: etree.XMLSyntaxError, child_id: str) -> Issue:
    message = str(error.msg or error)
    # libxml2 names the element: "Premature end of data in tag CPPreviewDate line 40",
    # "Opening and ending tag mismatch: Reviews line 39 and Plans".
    found = re.search(r"(?:in tag|mismatch:) (\w+)", message)
    line = error.lineno or (error.position[0] if error.position else None)
    reason = f"the XML is not well formed: {message}"
    if "Premature end of data" in message or "EndTag" in message:
        reason = f"the file ends too soon (truncated?): {message}"
    return Issue(file, line, child_id, found.group(1) if found else "Message", reason)


# The prolog before the root element: an XML declaration, comments, processing instructions
# and white space. A census file has no DOCTYPE; one with a DOCTYPE may declare entities (XXE,
# entity bombs) and is refused before the parser sees it.
PROLOG_LIMIT = 64 * 1024
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
DOCTYPE_REASON = (
    "the file has a DOCTYPE declaration, which a CIN census file never has: it was not read. "
    "Export the file again from the case management system"
)


def _prolog_text(source) -> tuple[str, bool]:
    """The start of the file as text, and whether that is the whole file; the stream is left
    where it was."""
    start = source.tell()
    head = source.read(PROLOG_LIMIT)
    source.seek(start)
    whole = len(head) < PROLOG_LIMIT
    if isinstance(head, str):
        return head, whole
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace"), whole
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", errors="replace"), whole
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", errors="replace"), whole
    return head.decode("utf-8", errors="replace"), whole


def has_doctype(source) -> bool:
    """Whether the file declares a DOCTYPE before its root element, or has so long a prolog
    that it cannot be told in the first 64 KB (no census file starts like that)."""
    text, whole = _prolog_text(source)
    at = 0
    while (item := _PROLOG_ITEM.match(text, at)) is not None and item.end() > at:
        at = item.end()
    rest = text[at:]
    if rest.startswith("<!") or rest.startswith("<?"):
        # A DOCTYPE, or a comment or declaration that does not end within the limit.
        return rest[:9].upper() == "<!DOCTYPE" or not whole
    return not rest and not whole


def _refuse_doctype(source, file: str, issues: list[Issue]) -> bool:
    if has_doctype(source):
        issues.append(Issue(file, 1, "", "DOCTYPE", DOCTYPE_REASON))
        return True
    return False


def _parser(source, tags):
    return etree.iterparse(
        source,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
    )


def read_header(source, file: str, issues: list[Issue]) -> Header | None:
    """The collection year and reference date, from the file's Header (read first)."""
    reader = _Reader(file, issues)
    if _refuse_doctype(source, file, issues):
        return None
    try:
        for _event, element in _parser(source, ("{*}Header",)):
            values = reader.group(element, x.HEADER)
            details = values.get("CollectionDetails") or {}
            year, reference = details.get("Year"), details.get("ReferenceDate")
            line = element.sourceline
            if year is None or reference is None:
                reader.issue(element, "CollectionDetails", "needs a Year and a ReferenceDate", line)
                return None
            if reference != date(year, 3, 31):
                reader.issue(element, "ReferenceDate", f"must be 31 March {year}", line)
                return None
            return Header(year, reference, line)
    except etree.XMLSyntaxError:
        # Reported by reading the whole file instead, which names the child it was in.
        for _record in read_children(_rewound(source), file, issues):
            pass
        return None
    issues.append(Issue(file, None, "", "Header", "is missing: the file has no census header"))
    return None


def _rewound(source):
    source.seek(0)
    return source


def iter_child_elements(source, file: str, issues: list[Issue]) -> Iterator:
    """Each <Child> element in turn, detached from the tree once the caller is done with it.

    The tree never holds more than the current child: after each one the element is cleared
    and it (and anything before it) is removed from its parent."""
    current = {"id": ""}
    if _refuse_doctype(source, file, issues):
        return
    parser = _parser(source, ("{*}Child", "{*}LAchildID"))
    try:
        for _event, element in parser:
            if _tag(element) == "LAchildID":
                current["id"] = (element.text or "").strip()
                continue
            parent = element.getparent()
            if parent is None or _tag(parent) != "Children":
                issues.append(
                    Issue(file, element.sourceline, current["id"], "Child", "is not in <Children>")
                )
            yield element
            current["id"] = ""
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
            if parent is not None:
                parent.remove(element)
    except etree.XMLSyntaxError as error:
        issues.append(_syntax_issue(file, error, current["id"]))
        return
    _check_message(parser.root, file, issues)


def _check_message(root, file: str, issues: list[Issue]) -> None:
    """The message itself: <Message> holding one <Header> and one <Children>, nothing else.
    (By now the children have been read and removed, so this is small.)"""
    if _tag(root) != "Message":
        issues.append(Issue(file, root.sourceline, "", _tag(root), "is not <Message>"))
        return
    names = [_tag(element) for element in root if _tag(element)]
    for element in root:
        if _tag(element) and _tag(element) not in {"Header", "Children"}:
            reason = "is not a CIN census element inside <Message>"
            issues.append(Issue(file, element.sourceline, "", _tag(element), reason))
    for name in ("Header", "Children"):
        if names.count(name) != 1:
            issues.append(Issue(file, root.sourceline, "", name, "must appear once in <Message>"))


def _check_birth(reader: _Reader, record: ChildRecord, reference: date, element) -> bool:
    """A date of birth that could be true at the census date (iro_service/validators.py: at
    most 25 years before it, not after it; an expected date at most 10 months after it)."""
    earliest = earliest_birth(reference)
    latest_expected = reference + relativedelta(months=EXPECTED_MONTHS_AHEAD)
    problems = []
    if record.date_of_birth is not None:
        if record.date_of_birth > reference:
            problems.append(
                ("PersonBirthDate", f"{record.date_of_birth} is after the census date {reference}")
            )
        elif record.date_of_birth < earliest:
            problems.append(
                (
                    "PersonBirthDate",
                    f"{record.date_of_birth} is more than {OLDEST_YEARS} years before the census date",
                )
            )
    if record.expected_date_of_birth is not None:
        if record.expected_date_of_birth > latest_expected:
            problems.append(
                (
                    "ExpectedPersonBirthDate",
                    f"{record.expected_date_of_birth} is more than {EXPECTED_MONTHS_AHEAD} months after the census date",
                )
            )
        elif record.expected_date_of_birth < earliest:
            problems.append(
                (
                    "ExpectedPersonBirthDate",
                    f"{record.expected_date_of_birth} is more than {OLDEST_YEARS} years before the census date",
                )
            )
    for name, reason in problems:
        reader.issue(element, name, reason, record.line)
    return not problems


def read_children(
    source, file: str, issues: list[Issue], *, reference: date | None = None
) -> Iterator[ChildRecord]:
    """Valid child records, in file order; invalid ones only add issues. With the file's
    census date, dates of birth that could not be true then are errors too."""
    reader = _Reader(file, issues)
    seen: set[str] = set()
    for element in iter_child_elements(source, file, issues):
        record = read_child(reader, element)
        if record is None:
            continue
        if reference is not None and not _check_birth(reader, record, reference, element):
            continue
        if record.local_id in seen:
            reader.issue(element, "LAchildID", "appears for more than one child in the file")
            continue
        seen.add(record.local_id)
        yield record
