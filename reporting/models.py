"""Reference data per reporting year: population and benchmarks (§6.1, §6.3)."""

from django.db import models


class ReferenceYear(models.Model):
    """A reporting year, 1 April to 31 March, named by the year it ends in ("2012")."""

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year it ends: 2012 for 2011/12."
    )
    under_18_population = models.PositiveIntegerField(
        help_text="Mid-year estimate of the authority's population under 18."
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year - 1}/{str(self.year)[-2:]}"


class Benchmark(models.Model):
    """England, statistical-neighbour and local-target values for an indicator in a year."""

    class Indicator(models.TextChoices):
        NI64 = "ni64", "NI 64: plans lasting two years or more (%)"
        NI65 = "ni65", "NI 65: repeat plans (%)"
        NI67 = "ni67", "NI 67: reviews within timescales (%)"
        RATE = "rate_per_10000", "Plans per 10,000 children"
        INITIAL_TIMELINESS = "initial_timeliness", "Initial conferences within 15 working days (%)"

    indicator = models.CharField(max_length=30, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(
        help_text="The reporting year it ends: 2012 for 2011/12."
    )
    local_value_published = models.DecimalField(
        "value this authority published", max_digits=7, decimal_places=2, null=True, blank=True
    )
    england = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    statistical_neighbours = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    local_target = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="one_benchmark_per_indicator_and_year",
                violation_error_message="There is already a benchmark for this indicator and year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}"
