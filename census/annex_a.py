"""Ofsted's Annex A lists 5 and 7, for a chosen date, as CSV or Excel.

The lists follow Ofsted's Annex A guidance for inspections of local authority children's
services (ILACS): the child-level lists an authority gives inspectors at the start of an
inspection, covering the six months before it, with the headings and "a) ... / b) ..." value
labels of Ofsted's Annex A template, as far as we know them, and dates as DD/MM/YYYY.

Columns every list starts with: Child Unique ID; Gender ("a) Male", "b) Female", "c) Not
stated/recorded", "d) Neither"); Ethnicity ("a) WBRI" ... "t) NOBT", the DfE codes lettered in
the census order); Date of Birth; Age of Child (Years); and, which Ofsted's template has no
column for but an unborn child needs, Unborn Child Expected Date of Birth.

List 5, section 47 enquiries and initial child protection conferences: one row per enquiry
started in the six months (open ones included), then one per initial conference held in them
that followed no enquiry. After the common columns: Does the Child have a Disability; Strategy
discussion initiating Section 47 Enquiry Start Date; Was an Initial Child Protection Conference
deemed unnecessary?; Date of Initial Child Protection Conference; Did the Initial Child
Protection Conference Result in a Child Protection Plan; Number of Section 47 Enquiries in the
last 12 months; Number of ICPCs in the last 12 months (both counting the child's earlier ones in
the 12 months before this enquiry, not this one); Allocated Team; Allocated Worker.

List 7, child protection: every plan open at the date or ended in the six months before it.
After the common columns: Does the Child have a Disability; Child Protection Plan Start Date;
Initial Category of Abuse; Latest Category of Abuse (as at the date, or the plan's end); Date of
the Last Statutory Visit; Was the Child Seen Alone? (at that visit); Date of latest review
conference; Child Protection Plan End Date; Subject to Emergency Protection Order or Protected
Under Police Powers in Last Six Months (Y/N); Number of Previous Child Protection Plans;
Allocated Team; Allocated Worker.

"Allocated Team" is the child's district (each district has its own social work team). The
service does not record the allocated social worker, so that column is left blank, as is the
age of an unborn child. A disability is "a) Yes" if any is recorded, "b) No" for "no
disability", and "c) Not recorded" when nothing is.
"""

import itertools
from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from children.codes import Ethnicity
from children.models import LookedAfterEpisode
from conferences.models import Category, Conference, ConferenceChild, S47Enquiry
from iro_service import spreadsheets
from iro_service.dates import age_on
from people.models import District
from plans.models import ChildProtectionPlan, ProtectionVisit
from reporting.metrics.plans import category_on
from reporting.metrics.sql import AddMonths

LIST_5_TITLE = "List 5 - Section 47 enquiries and initial child protection conferences"
LIST_7_TITLE = "List 7 - Child protection"
CHILD_COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unborn Child Expected Date of Birth",
    "Does the Child have a Disability",
)
ALLOCATION_COLUMNS = ("Allocated Team", "Allocated Worker")
LIST_5_COLUMNS = (
    *CHILD_COLUMNS,
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    *ALLOCATION_COLUMNS,
)
LIST_7_COLUMNS = (
    *CHILD_COLUMNS,
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
    "Months (Y/N)",
    "Number of Previous Child Protection Plans",
    *ALLOCATION_COLUMNS,
)

# Ofsted's value labels.
GENDER_LABELS = {"1": "a) Male", "2": "b) Female", "0": "c) Not stated/recorded", "9": "d) Neither"}
ETHNICITY_LABELS = {
    code: f"{letter}) {code}"
    for letter, code in zip("abcdefghijklmnopqrst", Ethnicity.values, strict=True)
}
CATEGORY_LABELS = {
    Category.NEGLECT: "a) Neglect",
    Category.PHYSICAL: "b) Physical abuse",
    Category.SEXUAL: "c) Sexual abuse",
    Category.EMOTIONAL: "d) Emotional abuse",
    Category.MULTIPLE: "e) Multiple/not recommended",
}
YES, NO, NOT_RECORDED = "a) Yes", "b) No", "c) Not recorded"
NOT_REQUIRED = {S47Enquiry.Outcome.NO_HARM, S47Enquiry.Outcome.NO_CONFERENCE_HARM}
INITIAL_KINDS = [Conference.Kind.INITIAL, Conference.Kind.PRE_BIRTH_INITIAL]
CHILD_FIELDS = (
    "local_id",
    "gender",
    "ethnicity",
    "date_of_birth",
    "expected_date_of_birth",
    "disabilities",
    "district__name",
)
EMERGENCY_STATUSES = [
    LookedAfterEpisode.LegalStatus.POLICE_PROTECTION,
    LookedAfterEpisode.LegalStatus.EMERGENCY_PROTECTION,
]


