"""Each child's places at held conferences, with the conference's date and chair, stored
(style.md rule 2: the facts the measures count are stored). Caseloads rank every on-plan
child's held conferences to find the latest and its chair; read from this table's covering
index, that is one index range per child instead of a read of each place and each conference
(151,000 of each at England's scale).

Written once, here, and kept by every door: a conference's change of date, status or chair
and a change to who was considered at it rewrite its children's rows (the signals in
conferences/apps.py); the bulk loads, which send no signals, call `store_derived()`
(iro_service/derived.py), which calls `store_held_places()`.
"""

from collections.abc import Iterable

from django.db.models import F, QuerySet

from iro_service.derived import rewrite

from .models import Conference, ConferenceChild, HeldPlace

COLUMNS = {
    "child_id": "child_id",
    "conference_id": "conference_id",
    "held_on": "held_on",
    "chair_id": "chair_ref",
}


def held_facts_changed(conference: Conference) -> bool:
    """Whether a conference's save can change its stored places: it is held, or was when
    loaded, and its status, date or chair is not what was loaded."""
    loaded = getattr(conference, "_loaded_held", None)
    now = conference.held_facts()
    held = Conference.Status.HELD
    return loaded != now and held in (now[0], loaded[0] if loaded else None)


def held_places(children: Iterable[int] | None = None) -> QuerySet:
    """Each child's place at a held conference with a date, with `held_on` and `chair_ref`."""
    places = ConferenceChild.objects.filter(
        conference__status=Conference.Status.HELD, conference__date__isnull=False
    )
    if children is not None:
        places = places.filter(child_id__in=list(children))
    return places.annotate(held_on=F("conference__date"), chair_ref=F("conference__chair"))


def store_held_places(*, children: Iterable[int] | None = None) -> int:
    """Rewrite the stored rows of these children (all when None). Returns how many."""
    return rewrite(HeldPlace, held_places, COLUMNS, children=children)
