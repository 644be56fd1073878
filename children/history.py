"""Who changed what and when, read from django-simple-history's tables.

Values are shown as people write them, never as stored codes: a choice by its label
("Emotional abuse", not EMO), a date as "28 May 2026", a yes/no as Yes or No, a linked record
by its name, and an empty value as "not recorded".
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import dateformat, timezone
from django.utils.text import capfirst
from simple_history.models import DeletedObject

from plans.models import ChildProtectionPlan

from .codes import Disability
from .models import Child

_HIDDEN = {"updated_at", "created_at"}
_KIND = {"+": "Created", "~": "Changed", "-": "Removed"}
NOT_RECORDED = "not recorded"
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
# Lists of codes kept in a JSON field, and the choices that name them.
_CODE_LISTS = {(Child, "disabilities"): Disability}
# The linked records each history table is read with, so their names cost no extra query.
_CHILD_LINKS = ("district", "household")
_PLAN_LINKS = ("initial_conference",)


@dataclass
class HistoryEntry:
    at: datetime
    by: str
    record: str
    action: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def field_label(model, name: str) -> str:
    """The field's name as the forms show it ("NHS number", not "Nhs number")."""
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001 - a removed field keeps its raw name
        return name


def display_value(model, name: str, value) -> str:
    """One stored value of `model.name` as a person would write it."""
    if value is None or value == "" or value == []:
        return NOT_RECORDED
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a removed field: show what was stored
        return str(value)
    if isinstance(value, DeletedObject):
        return "a record since removed"
    if isinstance(model_field, models.ForeignKey):
        return getattr(value, "display_name", None) or str(value)
    codes = _CODE_LISTS.get((model, name))
    if codes is not None and isinstance(value, list):
        labels = dict(codes.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(moment, DATETIME_FORMAT)
    if isinstance(value, date):
        return dateformat.format(value, DATE_FORMAT)
    return str(value)


def _entries(records, record_name: str, model) -> list[HistoryEntry]:
    # Changes in the order the record's fields are laid out, as on the child's record page.
    order = {f.name: index for index, f in enumerate(model._meta.fields)}
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
            delta = record.diff_against(
                previous, excluded_fields=_HIDDEN, foreign_keys_are_objs=True
            )
            entry.changes = [
                (
                    field_label(model, change.field),
                    display_value(model, change.field, change.old),
                    display_value(model, change.field, change.new),
                )
                for change in sorted(delta.changes, key=lambda c: order.get(c.field, len(order)))
            ]
        entries.append(entry)
        previous = record
    return entries


def child_history(child: Child) -> list[HistoryEntry]:
    """Every version of the child's record and of their plans, newest first.

    Two queries whatever the length of the history: linked records (district, household, the
    initial conference) come with each version, so their names need no lookup of their own."""
    entries = _entries(
        child.history.select_related("history_user", *_CHILD_LINKS).order_by(
            "history_date", "history_id"
        ),
        "Child's record",
        Child,
    )
    plan_history = (
        ChildProtectionPlan.history.filter(child_id=child.pk)
        .select_related("history_user", *_PLAN_LINKS)
        .order_by("id", "history_date", "history_id")
    )
    by_plan: dict[int, list] = {}
    for record in plan_history:
        by_plan.setdefault(record.id, []).append(record)
    for records in by_plan.values():
        entries += _entries(
            records,
            f"Plan from {dateformat.format(records[0].start_date, DATE_FORMAT)}",
            ChildProtectionPlan,
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