# Ofsted's Annex A lists cover the six months before the inspection (the ILACS framework's
# definition, the same for every authority): not one of the service's own timescale settings.
ANNEX_A_MONTHS = 6


def window(on: date) -> tuple[date, date]:
    """The six months up to and including the list date."""
    return on - relativedelta(months=ANNEX_A_MONTHS) + relativedelta(days=1), on


def _disability(codes) -> str:
    if not codes:
        return NOT_RECORDED
    return NO if list(codes) == ["NONE"] else YES


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _child_cells(row: dict, on: date, prefix: str = "child__") -> list:
    born = row[f"{prefix}date_of_birth"]
    unborn = born is None or born > on
    return [
        row[f"{prefix}local_id"],
        GENDER_LABELS.get(row[f"{prefix}gender"], GENDER_LABELS["0"]),
        ETHNICITY_LABELS.get(row[f"{prefix}ethnicity"], row[f"{prefix}ethnicity"]),
        None if unborn else born,
        age_on(born, on),
        (row[f"{prefix}expected_date_of_birth"] or born) if unborn else None,
        _disability(row[f"{prefix}disabilities"]),
    ]


def _child_values() -> list[str]:
    return [f"child__{name}" for name in CHILD_FIELDS]


def _in_district(rows, district: District | None):
    return rows.filter(child__district=district) if district is not None else rows


def _count(rows, per: str):
    return Coalesce(
        Subquery(rows.order_by().values(per).annotate(n=Count("id")).values("n")[:1]), 0
    )


def _enquiries(start: date, end: date, district: District | None):
    return _in_district(S47Enquiry.objects.filter(started_on__range=(start, end)), district)


def _unlinked_conferences(start: date, end: date, district: District | None):
    """Initial conferences in the window with no enquiry recorded before them."""
    linked = S47Enquiry.objects.filter(
        child=OuterRef("child"), initial_conference=OuterRef("conference")
    )
    return _in_district(
        ConferenceChild.objects.filter(
            conference__status=Conference.Status.HELD,
            conference__kind__in=INITIAL_KINDS,
            conference__date__range=(start, end),
        ),
        district,
    ).exclude(Exists(linked))


def _enquiry_rows(start: date, end: date, district: District | None):
    year_before = {
        "child": OuterRef("child"),
        "started_on__lt": OuterRef("started_on"),
        "started_on__gte": OuterRef("year_before"),
    }
    earlier_conferences = ConferenceChild.objects.filter(
        child=OuterRef("child"),
        conference__status=Conference.Status.HELD,
        conference__kind__in=INITIAL_KINDS,
        conference__date__lt=OuterRef("started_on"),
        conference__date__gte=OuterRef("year_before"),
    )
    plan_started = ConferenceChild.objects.filter(
        conference=OuterRef("initial_conference"),
        child=OuterRef("child"),
        outcome=ConferenceChild.Outcome.PLAN_STARTED,
    )
    return (
        _enquiries(start, end, district)
        .alias(year_before=AddMonths(F("started_on"), -12))
        .annotate(
            plan_started=Exists(plan_started),
            earlier_enquiries=_count(S47Enquiry.objects.filter(**year_before), "child"),
            earlier_conferences=_count(earlier_conferences, "child"),
        )
        .order_by("started_on", "child__local_id")
        .values(
            "started_on",
            "outcome",
            "initial_conference__status",
            "initial_conference__date",
            "plan_started",
            "earlier_enquiries",
            "earlier_conferences",
            "child__district__name",
            *_child_values(),
        )
    )


def list_5_rows(*, on: date, district: District | None = None) -> Iterator[list]:
    start, end = window(on)
    for row in _enquiry_rows(start, end, district).iterator():
        held = row["initial_conference__date"]
        if row["initial_conference__status"] != Conference.Status.HELD or (held and held > on):
            held = None
        ongoing = row["outcome"] == S47Enquiry.Outcome.ONGOING
        yield [
            *_child_cells(row, on),
            row["started_on"],
            _yes_no(None if ongoing else row["outcome"] in NOT_REQUIRED),
            held,
            _yes_no(row["plan_started"] if held else None),
            row["earlier_enquiries"],
            row["earlier_conferences"],
            row["child__district__name"],
            "",
        ]
    rows = (
        _unlinked_conferences(start, end, district)
        .order_by("conference__date", "child__local_id")
        .values("conference__date", "outcome", *_child_values())
    )
    for row in rows.iterator():
        yield [
            *_child_cells(row, on),
            None,
            NO,
            row["conference__date"],
            _yes_no(row["outcome"] == ConferenceChild.Outcome.PLAN_STARTED),
            None,
            None,
            row["child__district__name"],
            "",
        ]


