"""Plans and their category changes from census records (import_writer.py's last step).

A plan is keyed on child and start date. A LatestCategoryOfAbuse that differs from the plan's
category is recorded as a CategoryChange (history, never an overwrite) dated at the plan's last
review on or before the census date or the plan's end, or its start if it had no review; so the
plan has its latest category at the census date and at its end. A change is never dated before
one the plan already has.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from plans.models import CategoryChange, ChildProtectionPlan

from .bulk import insert
from .import_rules import change_date, next_review_due
from .issues import Issue

PLAN_FIELDS = (
    "id",
    "child_id",
    "start_date",
    "end_date",
    "end_reason",
    "initial_category",
    "latest_category",
    "number_of_previous_plans",
    "initial_conference_id",
    "is_pre_birth",
    "next_review_due_by",
)


class PlanUpserter:
    def __init__(self, writer, children, initial, reviews, reference):
        self.writer, self.children, self.initial = writer, children, initial
        self.reviews, self.reference = reviews, reference
        self.summary = writer.summary
        self.timescales = dict(settings.IRO_TIMESCALES)

    def run(self, records) -> None:
        ids = [child.id for child in self.children.values() if child.existed]
        existing = {
            (row["child_id"], row["start_date"]): row
            for row in ChildProtectionPlan.objects.filter(child_id__in=ids).values(*PLAN_FIELDS)
        }
        if self._conflicts(records, existing):
            return
        last_change = dict(
            CategoryChange.objects.filter(plan__child_id__in=ids)
            .order_by()
            .values("plan_id")
            .annotate(last=Max("changed_on"))
            .values_list("plan_id", "last")
        )
        created, updated, changes = [], [], []
        for record in records:
            child = self.children[record.local_id]
            reviews = sorted(self.reviews[child.id])
            for plan in record.plans:
                row = existing.get((child.id, plan.start))
                if row is None:
                    created.append(self._new(child, plan, reviews, changes))
                    continue
                update = self._changes(child, plan, row, reviews, last_change, changes)
                if update:
                    fields = {**update, "updated_at": timezone.now()}
                    updated.append((ChildProtectionPlan(id=row["id"], **fields), fields))
                else:
                    self.summary.plans.unchanged += 1
        self._save(created, updated, changes)

    def _conflicts(self, records, existing) -> bool:
        """More than one open plan for a child, once the file is applied: refused."""
        open_plans = defaultdict(dict)
        for (child_id, start), row in existing.items():
            open_plans[child_id][start] = row["end_date"] is None
        found = False
        for record in records:
            child = self.children[record.local_id]
            for plan in record.plans:
                row = existing.get((child.id, plan.start))
                if row is None or child.newer:
                    end = self._end(plan, row)
                    open_plans[child.id][plan.start] = end is None
            starts = sorted(start for start, is_open in open_plans[child.id].items() if is_open)
            if len(starts) > 1:
                found = True
                line = next((p.line for p in record.plans if p.start == starts[-1]), record.line)
                self.writer.issues.append(
                    Issue(
                        self.writer.file,
                        line,
                        record.local_id,
                        "CPPendDate",
                        "would leave the child with more than one open plan (starting "
                        + " and ".join(str(s) for s in starts)
                        + "); end the earlier plan in the census or the record",
                    )
                )
        return found

    def _end(self, plan, row):
        """A plan the census shows open, that the record shows ending after the census date,
        keeps its end: the record knows more."""
        if plan.end is None and row and row["end_date"] and row["end_date"] > self.reference:
            return row["end_date"]
        return plan.end

    def _new(self, child, plan, reviews, changes) -> dict:
        pre_birth = child.date_of_birth is None or child.date_of_birth > plan.start
        row = {
            "child_id": child.id,
            "start_date": plan.start,
            "end_date": plan.end,
            "end_reason": plan.end_reason if plan.end else "",
            "initial_category": plan.initial_category,
            "latest_category": plan.latest_category,
            "is_pre_birth": pre_birth,
            "number_of_previous_plans": plan.previous_plans,
            "initial_conference_id": self.initial.get((child.id, plan.start)),
            "next_review_due_by": None
            if plan.end
            else next_review_due(
                start=plan.start,
                pre_birth=pre_birth,
                born=child.date_of_birth,
                reviews=reviews,
                timescales=self.timescales,
            ),
        }
        if plan.latest_category != plan.initial_category:
            on = change_date(plan, reviews, self.reference)
            changes.append((row, child.id, on, plan.initial_category, plan.latest_category))
        return row

    def _changes(self, child, plan, row, reviews, last_change, changes) -> dict:
        update = {}
        if child.newer:
            end = self._end(plan, row)
            if end != row["end_date"]:
                update["end_date"] = end
                update["end_reason"] = (row["end_reason"] or plan.end_reason) if end else ""
            previous = plan.previous_plans
            if previous is not None and previous != row["number_of_previous_plans"]:
                update["number_of_previous_plans"] = previous
            if plan.initial_category != row["initial_category"]:
                update["initial_category"] = plan.initial_category
            if plan.latest_category != row["latest_category"]:
                update["latest_category"] = plan.latest_category
                on = max(
                    change_date(plan, reviews, self.reference),
                    last_change.get(row["id"], plan.start),
                )
                changes.append(
                    (row["id"], child.id, on, row["latest_category"], plan.latest_category)
                )
        conference_id = self.initial.get((child.id, plan.start))
        if row["initial_conference_id"] is None and conference_id:
            update["initial_conference_id"] = conference_id
        ended = update.get("end_date", row["end_date"])
        due = None
        if ended is None:
            due = next_review_due(
                start=plan.start,
                pre_birth=row["is_pre_birth"],
                born=child.date_of_birth,
                reviews=reviews,
                timescales=self.timescales,
            )
        if due != row["next_review_due_by"]:
            update["next_review_due_by"] = due
        return update

    def _save(self, created, updated, changes) -> None:
        by_fields = defaultdict(list)
        for plan, fields in updated:  # ends first: a child may have one open plan at a time
            by_fields[tuple(sorted(fields))].append(plan)
        for names, plans in by_fields.items():
            ChildProtectionPlan.objects.bulk_update(plans, list(names))
        ids = insert(ChildProtectionPlan, created)
        for pk, row in zip(ids, created, strict=True):
            row["id"] = pk
        change_ids = insert(
            CategoryChange,
            [
                {
                    "plan_id": plan["id"] if isinstance(plan, dict) else plan,
                    "changed_on": on,
                    "from_category": from_category,
                    "to_category": to_category,
                    "conference_id": self.reviews[child_id].get(on),
                }
                for plan, child_id, on, from_category, to_category in changes
            ],
        )
        history = self.writer._history
        history(ChildProtectionPlan, ids, "+")
        history(ChildProtectionPlan, [p.pk for p, _ in updated], "~")
        history(CategoryChange, change_ids, "+")
        self.summary.plans.created += len(ids)
        self.summary.plans.updated += len(updated)
        self.summary.category_changes.created += len(change_ids)
