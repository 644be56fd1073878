from rest_framework import serializers

from children.models import Child
from plans.models import ChildProtectionPlan


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildProtectionPlan
        fields = [
            "id",
            "start_date",
            "end_date",
            "end_reason",
            "initial_category",
            "latest_category",
            "is_pre_birth",
            "next_review_due_by",
        ]


class ChildListSerializer(serializers.ModelSerializer):
    district = serializers.StringRelatedField()

    class Meta:
        model = Child
        fields = [
            "id",
            "local_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "district",
        ]


class ChildDetailSerializer(ChildListSerializer):
    household = serializers.StringRelatedField()
    plans = PlanSerializer(many=True, read_only=True)

    class Meta(ChildListSerializer.Meta):
        fields = ChildListSerializer.Meta.fields + [
            "gender",
            "ethnicity",
            "disabilities",
            "upn",
            "nhs_number",
            "household",
            "plans",
        ]


class ChildSearchSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    born_on = serializers.DateField(required=False)

    def validate(self, attrs):
        if not attrs.get("q") and not attrs.get("born_on"):
            raise serializers.ValidationError("Give q (name or child ID) or born_on (YYYY-MM-DD).")
        return attrs