def _latest(rows, field: str, on: date, *, per: str):
    """The latest `field` on or before the list date among `rows` (grouped by `per`)."""
    return Subquery(
        rows.filter(**{f"{field}__lte": on})
        .order_by()
        .values(per)
        .annotate(last=Max(field))
        .values("last")[:1]
    )


def _plans(start: date, end: date, district: District | None):
    return _in_district(
        ChildProtectionPlan.objects.filter(
            Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
        ),
        district,
    )


def _plan_rows(start: date, end: date, district: District | None):
    plans = _plans(start, end, district)
    visits = ProtectionVisit.objects.filter(plan=OuterRef("pk"), visited_on__lte=end)
    reviews = ConferenceChild.objects.filter(
        child=OuterRef("child"),
        conference__kind=Conference.Kind.REVIEW,
        conference__status=Conference.Status.HELD,
        conference__date__gt=OuterRef("start_date"),
    )
    earlier = ChildProtectionPlan.objects.filter(
        child=OuterRef("child"), start_date__lt=OuterRef("start_date")
    )
    emergency = LookedAfterEpisode.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start),
        child=OuterRef("child"),
        legal_status__in=EMERGENCY_STATUSES,
        started_on__lte=end,
    )
    last_visit = visits.order_by("-visited_on", "-id")
    return (
        plans.annotate(
            category_then=category_on(end),
            last_review=_latest(reviews, "conference__date", end, per="child"),
            last_visit=Subquery(last_visit.values("visited_on")[:1]),
            seen_alone=Subquery(last_visit.values("child_seen_alone")[:1]),
            earlier_plans=_count(earlier, "child"),
            emergency=Exists(emergency),
        )
        .order_by("child__local_id", "start_date")
        .values(
            "start_date",
            "end_date",
            "initial_category",
            "category_then",
            "latest_category",
            "number_of_previous_plans",
            "last_review",
            "last_visit",
            "seen_alone",
            "earlier_plans",
            "emergency",
            *_child_values(),
        )
    )


def list_7_rows(*, on: date, district: District | None = None) -> Iterator[list]:
    start, end = window(on)
    for row in _plan_rows(start, end, district).iterator():
        ended = row["end_date"] if row["end_date"] and row["end_date"] <= on else None
        latest = row["latest_category"] if ended else row["category_then"]
        yield [
            *_child_cells(row, on),
            row["start_date"],
            CATEGORY_LABELS[row["initial_category"]],
            CATEGORY_LABELS[latest],
            row["last_visit"],
            _yes_no(row["seen_alone"] if row["last_visit"] else None),
            row["last_review"],
            ended,
            "Y" if row["emergency"] else "N",
            max(row["earlier_plans"], row["number_of_previous_plans"] or 0),
            row["child__district__name"],
            "",
        ]


def list_child_ids(number: str, *, on: date, district: District | None = None) -> set[int]:
    """The children a list holds (for the audit of who exported whom), from the same rows."""
    start, end = window(on)
    if number == "5":
        sources = [_enquiries(start, end, district), _unlinked_conferences(start, end, district)]
    else:
        sources = [_plans(start, end, district)]
    return {child for rows in sources for child in rows.values_list("child_id", flat=True)}


LISTS = {
    "5": (LIST_5_TITLE, LIST_5_COLUMNS, list_5_rows),
    "7": (LIST_7_TITLE, LIST_7_COLUMNS, list_7_rows),
}


def csv_lines(columns, rows) -> Iterator[str]:
    """The list as CSV, a line at a time (for a streaming download), through the project's one
    writer (iro_service/spreadsheets.py): a child ID typed as "=HYPERLINK(...)" arrives as text."""
    return spreadsheets.csv_lines(itertools.chain([columns], rows), date_format="%d/%m/%Y")


def xlsx_bytes(title: str, columns, rows) -> bytes:
    """The list as an Excel workbook: one sheet, headings in the first row, real dates, and
    every piece of text a text cell, never a formula (iro_service/spreadsheets.py)."""
    return spreadsheets.xlsx_bytes(
        title.split(" - ")[0], itertools.chain([list(columns)], rows), date_format="DD/MM/YYYY"
    )
