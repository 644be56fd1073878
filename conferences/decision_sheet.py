"""The decision sheet of a held conference (workflows.md, "After"; §7.7.2): who took part,
whether it was quorate, and each child's decision, category, outline plan, first core group
and next review, in plain words. The preview page, the PDF, the letters and the API all read
the one `DecisionSheet` that `decision_sheet_for` builds, in a fixed number of queries however
many children and people there are.

The PDF is drawn as the invitation letters are (letters.py): WeasyPrint, in the project's own
shipped font (annual_report/fonts.py), fetching nothing else (annual_report/pdf.py). It says
"Draft" on every page until the chair signs it off.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from annual_report.pdf import render_pdf
from plans.models import CategoryChange, PlanTarget

from . import ics, letters
from .models import Attendance, Category, Conference, ConferenceChild, Dissent

PDF_TEMPLATE = "conferences/paperwork/decision_sheet_pdf.html"
# Parents, carers and advocates take part but are not agencies (conferences/rules.py, quorum).
NOT_AGENCIES = {Attendance.Agency.FAMILY, Attendance.Agency.ADVOCATE}


@dataclass(frozen=True)
class Person:
    name: str
    agency: str
    role: str
    how: str  # in person, remotely, sent apologies...


@dataclass(frozen=True)
class Target:
    description: str
    due_by: date
    who: str
    progress: str = ""  # for a target reviewed at this conference: achieved, partly, not


@dataclass(frozen=True)
class DissentNote:
    agency: str
    name: str
    reason: str


@dataclass(frozen=True)
class ChildDecision:
    child_id: int
    name: str
    local_id: str
    born: str  # "1 June 2015", or "Unborn, expected 3 May 2027"
    outcome: str
    decision: str  # in plain words
    category: str
    category_change: str
    cease_reason: str
    reasons: str
    dissents: list[DissentNote] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    targets_reviewed: list[Target] = field(default_factory=list)
    first_core_group_due_by: date | None = None
    next_review_due_by: date | None = None


@dataclass(frozen=True)
class DecisionSheet:
    conference: Conference
    authority: str
    reference: str
    kind: str
    day: str
    time: str
    place: str
    chair: str
    present: list[Person]
    apologies: list[Person]
    absent: list[Person]
    quorum: str
    children: list[ChildDecision]
    signed_off_at: datetime | None
    signed_off_by: str
    distributed_at: datetime | None
    distributed_by: str

    @property
    def is_draft(self) -> bool:
        return self.signed_off_at is None

    @property
    def title(self) -> str:
        return f"{'Draft decision sheet' if self.is_draft else 'Decision sheet'}: " + (
            f"{self.kind.lower()} child protection conference, {self.day}"
        )


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _born(child) -> str:
    if child.date_of_birth:
        return f"{child.date_of_birth.day} {child.date_of_birth:%B %Y}"
    expected = child.expected_date_of_birth
    return f"Unborn, expected {expected.day} {expected:%B %Y}" if expected else "Unborn"


def decision_in_words(row: ConferenceChild, *, category_change: str = "") -> str:
    """The decision as a parent would read it."""
    outcome = ConferenceChild.Outcome
    if row.outcome == outcome.PLAN_STARTED:
        return "A child protection plan is needed: it starts from this conference."
    if row.outcome == outcome.NO_PLAN:
        return "A child protection plan is not needed."
    if row.outcome == outcome.PLAN_CONTINUED:
        if category_change:
            return f"The child protection plan continues, and its category {category_change}."
        return "The child protection plan continues."
    if row.outcome == outcome.PLAN_CEASED:
        return "The child protection plan ends: the child no longer needs one."
    return "No decision has been recorded yet."


def _category_changes(conference: Conference) -> dict[int, str]:
    labels = dict(Category.choices)
    changes = CategoryChange.objects.filter(conference=conference).select_related("plan")
    return {
        change.plan.child_id: (
            f"changes from {labels[change.from_category].lower()} "
            f"to {labels[change.to_category].lower()}"
        )
        for change in changes.order_by("changed_on", "pk")
    }


def _targets(conference: Conference) -> tuple[dict[int, list], dict[int, list]]:
    """The outline plan's targets set at this conference, and those it reviewed, by child."""
    set_here: dict[int, list[Target]] = {}
    reviewed: dict[int, list[Target]] = {}
    rows = PlanTarget.objects.filter(Q(set_at=conference) | Q(reviewed_at=conference))
    for target in rows.select_related("plan").order_by("due_by", "pk"):
        if target.set_at_id == conference.pk:
            set_here.setdefault(target.plan.child_id, []).append(
                Target(target.description, target.due_by, target.who)
            )
        if target.reviewed_at_id == conference.pk:
            reviewed.setdefault(target.plan.child_id, []).append(
                Target(
                    target.description,
                    target.due_by,
                    target.who,
                    target.get_progress_display(),
                )
            )
    return set_here, reviewed


