from django.contrib import admin

from .models import QueuedTask


@admin.register(QueuedTask)
class QueuedTaskAdmin(admin.ModelAdmin):
    """Read only: what is waiting for the broker, and what was sent when."""

    list_display = ["id", "task_name", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "task_name"]
    readonly_fields = [field.name for field in QueuedTask._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
