from django.contrib import admin

from people.admin import ReferenceDataAdmin

from .models import Benchmark, IndicatorSnapshot, ReferenceYear


@admin.register(ReferenceYear)
class ReferenceYearAdmin(ReferenceDataAdmin):
    list_display = ["year", "under_18_population"]


@admin.register(Benchmark)
class BenchmarkAdmin(ReferenceDataAdmin):
    list_display = [
        "indicator",
        "year",
        "local_value_published",
        "england",
        "statistical_neighbours",
        "local_target",
    ]
    list_filter = ["indicator", "year"]


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(ReferenceDataAdmin):
    """Stored snapshots, for looking into a failed refresh. They are written only by the
    snapshot service, so the admin cannot add or change them."""

    list_display = ["year", "district", "status", "data_as_of", "requested_by", "finished_at"]
    list_filter = ["status", "year", "district"]
    readonly_fields = [field.name for field in IndicatorSnapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
