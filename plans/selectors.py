"""Reads of plans, through the user's access to the child."""

from django.http import Http404

from children.selectors import child_list_for
from people.models import User

from .models import ChildProtectionPlan


def access_plan(user: User, plan_id: int) -> ChildProtectionPlan:
    try:
        return ChildProtectionPlan.objects.select_related("child").get(
            pk=plan_id, child__in=child_list_for(user)
        )
    except (ChildProtectionPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No plan found") from exc
