"""Each child at a held initial conference, with the due date of their latest section 47
enquiry leading to it, stored (iro_service/derived.py) for initial conference timeliness.

The rule: a child considered at a held initial (or pre-birth initial) conference after an
enquiry whose initial conference it was; of that child's enquiries leading to the conference,
the latest (by its start, then the most recent record) gives the due date. A child with no such
enquiry has no row; one whose latest enquiry has no due date has a row without one.
"""

from collections.abc import Iterable

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from iro_service.derived import rewrite

from .models import Conference, ConferenceChild, InitialConferenceDue

INITIAL_KINDS = [Conference.Kind.INITIAL, Conference.Kind.PRE_BIRTH_INITIAL]
ENQUIRY = "child__s47_enquiries"
COLUMNS = {
    "conference_child_id": "id",
    "child_id": "child_id",
    "household_id": "household_ref",
    "district_id": "district_ref",
    "held_on": "held_on",
    "due_by": "due_by",
}


def enquiries_leading_to_initial_conferences(children: Iterable[int] | None = None) -> QuerySet:
    """Each child at a held initial conference and each enquiry of theirs leading to it,
    numbered `latest` = 1 for the one that counts."""
    considered = ConferenceChild.objects.filter(
        conference__kind__in=INITIAL_KINDS,
        conference__status=Conference.Status.HELD,
        **{f"{ENQUIRY}__initial_conference": F("conference")},
    )
    if children is not None:
        considered = considered.filter(child_id__in=list(children))
    return considered.annotate(
        latest=Window(
            RowNumber(),
            partition_by=[F("id")],
            order_by=[F(f"{ENQUIRY}__started_on").desc(), F(f"{ENQUIRY}__id").desc()],
        ),
        household_ref=F("conference__household_id"),
        district_ref=F("conference__household__district_id"),
        held_on=F("conference__date"),
        due_by=F(f"{ENQUIRY}__initial_conference_due_by"),
    )


def _rows(children: list[int] | None) -> QuerySet:
    return enquiries_leading_to_initial_conferences(children).filter(latest=1)


def store_initial_conference_dues(*, children: Iterable[int] | None = None) -> int:
    """Rewrite the stored rows of these children (all when None). Returns how many."""
    return rewrite(InitialConferenceDue, _rows, COLUMNS, children=children)
