"""What the conferences API gives: each record with every date its booking stored
(style.md rule 2), and the lists to book and due. What it takes is in inputs.py."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from children.models import Child, Household
from people.models import District

from .. import rules
from ..models import (
    Conference,
    ConferenceChild,
    ExcludedChild,
    Invitee,
    StrategyMeeting,
    Venue,
)
from ..selectors import KIND_LABELS


class AnswerSerializer(serializers.ModelSerializer):
    """A record as the API gives it, every field read-only (`read_only_fields`), and the
    schema true to it: a field the model lets be blank (a reason not given, an invitee without
    an email address, a meeting without a link) is documented as possibly "". Django REST
    framework drops `allow_blank` from read-only fields, so without this the schema promised
    an enum value, an email address or a URL where the answer may be "" (found by
    tests/security/test_api_schemathesis.py)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "name", "code"]


class HouseholdSerializer(serializers.ModelSerializer):
    district = DistrictSerializer()

    class Meta:
        model = Household
        fields = ["id", "reference", "district"]


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "kind", "district", "has_family_room", "capacity"]


class ChildSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name")

    class Meta:
        model = Child
        fields = ["id", "local_id", "name"]


class ConsideredChildSerializer(serializers.ModelSerializer):
    child = ChildSummarySerializer()

    class Meta:
        model = ConferenceChild
        fields = ["child", "review_due_on", "outcome"]


class LeftOutChildSerializer(serializers.ModelSerializer):
    child = ChildSummarySerializer()

    class Meta:
        model = ExcludedChild
        fields = ["child", "reason"]


class ConferenceSerializer(AnswerSerializer):
    """A conference with every date its booking stored (style.md rule 2)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:conference-detail")
    household = HouseholdSerializer()
    venue = VenueSerializer(allow_null=True)
    chair = PersonSerializer(allow_null=True)
    minute_taker = PersonSerializer(allow_null=True)
    booked_by = PersonSerializer(allow_null=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "household",
            "scheduled_for",
            "ends_at",
            "date",
            "venue",
            "is_virtual",
            "meeting_link",
            "chair",
            "minute_taker",
            "booked_by",
            "due_by",
            "delay_reason",
            "delay_note",
            "reconvene_by",
            "invitations_due_by",
            "reports_requested_by",
            "reports_due_by",
            "report_share_due_by",
            "decision_sheet_due_by",
            "minutes_due_by",
            "adjournment_reason",
            "adjournment_note",
            "cancellation_reason",
            "cancellation_note",
            "rearranged_from",
        ]
        read_only_fields = fields


class ConferenceDetailSerializer(ConferenceSerializer):
    children = ConsideredChildSerializer(source="child_outcomes", many=True, read_only=True)
    left_out = LeftOutChildSerializer(source="excluded_children", many=True, read_only=True)
    rearranged_as = serializers.SerializerMethodField(
        help_text="The booking that replaced this one, if it was rearranged or reconvened."
    )

    class Meta(ConferenceSerializer.Meta):
        fields = [*ConferenceSerializer.Meta.fields, "rearranged_as", "children", "left_out"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rearranged_as(self, conference) -> int | None:
        return (
            Conference.objects.filter(rearranged_from=conference)
            .values_list("pk", flat=True)
            .first()
        )


class ConferenceBookedSerializer(ConferenceDetailSerializer):
    warnings = serializers.SerializerMethodField(
        help_text="What the booker is warned of without being stopped: a non-working day, too "
        "little time to share the social worker's report."
    )

    class Meta(ConferenceDetailSerializer.Meta):
        fields = [*ConferenceDetailSerializer.Meta.fields, "warnings"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, conference) -> list[str]:
        return rules.booking_warnings(
            held_on=conference.date,
            now=self.context["now"],
            report_share_due=conference.report_share_due_by,
        )


class StrategyMeetingSerializer(AnswerSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:strategy-meeting-detail")
    district = DistrictSerializer()
    venue = VenueSerializer(allow_null=True)
    chair = PersonSerializer(allow_null=True)
    minute_taker = PersonSerializer(allow_null=True)
    booked_by = PersonSerializer(allow_null=True)
    children = ChildSummarySerializer(many=True, read_only=True)

    class Meta:
        model = StrategyMeeting
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "district",
            "scheduled_for",
            "ends_at",
            "date",
            "venue",
            "is_virtual",
            "meeting_link",
            "chair",
            "minute_taker",
            "booked_by",
            "children",
            "decisions",
            "follow_up_on",
            "cancellation_reason",
            "cancellation_note",
        ]
        read_only_fields = fields


class InviteeSerializer(AnswerSerializer):
    method = serializers.ChoiceField(
        choices=Invitee.Method.choices,
        read_only=True,
        help_text="How they are invited: email when there is an address, else a letter.",
    )

    class Meta:
        model = Invitee
        fields = [
            "id",
            "name",
            "agency",
            "role",
            "email",
            "postal_address",
            "child",
            "manager_name",
            "manager_email",
            "method",
            "invited_at",
            "invited_by",
            "told_of_change_at",
        ]
        read_only_fields = fields


class InvitationsSentSerializer(serializers.Serializer):
    emailed = serializers.ListField(child=serializers.IntegerField(), help_text="Invitee ids.")
    failed = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Invitee ids whose email could not be sent: sending again tries them again.",
    )
    letters = serializers.ListField(
        child=serializers.IntegerField(), help_text="Invitee ids without email: print a letter."
    )


class ToBookCountsSerializer(serializers.Serializer):
    initial = serializers.IntegerField()
    review = serializers.IntegerField()
    reconvene = serializers.IntegerField()
    transfer_in = serializers.IntegerField()


class ToBookRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KIND_LABELS.items()))
    label = serializers.CharField()
    household = HouseholdSerializer()
    due_by = serializers.DateField(help_text="The stored date it must be held by.")
    children = serializers.IntegerField(help_text="How many of the household's children.")
    working_days_left = serializers.IntegerField(help_text="Negative when already overdue.")
    awaiting_decision = serializers.BooleanField(
        help_text="An initial conference whose enquiry has no decision to convene recorded yet."
    )


class ToBookSerializer(serializers.Serializer):
    counts = ToBookCountsSerializer(help_text="How many households to book, per kind.")
    count = serializers.IntegerField(help_text="Rows of the kinds asked for, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ToBookRowSerializer(many=True, help_text="Oldest due first.")


class DueReviewSerializer(serializers.Serializer):
    child = serializers.CharField(help_text="The child ID (CIN census LAchildID).")
    due_by = serializers.DateField()


class DueInitialSerializer(serializers.Serializer):
    child = serializers.CharField(help_text="The child ID (CIN census LAchildID).")
    target = serializers.DateField()


class DueListSerializer(serializers.Serializer):
    reviews = DueReviewSerializer(many=True, help_text="Each child on an open plan.")
    initial_conferences = DueInitialSerializer(
        many=True, help_text="Each child awaiting an initial conference."
    )
