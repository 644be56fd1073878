"""What the indicators and snapshots API takes and gives. The figures themselves are
compute_all's, documented measure by measure from the measures' own docstrings."""

import inspect

from rest_framework import serializers

from reporting.metrics import MEASURES, benchmarks, district_breakdown, reviews, staff
from reporting.models import IndicatorSnapshot
from reporting.services import FIRST_YEAR, LAST_YEAR

YEAR_HELP = "Reporting year, named by the year it ends: 2012 is 1 April 2011 to 31 March 2012."
DISTRICT_HELP = (
    "District id; leave out for the whole authority. A district manager gets their own "
    "district, and 404 for any other."
)


class IndicatorQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=YEAR_HELP + " Leave out for the current year (1 April to today).",
    )
    district = serializers.IntegerField(required=False, min_value=1, help_text=DISTRICT_HELP)


class SnapshotRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=YEAR_HELP)
    district = serializers.IntegerField(required=False, min_value=1, help_text=DISTRICT_HELP)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


def _summary(function) -> str:
    return (inspect.getdoc(function) or "").split("\n\n")[0].replace("\n", " ")


_AUTHORITY_ONLY = " Whole authority only."
_FIELDS = {
    name: serializers.JSONField(help_text=_summary(function)) for name, function in MEASURES.items()
}
_FIELDS.update(
    caseloads=serializers.JSONField(help_text=_summary(staff.caseloads)),
    reviews_due=serializers.JSONField(help_text=_summary(reviews.reviews_due)),
    staffing=serializers.JSONField(
        required=False, help_text=_summary(staff.staffing) + _AUTHORITY_ONLY
    ),
    benchmarks=serializers.JSONField(
        required=False, help_text=_summary(benchmarks) + _AUTHORITY_ONLY
    ),
    districts=serializers.JSONField(
        required=False, help_text=_summary(district_breakdown) + _AUTHORITY_ONLY
    ),
)
# compute_all's output, one documented field per measure, kept in step with MEASURES.
IndicatorsSerializer = type(
    "IndicatorsSerializer",
    (serializers.Serializer,),
    {
        "period": PeriodSerializer(),
        "district": serializers.CharField(allow_null=True, help_text="Null: whole authority."),
        **_FIELDS,
    },
)


class StoredIndicatorsSerializer(IndicatorsSerializer):
    """The indicators endpoint's answer: the stored figures and how current they are."""

    as_of = serializers.DateTimeField(help_text="The records as they stood at this moment.")
    out_of_date = serializers.BooleanField(
        help_text="Records changed since as_of: newer figures are being computed."
    )


class SnapshotSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="scope_label", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.display_name", read_only=True, allow_null=True, default=None
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:snapshot-detail")

    class Meta:
        model = IndicatorSnapshot
        fields = [
            "id",
            "url",
            "year",
            "district",
            "district_name",
            "status",
            "steps_done",
            "steps_total",
            "data_as_of",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "error",
        ]


class SnapshotDetailSerializer(SnapshotSerializer):
    data = IndicatorsSerializer(
        source="figures",
        read_only=True,
        allow_null=True,
        help_text="Every measure; null until the snapshot is done.",
    )

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "data"]


class SnapshotAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=IndicatorSnapshot.Status.choices)
    created = serializers.BooleanField(
        help_text="False when one was already queued or running for this year and district."
    )
    status_url = serializers.URLField(help_text="GET this for the snapshot's progress.")
    progress_page = serializers.URLField(help_text="The same progress, as a web page.")
