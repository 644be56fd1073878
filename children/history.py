"""Who changed what and when, read from django-simple-history's tables."""

from dataclasses import dataclass, field
from datetime import datetime

from plans.models import ChildProtectionPlan

from .models import Child

_HIDDEN = {"updated_at", "created_at"}
_KIND = {"+": "Created", "~": "Changed", "-": "Removed"}


@dataclass
class HistoryEntry:
    at: datetime
    by: str
    record: str
    action: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - a removed field keeps its raw name
        return name


def _entries(records, record_name: str, model) -> list[HistoryEntry]:
    entries = []
    previous = None
    for record in records:  # oldest first
        entry = HistoryEntry(
            at=record.history_date,
            by=record.history_user.display_name if record.history_user else "System",
            record=record_name,
            action=_KIND.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=_HIDDEN)
            entry.changes = [
                (_label(model, change.field), str(change.old or "—"), str(change.new or "—"))
                for change in delta.changes
            ]
        entries.append(entry)
        previous = record
    return entries


def child_history(child: Child) -> list[HistoryEntry]:
    """Every version of the child's record and of their plans, newest first."""
    entries = _entries(
        child.history.select_related("history_user").order_by("history_date", "history_id"),
        "Child's record",
        Child,
    )
    plan_history = (
        ChildProtectionPlan.history.filter(child_id=child.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    by_plan: dict[int, list] = {}
    for record in plan_history:
        by_plan.setdefault(record.id, []).append(record)
    for records in by_plan.values():
        entries += _entries(
            records, f"Plan from {records[0].start_date:%d %B %Y}", ChildProtectionPlan
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
