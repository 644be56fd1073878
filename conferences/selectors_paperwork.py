"""Reads of the paperwork after conferences: the decision sheets and minutes not yet sent, for
the list of paperwork (late ones first), the chair's and business support's work pages and the
API (workflows.md, "What people must be able to see at a glance").

Each row is one document of one held conference, read from the stored due dates and the
partial indexes on the documents still to send (conferences/models/meetings.py). A document
already sent is done, signed off or not (the demo and imports record only the sending). The
counts come from one aggregate and a page of rows from one union, so the number of queries
does not grow with the rows.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models import CharField as CharType
from django.urls import reverse

from people.access import CHAIR_ROLES, can_send_paperwork, has_role
from people.models import Role, User

from .models import Conference, MinutesUpload
from .selectors import conference_list_for

DECISION_SHEET = "decision_sheet"
MINUTES = "minutes"
LABELS = {DECISION_SHEET: "Decision sheet", MINUTES: "Minutes"}
TO_SIGN_OFF = "to_sign_off"
TO_SEND = "to_send"
STAGES = {TO_SIGN_OFF: "To sign off", TO_SEND: "Signed off, to send"}


@dataclass(frozen=True)
class Paper:
    """One of the two documents, and the conference's fields that record it."""

    item: str
    what: str
    plural: bool
    due: str
    signed_at: str
    signed_by: str
    sent_at: str
    sent_by: str

    @property
    def was(self) -> str:
        return "were" if self.plural else "was"

    @property
    def is_(self) -> str:
        return "are" if self.plural else "is"

    @property
    def it(self) -> str:
        return "they" if self.plural else "it"


PAPERS = {
    DECISION_SHEET: Paper(
        DECISION_SHEET,
        "decision sheet",
        False,
        "decision_sheet_due_by",
        "decision_sheet_signed_off_at",
        "decision_sheet_signed_off_by",
        "decision_sheet_distributed_at",
        "decision_sheet_distributed_by",
    ),
    MINUTES: Paper(
        MINUTES,
        "minutes",
        True,
        "minutes_due_by",
        "minutes_signed_off_at",
        "minutes_signed_off_by",
        "minutes_distributed_at",
        "minutes_distributed_by",
    ),
}


@dataclass(frozen=True)
class PaperworkRow:
    conference: Conference
    item: str  # DECISION_SHEET or MINUTES
    due_by: date | None
    signed_off: bool
    late: bool

    @property
    def label(self) -> str:
        return LABELS[self.item]

    @property
    def stage(self) -> str:
        """What it waits for, in words."""
        if self.signed_off:
            return "Signed off: to send"
        if self.item == MINUTES and not (
            self.conference.minutes_text.strip() or getattr(self.conference, "has_upload", False)
        ):
            return "Minutes to be written"
        return "To sign off"

    @property
    def url(self) -> str:
        name = "decision_sheet" if self.item == DECISION_SHEET else "minutes"
        return reverse(f"conferences:{name}", args=[self.conference.pk])


def _unsent(item: str, stage: str | None) -> Q:
    paper = PAPERS[item]
    where = Q(**{f"{paper.sent_at}__isnull": True})
    if stage == TO_SIGN_OFF:
        where &= Q(**{f"{paper.signed_at}__isnull": True})
    elif stage == TO_SEND:
        where &= Q(**{f"{paper.signed_at}__isnull": False})
    return where


