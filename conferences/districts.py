"""Each conference's district, stored: its household's (style.md rule 2, deadlines and the
facts the measures count are stored). The measures count a period's conferences, QA forms,
questionnaires and initial conference dues by district from the conference's own row and its
covering index, instead of joining every household (720,000 at England's scale) to find it.

Written once, here, and kept by every door: `Conference.save()` sets it when the conference
is new or moves to another household; a household's change of district moves its stored rows
(the signal in conferences/apps.py); the bulk loads, which send no signals, call
`store_derived()` (iro_service/derived.py), which calls `store_conference_districts()`.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from children.models import Child, Household
from iro_service.derived import child_ids

from .models import Conference, InitialConferenceDue


def follow_household(household: Household) -> int:
    """Give the household's conferences and initial conference dues its district."""
    district = household.district_id
    moved = (
        Conference.objects.filter(household=household)
        .exclude(district=district)
        .update(district=district)
    )
    InitialConferenceDue.objects.filter(household=household).exclude(district=district).update(
        district=district
    )
    return moved


def store_conference_districts(*, children: Iterable[int] | None = None) -> int:
    """Set the district of every conference (of these children's households; all when None)
    whose stored district is not its household's. Returns how many changed."""
    conferences = Conference.objects.all()
    if children is not None:
        ids = child_ids(children)
        if not ids:
            return 0
        conferences = conferences.filter(
            household__in=Child.objects.filter(id__in=ids).values("household_id")
        )
    households = Household.objects.filter(pk=OuterRef("household_id")).values("district_id")
    return conferences.exclude(district=Subquery(households)).update(district=Subquery(households))
