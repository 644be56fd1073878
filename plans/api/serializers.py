"""What the core groups and visits API gives and takes. Input serializers check the shape of a
request; plans.services decides what may be recorded (style.md rule 5)."""

from rest_framework import serializers

from conferences.api.serializers import PersonSerializer
from iro_service.validators import validate_no_bidi_controls

from ..models import ChildProtectionPlan, CoreGroupMeeting, ProtectionVisit

OVERDUE_LISTS = [("core_groups", "Overdue core groups"), ("visits", "Overdue visits")]


class PlanContactDatesSerializer(serializers.ModelSerializer):
    """The plan and the core group and visit dates it stores (none due once it has ended)."""

    class Meta:
        model = ChildProtectionPlan
        fields = [
            "id",
            "child",
            "start_date",
            "end_date",
            "first_core_group_due_by",
            "next_core_group_due_by",
            "next_visit_due_by",
        ]


class CoreGroupSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(allow_null=True)

    class Meta:
        model = CoreGroupMeeting
        fields = ["id", "held_on", "attendees", "note", "recorded_by", "created_at"]


class VisitSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(allow_null=True)

    class Meta:
        model = ProtectionVisit
        fields = [
            "id",
            "visited_on",
            "visited_by",
            "child_seen",
            "child_seen_alone",
            "note",
            "recorded_by",
            "created_at",
        ]


class CoreGroupListSerializer(serializers.Serializer):
    plan = PlanContactDatesSerializer()
    core_groups = CoreGroupSerializer(many=True)


class VisitListSerializer(serializers.Serializer):
    plan = PlanContactDatesSerializer()
    visits = VisitSerializer(many=True)


class CoreGroupRecordedSerializer(serializers.Serializer):
    plan = PlanContactDatesSerializer(help_text="With its next core group date stored again.")
    core_group = CoreGroupSerializer()


class VisitRecordedSerializer(serializers.Serializer):
    plan = PlanContactDatesSerializer(help_text="With its next visit date stored again.")
    visit = VisitSerializer()


class CoreGroupInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text="YYYY-MM-DD: not in the future, within the plan.")
    attendees = serializers.CharField(
        allow_blank=True, trim_whitespace=True, help_text="Who attended: name and agency or role."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VisitInputSerializer(serializers.Serializer):
    visited_on = serializers.DateField(help_text="YYYY-MM-DD: not in the future, within the plan.")
    visited_by = serializers.CharField(
        validators=[validate_no_bidi_controls],
        max_length=150,
        allow_blank=True,
        help_text="Who visited: usually the social worker.",
    )
    child_seen = serializers.BooleanField()
    child_seen_alone = serializers.BooleanField(
        default=False, help_text="Only if the child was seen."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OverdueQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=OVERDUE_LISTS,
        default="core_groups",
        help_text="Which list: overdue core groups (the default) or overdue visits.",
    )


class OverdueChildSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    local_id = serializers.CharField()
    name = serializers.CharField(source="full_name")
    district = serializers.CharField(source="district.name")


class OverduePlanSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="pk")
    child = OverdueChildSerializer()
    start_date = serializers.DateField()
    due_by = serializers.DateField()
    days_overdue = serializers.IntegerField(help_text="Calendar days after the due date.")
    allocated_iro = PersonSerializer(allow_null=True)


class OverdueCountsSerializer(serializers.Serializer):
    core_groups = serializers.IntegerField()
    visits = serializers.IntegerField()


class OverdueListSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OVERDUE_LISTS)
    counts = OverdueCountsSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OverduePlanSerializer(many=True)