class PaperworkList:
    """The decision sheets and minutes not yet sent, the one due soonest (so the late ones)
    first, as a paginator pages through it: the counts at once, the rows a page at a time.
    `stage` narrows it to those to sign off or to send; `chair` to one chair's conferences."""

    def __init__(
        self,
        *,
        user: User,
        today: date,
        stage: str | None = None,
        chair: User | None = None,
        district_id: int | None = None,
    ):
        self.today, self.stage = today, stage
        held = conference_list_for(user).filter(status=Conference.Status.HELD)
        if chair is not None:
            held = held.filter(chair=chair)
        if district_id is not None:
            held = held.filter(household__district_id=district_id)
        self.held = held
        self.counts = self._counts()

    def _counts(self) -> dict[str, int]:
        aggregates = {}
        for item, paper in PAPERS.items():
            unsent = _unsent(item, self.stage)
            aggregates[item] = Count("pk", filter=unsent)
            late = unsent & Q(**{f"{paper.due}__lt": self.today})
            aggregates[f"{item}_late"] = Count("pk", filter=late)
        # Only the rows still to send are read (the partial indexes on each document's due
        # date hold just those), not every conference ever held.
        unsent = _unsent(DECISION_SHEET, self.stage) | _unsent(MINUTES, self.stage)
        counts = self.held.filter(unsent).order_by().aggregate(**aggregates)
        counts["total"] = counts[DECISION_SHEET] + counts[MINUTES]
        counts["late"] = counts[f"{DECISION_SHEET}_late"] + counts[f"{MINUTES}_late"]
        return counts

    def count(self) -> int:
        return self.counts["total"]

    @property
    def late(self) -> int:
        return self.counts["late"]

    def _rows(self, item: str):
        paper = PAPERS[item]
        return (
            self.held.filter(_unsent(item, self.stage))
            .order_by()
            .annotate(
                item=Value(item, output_field=CharType()),
                due=F(paper.due),
                signed=Case(
                    When(**{f"{paper.signed_at}__isnull": False}, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                undated=Case(
                    When(**{f"{paper.due}__isnull": True}, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .values_list("pk", "item", "due", "signed", "undated")
        )

    def __getitem__(self, window: slice) -> list[PaperworkRow]:
        start = window.start or 0
        stop = window.stop if window.stop is not None else start
        combined = self._rows(DECISION_SHEET).union(self._rows(MINUTES), all=True)
        page = list(combined.order_by("undated", "due", "pk", "item")[start:stop])
        if not page:
            return []
        conferences = (
            Conference.objects.select_related("household__district", "chair")
            .annotate(has_upload=Exists(MinutesUpload.objects.filter(conference=OuterRef("pk"))))
            .in_bulk([row[0] for row in page])
        )
        return [
            PaperworkRow(
                conference=conferences[pk],
                item=item,
                due_by=due,
                signed_off=bool(signed),
                late=due is not None and due < self.today,
            )
            for pk, item, due, signed, _undated in page
        ]


def _section(rows: PaperworkList, *, limit: int, link: str) -> dict:
    return {
        "count": rows.count(),
        "late": rows.late,
        "decision_sheets": rows.counts[DECISION_SHEET],
        "minutes": rows.counts[MINUTES],
        "rows": rows[0:limit] if limit else [],
        "url": link,
    }


def paperwork_for(user: User, *, today: date, limit: int = 5) -> dict:
    """What a person has to do with the paperwork, for their work page. A chair: "to_sign_off",
    their held conferences' decision sheets and minutes not yet signed off (the Senior IRO:
    everyone's). Business support (and the Senior IRO): "to_send", those signed off and not
    yet sent. Each: counts, how many are late, the `limit` due soonest, and the list's link.
    Anyone else: nothing. Three queries a section."""
    found = {}
    base = reverse("conferences:paperwork")
    if has_role(user, CHAIR_ROLES):
        mine = user.role != Role.SENIOR_IRO
        rows = PaperworkList(
            user=user, today=today, stage=TO_SIGN_OFF, chair=user if mine else None
        )
        link = f"{base}?stage={TO_SIGN_OFF}" + ("&mine=1" if mine else "")
        found[TO_SIGN_OFF] = _section(rows, limit=limit, link=link)
    if can_send_paperwork(user):
        rows = PaperworkList(user=user, today=today, stage=TO_SEND)
        found[TO_SEND] = _section(rows, limit=limit, link=f"{base}?stage={TO_SEND}")
    return found
