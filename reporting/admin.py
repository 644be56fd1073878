from django.contrib import admin

from people.admin import ReferenceDataAdmin

from .models import Benchmark, ReferenceYear


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
