"""The Django admin holds reference data only, for the Senior IRO (and superusers).

Case records (children, plans, conferences) are never edited here: they change through the
services, which validate and keep history.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .access import can_use_admin
from .models import District, IROProfile, Team, User, Vacancy

admin.site.site_header = "Safeguarding IRO service: reference data"
admin.site.site_title = "Reference data"
admin.site.index_title = "Reference data"
admin.site.has_permission = lambda request: can_use_admin(request.user)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data the Senior IRO maintains."""

    def has_module_permission(self, request):
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return can_use_admin(request.user)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(ReferenceDataAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]


@admin.register(IROProfile)
class IROProfileAdmin(ReferenceDataAdmin, SimpleHistoryAdmin):
    list_display = [
        "user",
        "qualification_year",
        "began_as_iro_year",
        "fte",
        "employment_type",
        "is_senior",
    ]
    list_filter = ["employment_type", "is_senior"]


@admin.register(Vacancy)
class VacancyAdmin(ReferenceDataAdmin):
    list_display = ["fte", "from_date", "to_date", "note"]


@admin.register(User)
class StaffUserAdmin(UserAdmin, SimpleHistoryAdmin):
    """Accounts are managed by superusers only: a role is what decides access."""

    fieldsets = UserAdmin.fieldsets + (("Role", {"fields": ("role", "district", "team")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Role", {"fields": ("role", "district", "team")}),)
    list_display = ["username", "first_name", "last_name", "role", "district", "is_active"]
    list_filter = ["role", "district", "is_active"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate an account instead: history must keep who did what
