"""Escalations each person may see (read only). Every role that reads case records reads
escalations; a district manager only their own district's (any other is not found). The
lists: the chair's open ones (raised by them), a district manager's addressed to them or their
district, and everyone's for the Senior IRO (and directorate managers and auditors, who read)
with filters by district, level and age."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from people.access import can_read_conferences, district_scope
from people.models import Role, User

from .models import Escalation


def require_reader(user: User) -> None:
    if not can_read_conferences(user):
        raise PermissionDenied("Your role does not work with escalations.")


def escalation_list_for(user: User) -> QuerySet[Escalation]:
    """Every escalation the user may see (403 for a role that reads no case records)."""
    require_reader(user)
    escalations = Escalation.objects.select_related(
        "child", "district", "raised_by", "addressed_to", "conference"
    )
    district_id = district_scope(user)
    if district_id is not None:
        escalations = escalations.filter(district_id=district_id)
    return escalations


def access_escalation(user: User, pk) -> Escalation:
    try:
        return escalation_list_for(user).get(pk=pk)
    except (Escalation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No escalation found") from exc


def has_filters(user: User) -> bool:
    """An IRO sees the escalations they raised; a district manager their district's; the
    Senior IRO and the other readers everyone's, by district, level and age."""
    return user.role not in (Role.IRO, Role.DISTRICT_MANAGER)


def escalation_worklist(
    user: User,
    *,
    today: date,
    district: int | None = None,
    level: int | None = None,
    open_days: int | None = None,
    status: str | None = Escalation.Status.OPEN,
) -> QuerySet[Escalation]:
    """The list page: oldest deadline first."""
    escalations = escalation_list_for(user)
    if user.role == Role.IRO:
        escalations = escalations.filter(raised_by=user)
    if status:
        escalations = escalations.filter(status=status)
    if district and has_filters(user):
        escalations = escalations.filter(district_id=district)
    if level:
        escalations = escalations.filter(level=level)
    if open_days:
        escalations = escalations.filter(raised_on__lte=today - timedelta(days=open_days))
    return escalations.order_by("response_due_by", "raised_on", "pk")


def open_escalations_raised_by(user: User) -> QuerySet[Escalation]:
    """For the IRO's landing page (templates/quality/_escalations.html)."""
    return (
        Escalation.objects.filter(raised_by=user, status=Escalation.Status.OPEN)
        .select_related("child", "addressed_to")
        .order_by("response_due_by", "pk")
    )
