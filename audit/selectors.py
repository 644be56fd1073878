"""Reading the audit record: the events a filter asks for, newest first, and their wording."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from children.models import Child
from people.models import User

from .models import AccessEvent


@dataclass(frozen=True)
class AuditFilters:
    child: Child | None = None
    user: User | None = None
    date_from: date | None = None
    date_to: date | None = None

    def names(self) -> list[str]:
        """Which filters are set (for the audit of reading the audit: never their values)."""
        return [name for name in ("child", "user", "date_from", "date_to") if getattr(self, name)]

    def query(self) -> dict:
        """The filters as URL parameters: record ids and dates only."""
        values = {
            "child": self.child.pk if self.child else None,
            "user": self.user.pk if self.user else None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: value for key, value in values.items() if value is not None}


def access_event_list(filters: AuditFilters) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.select_related("user", "child")
    if filters.child is not None:
        events = events.filter(child=filters.child)
    if filters.user is not None:
        # Their own actions, and failed sign-ins typed with their username.
        events = events.filter(
            Q(user=filters.user) | Q(user__isnull=True, username=filters.user.username)
        )
    if filters.date_from is not None:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to is not None:
        events = events.filter(at__date__lte=filters.date_to)
    return events.order_by("-at", "-id")


# The pages and exports in words; anything else is shown by its name.
WHAT = {
    "children:detail": "Child's record",
    "children:history": "Child's record: changes",
    "children:household": "Household",
    "children:search": "Find a child",
    "api:child-detail": "API: child's record",
    "api:child-search": "API: find a child",
    "audit:events": "Audit record",
    "census:cin_census": "CIN census XML",
    "census:annex_a": "Annex A list",
    "reporting:monthly_list_csv": "Monthly list (CSV)",
    "conferences:decision_sheet_pdf": "Decision sheet (PDF)",
    "conferences:decision_sheet_letters": "Decision sheet letters (PDF)",
    "conferences:minutes_pdf": "Minutes (PDF)",
    "conferences:minutes_letters": "Minutes letters (PDF)",
    "conferences:minutes_file": "Uploaded draft minutes",
    "annual_report:version_download": "Annual report (PDF)",
    "quality:quarterly_report_pdf": "Quarterly quality report (PDF)",
    # exports, by the file they made
    "cin_census.xml": "CIN census XML",
    "annual_report.pdf": "Annual report (PDF)",
    "quarterly_report.pdf": "Quarterly quality report (PDF)",
    "login": "Sign in",
    "logout": "Sign out",
    "admin:login": "Admin sign in",
}
DETAIL_LABELS = {
    "results": "results",
    "children": "children",
    "by": "by",
    "born_on": "with date of birth",
}


ANNEX_A_FILE = re.compile(r"^annex_a_list_(\d+)\.(csv|xlsx)$")


def describe_what(event: AccessEvent) -> str:
    annex = ANNEX_A_FILE.match(event.what)
    if annex:
        return f"Annex A list {annex[1]} ({annex[2].upper()})"
    return WHAT.get(event.what, event.what)


def describe_detail(event: AccessEvent) -> str:
    """The event's detail as short words: "by nhs_number; 1 result"."""
    parts = []
    for key, value in (event.detail or {}).items():
        if isinstance(value, bool):
            if value:
                parts.append(DETAIL_LABELS.get(key, key.replace("_", " ")))
            continue
        if isinstance(value, list):
            if not value:  # a search with no filter: nothing to say
                continue
            value = ", ".join(str(item).replace("_", " ") for item in value)
        parts.append(f"{DETAIL_LABELS.get(key, key.replace('_', ' '))}: {value}")
    return "; ".join(parts)