def _register(conference: Conference) -> tuple[list[Person], list[Person], list[Person]]:
    present, apologies, absent = [], [], []
    rows = conference.attendance.select_related("invitee").order_by("agency", "name", "pk")
    for row in rows:
        person = Person(
            name=row.name or (row.invitee.name if row.invitee else ""),
            agency=row.get_agency_display(),
            role=row.role,
            how=row.get_status_display(),
        )
        if row.was_present:
            present.append(person)
        elif row.status == Attendance.Status.DID_NOT_ATTEND:
            absent.append(person)
        else:
            apologies.append(person)  # apologies, or a report sent instead
    return present, apologies, absent


def quorum_statement(conference: Conference, agencies_present: list[str]) -> str:
    """What the chair recorded of the quorum, in words, with the agencies that took part."""
    took_part = f" Agencies taking part: {', '.join(agencies_present)}." if agencies_present else ""
    if conference.quorate is None:
        return "Whether the conference was quorate was not recorded." + took_part
    if conference.quorate:
        return (
            "The conference was quorate: children's social care and at least "
            f"{settings.IRO_QUORUM_OTHER_AGENCIES} other agencies took part." + took_part
        )
    words = "The conference was not quorate."
    if conference.proceeded_inquorate:
        words += " The chair went ahead and made an interim plan."
    if conference.inquorate_again:
        words += " This is the second conference in a row for this family without a quorum."
    return words + took_part


def _agencies(conference: Conference) -> list[str]:
    present = {
        row.agency
        for row in conference.attendance.all()
        if row.was_present and row.agency not in NOT_AGENCIES
    }
    labels = dict(Attendance.Agency.choices)
    return sorted(labels[agency] for agency in present)


def _child_decision(row: ConferenceChild, *, changes, targets, reviewed) -> ChildDecision:
    child = row.child
    change = changes.get(child.pk, "")
    return ChildDecision(
        child_id=child.pk,
        name=child.full_name,
        local_id=child.local_id,
        born=_born(child),
        outcome=row.outcome,
        decision=decision_in_words(row, category_change=change),
        category=row.get_category_display() if row.category else "",
        category_change=change,
        cease_reason=row.get_cease_reason_display() if row.cease_reason else "",
        reasons=row.decision_note,
        dissents=[
            DissentNote(dissent.get_agency_display(), dissent.name, dissent.reason)
            for dissent in row.dissents.all()
        ],
        targets=targets.get(child.pk, []),
        targets_reviewed=reviewed.get(child.pk, []),
        first_core_group_due_by=row.first_core_group_due_by,
        next_review_due_by=row.next_review_due_by,
    )


def decision_sheet_for(conference: Conference) -> DecisionSheet:
    """The sheet as the records stand now. Seven queries, whatever the household's size."""
    conference = (
        Conference.objects.select_related(
            "venue",
            "chair",
            "household",
            "decision_sheet_signed_off_by",
            "decision_sheet_distributed_by",
        )
        .prefetch_related(
            Prefetch("attendance", Attendance.objects.select_related("invitee")),
            Prefetch(
                "child_outcomes",
                ConferenceChild.objects.select_related("child")
                .prefetch_related(Prefetch("dissents", Dissent.objects.order_by("pk")))
                .order_by("child__date_of_birth", "child__first_name", "pk"),
            ),
        )
        .get(pk=conference.pk)
    )
    present, apologies, absent = _register(conference)
    changes = _category_changes(conference)
    targets, reviewed = _targets(conference)
    meeting = letters.meeting_context(conference)
    return DecisionSheet(
        conference=conference,
        authority=settings.IRO_AUTHORITY_NAME,
        reference=ics.reference(conference),
        kind=conference.get_kind_display(),
        day=meeting["day"],
        time=meeting["time"],
        place=meeting["place"] or "Online",
        chair=_name(conference.chair) or "Not recorded",
        present=present,
        apologies=apologies,
        absent=absent,
        quorum=quorum_statement(conference, _agencies(conference)),
        children=[
            _child_decision(row, changes=changes, targets=targets, reviewed=reviewed)
            for row in conference.child_outcomes.all()
        ],
        signed_off_at=conference.decision_sheet_signed_off_at,
        signed_off_by=_name(conference.decision_sheet_signed_off_by),
        distributed_at=conference.decision_sheet_distributed_at,
        distributed_by=_name(conference.decision_sheet_distributed_by),
    )


def sheet_html(sheet: DecisionSheet, *, letters_to: list | None = None) -> str:
    """The PDF's HTML: the sheet alone, or for the post, each person's covering letter
    followed by the sheet."""
    return render_to_string(
        PDF_TEMPLATE,
        {
            "sheet": sheet,
            "letters_to": [addressed(invitee) for invitee in letters_to or []],
            "today": timezone.localdate(),
            "authority_address": settings.IRO_AUTHORITY_ADDRESS,
            "business_support": settings.DEFAULT_FROM_EMAIL,
        },
    )


def addressed(invitee) -> dict:
    return {
        "invitee": invitee,
        "address_lines": [line.strip() for line in invitee.postal_address.splitlines() if line],
    }


def decision_sheet_pdf(sheet: DecisionSheet) -> bytes:
    return render_pdf(sheet_html(sheet)).content


def decision_sheet_letters_pdf(sheet: DecisionSheet, invitees: list) -> bytes:
    """A covering letter and the decision sheet for each person written to, in turn."""
    return render_pdf(sheet_html(sheet, letters_to=invitees)).content
