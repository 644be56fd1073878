"""Write validated census records to the database, a batch at a time (importer.py reads them).

Each batch (2,000 children by default) costs a fixed number of queries: the rows that already
exist are fetched by their natural keys (only for children that were already there), new rows
are inserted in bulk (bulk.py: COPY on PostgreSQL), changed rows updated with bulk_update, and
the history of both copied inside the database (history.py).

Keys, so that importing the same file twice changes nothing:
- a child by LAchildID (Child.local_id); a new child gets a household "CIN-<LAchildID>" in the
  district given (default "Not recorded"), since the census names neither;
- a section 47 enquiry by child and start date;
- an initial conference by child and date (any initial kind); a review conference by child
  and date; each a held conference considering that child;
- a plan by child and start date.

The newer census wins: a child's values, and its enquiries' and plans' values, are only
overwritten by a census whose reference date is on or after the one that last set them
(ChildCensusSource). Anything an older census adds (an earlier plan, a review) is still added.
Values the census does not give (names, NHS number, the district of a known child) are never
touched, and a value the census leaves out does not blank one the record has.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from children.models import Child, Household
from children.validators import validate_upn
from conferences.models import Conference, ConferenceChild, S47Enquiry
from conferences.rules import initial_conference_due_by
from people.models import District

from .bulk import insert
from .history import record_history
from .import_plans import PlanUpserter
from .import_rules import change_date, discussed_on
from .models import ChildCensusSource

INITIAL_KINDS = {
    Conference.Kind.INITIAL,
    Conference.Kind.PRE_BIRTH_INITIAL,
    Conference.Kind.TRANSFER_IN,
}
NOT_REQUIRED = {S47Enquiry.Outcome.NO_HARM, S47Enquiry.Outcome.NO_CONFERENCE_HARM}
CHILD_FIELDS = ("date_of_birth", "expected_date_of_birth", "gender", "ethnicity", "disabilities")
Outcome = ConferenceChild.Outcome


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    children: Counts = field(default_factory=Counts)
    households: Counts = field(default_factory=Counts)
    enquiries: Counts = field(default_factory=Counts)
    conferences: Counts = field(default_factory=Counts)
    plans: Counts = field(default_factory=Counts)
    category_changes: Counts = field(default_factory=Counts)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "warnings"}

    def lines(self) -> list[str]:
        labels = {
            "children": "Children",
            "plans": "Child protection plans",
            "conferences": "Conferences",
            "enquiries": "Section 47 enquiries",
            "households": "Households",
            "category_changes": "Category changes",
        }
        return [
            f"{label}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for name, label in labels.items()
            for c in [getattr(self, name)]
        ]


@dataclass
class _Child:
    id: int
    household_id: int
    date_of_birth: date | None
    newer: bool  # this census may overwrite the record's values
    existed: bool = True  # False: created by this batch, so it has no other rows yet


@lru_cache(maxsize=1)
def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _at(day: date) -> datetime:
    """10:00 on the day, local time: the census gives conference dates only."""
    return datetime.combine(day, time(10, 0), tzinfo=_local_zone())


def _unborn(child: _Child, on: date) -> bool:
    return child.date_of_birth is None or child.date_of_birth > on


class CensusWriter:
    def __init__(self, *, district_name: str, user, summary: ImportSummary, issues: list):
        self.user_id = getattr(user, "pk", None)
        self.summary, self.issues, self.reason = summary, issues, "CIN census import"
        self.district = self._district(district_name.strip() or "Not recorded")

    @staticmethod
    def _district(name: str) -> District:
        district = District.objects.filter(name__iexact=name).first()
        if district is not None:
            return district
        base = slugify(name)[:16] or "district"
        code, n = base, 1
        while District.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        return District.objects.create(name=name, code=code)

    def _history(self, model, ids, kind: str) -> None:
        record_history(model, ids, history_type=kind, reason=self.reason, user_id=self.user_id)

    def write(self, records: list, *, reference: date, file: str) -> None:
        self.file = file
        children = self._children(records, reference)
        # Only children that were already there can have conferences, enquiries or plans.
        ids = [child.id for child in children.values() if child.existed]
        initial, reviews = self._existing_conferences(ids)
        self._conferences(records, children, initial, reviews, reference)
        self._enquiries(records, children, initial)
        self._plans(records, children, initial, reviews, reference)

    # -- children and households ---------------------------------------------------------------

    def _valid_upn(self, record) -> str:
        if not record.upn:
            return ""
        try:
            validate_upn(record.upn)
        except ValidationError as error:
            self.summary.warnings.append(
                f"{self.file}, line {record.line}: child {record.local_id}: UPN "
                f"{record.upn!r} not stored: {error.messages[0]}"
            )
            return ""
        return record.upn

    def _households(self, local_ids: list[str]) -> dict[str, int]:
        references = {local_id: f"CIN-{local_id}" for local_id in local_ids}
        found = dict(
            Household.objects.filter(reference__in=references.values()).values_list(
                "reference", "id"
            )
        )
        missing = [ref for ref in references.values() if ref not in found]
        ids = insert(
            Household, [{"reference": ref, "district_id": self.district.pk} for ref in missing]
        )
        self._history(Household, ids, "+")
        self.summary.households.created += len(ids)
        found.update(zip(missing, ids, strict=True))
        return {local_id: found[ref] for local_id, ref in references.items()}

    def _children(self, records: list, reference: date) -> dict[str, _Child]:
        rows = {
            row["local_id"]: row
            for row in Child.objects.filter(local_id__in=[r.local_id for r in records]).values(
                "id", "local_id", "household_id", "upn", *CHILD_FIELDS
            )
        }
        stamps = dict(
            ChildCensusSource.objects.filter(
                child_id__in=[row["id"] for row in rows.values()]
            ).values_list("child_id", "reference_date")
        )
        homeless = [
            r.local_id for r in records if rows.get(r.local_id, {}).get("household_id") is None
        ]
        households = self._households(homeless) if homeless else {}
        created, updated, result = [], [], {}
        for record in records:
            row = rows.get(record.local_id)
            values = self._child_values(record)
            if row is None:
                created.append(
                    {
                        "local_id": record.local_id,
                        "first_name": "Child",
                        "last_name": record.local_id,
                        "household_id": households[record.local_id],
                        "district_id": self.district.pk,
                        **{k: v for k, v in values.items() if v is not None},
                    }
                )
                continue
            stamp = stamps.get(row["id"])
            newer = stamp is None or stamp <= reference
            changes = {k: v for k, v in values.items() if newer and v and v != row[k]}
            if row["household_id"] is None:
                changes["household_id"] = households[record.local_id]
            if changes:
                child = Child(id=row["id"], **changes, updated_at=timezone.now())
                updated.append((child, changes))
            else:
                self.summary.children.unchanged += 1
            result[record.local_id] = _Child(
                row["id"],
                changes.get("household_id", row["household_id"]),
                changes.get("date_of_birth", row["date_of_birth"]),
                newer,
            )
        ids = insert(Child, created)
        by_fields = defaultdict(list)
        for child, changes in updated:  # bulk_update writes the same fields for every row
            by_fields[tuple(sorted(changes))].append(child)
        for names, group in by_fields.items():
            Child.objects.bulk_update(group, [*names, "updated_at"])
        self._history(Child, ids, "+")
        self._history(Child, [c.pk for c, _ in updated], "~")
        self.summary.children.created += len(created)
        self.summary.children.updated += len(updated)
        for pk, row in zip(ids, created, strict=True):
            born = row.get("date_of_birth")
            result[row["local_id"]] = _Child(pk, row["household_id"], born, True, False)
        self._stamp(result, new=set(ids), reference=reference)
        return result

    @staticmethod
    def _stamp(children: dict, *, new: set, reference: date) -> None:
        """Remember this census as the newest to have set each child's values."""
        insert(
            ChildCensusSource,
            [
                {"child_id": c.id, "reference_date": reference}
                for c in children.values()
                if c.id in new
            ],
        )
        known = [c.id for c in children.values() if c.newer and c.id not in new]
        ChildCensusSource.objects.bulk_create(
            [ChildCensusSource(child_id=pk, reference_date=reference) for pk in known],
            update_conflicts=True,
            unique_fields=["child"],
            update_fields=["reference_date"],
        )

    def _child_values(self, record) -> dict:
        return {
            "date_of_birth": record.date_of_birth,
            "expected_date_of_birth": record.expected_date_of_birth,
            "gender": record.gender,
            "ethnicity": record.ethnicity,
            "disabilities": record.disabilities or None,
            "upn": self._valid_upn(record) or None,
        }

    # -- conferences ---------------------------------------------------------------------------

    @staticmethod
    def _existing_conferences(child_ids: list[int]):
        initial, reviews = {}, defaultdict(dict)
        rows = ConferenceChild.objects.filter(
            child_id__in=child_ids, conference__status=Conference.Status.HELD
        ).values_list("child_id", "conference__kind", "conference__date", "conference_id")
        for child_id, kind, on, conference_id in rows:
            if kind == Conference.Kind.REVIEW:
                reviews[child_id][on] = conference_id
            elif kind in INITIAL_KINDS:
                initial[(child_id, on)] = conference_id
        return initial, reviews

    def _conferences(self, records, children, initial, reviews, reference) -> None:
        """Held initial and review conferences each considering the child, unless there."""
        wanted = []  # (conference row, child id, (outcome, category), map its id goes in, key)
        for record in records:
            child = children[record.local_id]
            starting = {plan.start: plan for plan in record.plans}
            for on in sorted(record.initial_conference_dates):
                if (child.id, on) in initial:
                    self.summary.conferences.unchanged += 1
                    continue
                plan = starting.get(on)
                kind = (
                    Conference.Kind.PRE_BIRTH_INITIAL
                    if _unborn(child, on)
                    else Conference.Kind.INITIAL
                )
                outcome = (
                    (Outcome.PLAN_STARTED, plan.initial_category) if plan else (Outcome.NO_PLAN, "")
                )
                wanted.append(
                    (self._conference(child, kind, on), child.id, outcome, initial, (child.id, on))
                )
                initial[(child.id, on)] = None
            for plan in record.plans:
                known = sorted(set(plan.reviews) | set(reviews[child.id]))
                changed = change_date(plan, known, reference)
                for on in plan.reviews:
                    if on in reviews[child.id]:
                        self.summary.conferences.unchanged += 1
                        continue
                    if on == plan.end:
                        outcome = (Outcome.PLAN_CEASED, "")
                    else:
                        category = plan.latest_category if on >= changed else plan.initial_category
                        outcome = (Outcome.PLAN_CONTINUED, category)
                    row = self._conference(child, Conference.Kind.REVIEW, on)
                    wanted.append((row, child.id, outcome, reviews[child.id], on))
                    reviews[child.id][on] = None
        ids = insert(Conference, [item[0] for item in wanted])
        considered = [
            {"conference_id": pk, "child_id": child_id, "outcome": outcome, "category": category}
            for pk, (_, child_id, (outcome, category), _, _) in zip(ids, wanted, strict=True)
        ]
        considered_ids = insert(ConferenceChild, considered)
        for pk, (_, _, _, found, key) in zip(ids, wanted, strict=True):
            found[key] = pk
        self._history(Conference, ids, "+")
        self._history(ConferenceChild, considered_ids, "+")
        self.summary.conferences.created += len(ids)

    @staticmethod
    def _conference(child: _Child, kind: str, on: date) -> dict:
        return {
            "kind": kind,
            "status": Conference.Status.HELD,
            "household_id": child.household_id,
            "scheduled_for": _at(on),
            "date": on,
        }

    # -- section 47 enquiries ------------------------------------------------------------------

    def _enquiries(self, records, children, initial) -> None:
        days = settings.IRO_TIMESCALES["INITIAL_CONFERENCE_WORKING_DAYS"]
        existing = {
            (row["child_id"], row["started_on"]): row
            for row in S47Enquiry.objects.filter(
                child_id__in=[c.id for c in children.values() if c.existed]
            ).values(
                "id",
                "child_id",
                "started_on",
                "outcome",
                "initial_conference_due_by",
                "initial_conference_id",
            )
        }
        created, updated = [], []
        for record in records:
            child = children[record.local_id]
            for s47 in record.s47s:
                if s47.conference_on:
                    outcome = S47Enquiry.Outcome.CONFERENCE
                else:
                    outcome = (
                        S47Enquiry.Outcome.NO_HARM
                        if s47.not_required
                        else S47Enquiry.Outcome.ONGOING
                    )
                conference_id = initial.get((child.id, s47.conference_on))
                row = existing.get((child.id, s47.started_on))
                if row is None:
                    discussed = discussed_on(
                        target=s47.target_on, started=s47.started_on, working_days=days
                    )
                    due = s47.target_on or initial_conference_due_by(
                        strategy_discussion_on=discussed, working_days=days
                    )
                    created.append(
                        {
                            "child_id": child.id,
                            "strategy_discussion_on": discussed,
                            "started_on": s47.started_on,
                            "outcome": outcome,
                            "initial_conference_due_by": due,
                            "initial_conference_id": conference_id,
                        }
                    )
                    continue
                if row["outcome"] in NOT_REQUIRED and outcome in NOT_REQUIRED:
                    outcome = row["outcome"]  # the census cannot tell the two apart
                changes = {}
                if child.newer and outcome != row["outcome"]:
                    changes["outcome"] = outcome
                if (
                    child.newer
                    and s47.target_on
                    and s47.target_on != row["initial_conference_due_by"]
                ):
                    changes["initial_conference_due_by"] = s47.target_on
                if conference_id and row["initial_conference_id"] is None:
                    changes["initial_conference_id"] = conference_id
                if changes:
                    updated.append(S47Enquiry(id=row["id"], **{**self._s47_row(row), **changes}))
                else:
                    self.summary.enquiries.unchanged += 1
        ids = insert(S47Enquiry, created)
        S47Enquiry.objects.bulk_update(
            updated, ["outcome", "initial_conference_due_by", "initial_conference_id", "updated_at"]
        )
        self._history(S47Enquiry, ids, "+")
        self._history(S47Enquiry, [e.pk for e in updated], "~")
        self.summary.enquiries.created += len(created)
        self.summary.enquiries.updated += len(updated)

    @staticmethod
    def _s47_row(row: dict) -> dict:
        return {
            "outcome": row["outcome"],
            "initial_conference_due_by": row["initial_conference_due_by"],
            "initial_conference_id": row["initial_conference_id"],
            "updated_at": timezone.now(),
        }

    # -- plans and category changes ------------------------------------------------------------

    def _plans(self, records, children, initial, reviews, reference) -> None:
        PlanUpserter(self, children, initial, reviews, reference).run(records)
