"""Who may see and do what. Every view asks these functions; none checks roles itself.

Reading: every role reads case records; a district manager reads only their own district's.
Writing: business support, IROs and the Senior IRO edit children's records; IROs and the
Senior IRO record plans; managers and auditors only read.
"""

from django.urls import reverse

from .models import Role, User

EDIT_CHILD_ROLES = {Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT}
MANAGE_PLAN_ROLES = {Role.IRO, Role.SENIOR_IRO}
ADMIN_ROLES = {Role.SENIOR_IRO}


def has_role(user, roles) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) in roles)


def can_edit_children(user: User) -> bool:
    return has_role(user, EDIT_CHILD_ROLES)


def can_manage_plans(user: User) -> bool:
    return has_role(user, MANAGE_PLAN_ROLES)


def can_use_admin(user: User) -> bool:
    """The Django admin holds reference data only (districts, venues, benchmarks...)."""
    return bool(user.is_active and (user.is_superuser or has_role(user, ADMIN_ROLES)))


def district_scope(user: User):
    """The one district a user is limited to, or None when they see the whole authority."""
    if user.role == Role.DISTRICT_MANAGER:
        return user.district_id
    return None


def navigation_for(user: User, path: str) -> list[dict]:
    items = [{"label": "Find a child", "url": reverse("children:search")}]
    if can_edit_children(user):
        items.append({"label": "Add a child", "url": reverse("children:create")})
    if can_use_admin(user):
        items.append({"label": "Reference data", "url": reverse("admin:index")})
    for item in items:
        item["active"] = path == item["url"] or (
            item["url"] != "/" and path.startswith(item["url"]) and item["label"] != "Add a child"
        )
    return items
