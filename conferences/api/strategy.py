"""API: a strategy meeting held, and decisions not to convene to quality-assure (§4.1).

The same services, selectors and access rules as the pages: the meeting's chair or the Senior
IRO records it as held; IROs and the Senior IRO quality-assure; every role that reads
conferences reads the list (a district manager their district's). Not visible: 404; not
allowed: 403; refused: 400 {field: [messages]}, nothing saved.
"""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from iro_service.validators import validate_no_bidi_controls
from people.access import can_hold_strategy_meeting, can_read_conferences, can_review_no_conference

from .. import selectors, selectors_strategy
from ..models import Attendance, S47Enquiry, StrategyMeetingAttendance
from ..services import strategy_holding
from .serializers import (
    AnswerSerializer,
    ChildSummarySerializer,
    PersonSerializer,
    StrategyMeetingSerializer,
)
from .views import INVALID, NO_SUCH_PAGE, NOT_FOUND, ListPagination, refused

REFUSED = OpenApiResponse(
    description="Not signed in, or your role cannot do this: the meeting's chair or the Senior "
    "IRO records a strategy meeting as held; IROs and the Senior IRO quality-assure decisions "
    "not to convene."
)


class ReadsConferences(IsAuthenticated):
    message = "Your role does not work with conferences."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can_read_conferences(request.user)


# -- what the endpoints take -------------------------------------------------------------------


def _choice_text(values, name: str):
    """Text the service checks against `values`, so a wrong value is refused in its words
    ({field: [messages]}), and the schema still lists the values."""

    @extend_schema_field({"type": "string", "enum": list(values)})
    class ChoiceText(serializers.CharField):
        pass

    ChoiceText.__name__ = name
    return ChoiceText


AgencyText = _choice_text(Attendance.Agency.values, "AgencyText")
TookPartText = _choice_text(strategy_holding.ATTENDANCE_STATUSES, "TookPartText")
ChildDecisionText = _choice_text(strategy_holding.CHILD_DECISIONS, "ChildDecisionText")


class StrategyAttendanceInput(serializers.Serializer):
    name = serializers.CharField(validators=[validate_no_bidi_controls], allow_blank=True)
    agency = AgencyText(allow_blank=True)
    role = serializers.CharField(allow_blank=True, required=False, default="")
    status = TookPartText(
        allow_blank=True, help_text="In person, remotely, sent apologies, or did not attend."
    )


class StrategyChildDecisionInput(serializers.Serializer):
    child = serializers.IntegerField(help_text="The child's id: one of the meeting's children.")
    decision = ChildDecisionText(
        allow_blank=True,
        help_text="start_enquiry: a section 47 enquiry starts; no_further_action: none.",
    )
    started_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="When the section 47 enquiry started: the meeting's date if not given.",
    )


class StrategyHoldInput(serializers.Serializer):
    attendance = StrategyAttendanceInput(many=True, help_text="At least one person present.")
    decisions = serializers.CharField(allow_blank=True, help_text="What the meeting decided.")
    follow_up_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Not before the meeting."
    )
    enquiries = StrategyChildDecisionInput(
        many=True,
        help_text="One decision for each child of the meeting (a child with an enquiry from "
        "this meeting already recorded needs none).",
    )


class NoConferenceReviewInput(serializers.Serializer):
    agrees = serializers.BooleanField(
        help_text="False: the IRO disagrees, and an escalation should be raised."
    )
    note = serializers.CharField(allow_blank=True, help_text="The IRO's note on the decision.")


# -- what they give ------------------------------------------------------------------------------


class StrategyAttendanceSerializer(AnswerSerializer):
    class Meta:
        model = StrategyMeetingAttendance
        fields = ["id", "name", "agency", "role", "status"]
        read_only_fields = fields


class StrategyEnquiryStartedSerializer(AnswerSerializer):
    child = ChildSummarySerializer()

    class Meta:
        model = S47Enquiry
        fields = [
            "id",
            "child",
            "strategy_discussion_on",
            "started_on",
            "initial_conference_due_by",
        ]
        read_only_fields = fields


class StrategyMeetingHeldSerializer(StrategyMeetingSerializer):
    held_recorded_by = PersonSerializer(allow_null=True)
    attendance = serializers.SerializerMethodField()
    enquiries = serializers.SerializerMethodField(
        help_text="The section 47 enquiries the meeting started; a child without one: no "
        "further action under section 47."
    )

    class Meta(StrategyMeetingSerializer.Meta):
        fields = [
            *StrategyMeetingSerializer.Meta.fields,
            "held_recorded_at",
            "held_recorded_by",
            "attendance",
            "enquiries",
        ]
        read_only_fields = fields

    @extend_schema_field(StrategyAttendanceSerializer(many=True))
    def get_attendance(self, meeting) -> list[dict]:
        return StrategyAttendanceSerializer(
            selectors_strategy.strategy_meeting_attendance(meeting), many=True
        ).data

    @extend_schema_field(StrategyEnquiryStartedSerializer(many=True))
    def get_enquiries(self, meeting) -> list[dict]:
        return StrategyEnquiryStartedSerializer(
            selectors_strategy.strategy_meeting_enquiries(meeting), many=True
        ).data


class NoConferenceDecisionSerializer(AnswerSerializer):
    child = ChildSummarySerializer()
    district = serializers.CharField(source="child.district.name")
    reviewed_by = PersonSerializer(source="no_conference_reviewed_by", allow_null=True)
    review_note = serializers.CharField(source="no_conference_review_note")

    class Meta:
        model = S47Enquiry
        fields = [
            "id",
            "child",
            "district",
            "strategy_meeting",
            "strategy_discussion_on",
            "started_on",
            "decided_on",
            "reviewed_by",
            "review_note",
        ]
        read_only_fields = fields


# -- the endpoints -------------------------------------------------------------------------------


class StrategyMeetingHoldApi(APIView):
    permission_classes = [ReadsConferences]

    @extend_schema(
        summary="Record a strategy meeting as held",
        description="The register (at least one person present), what was decided, a follow-up "
        "date (not before the meeting) and, for each child, a section 47 enquiry started "
        "(its initial conference target stored, 15 working days from the meeting) or no further "
        "action. Only a booked meeting, on its day or after, and only once. The meeting's chair "
        "or the Senior IRO.",
        request=StrategyHoldInput,
        responses={200: StrategyMeetingHeldSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        meeting = selectors.access_strategy_meeting(request.user, pk)
        if not can_hold_strategy_meeting(request.user, meeting):
            raise PermissionDenied("Only the meeting's chair or the Senior IRO records it as held.")
        asked = StrategyHoldInput(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            held = strategy_holding.strategy_meeting_hold(
                meeting=meeting, by=request.user, now=timezone.now(), **asked.validated_data
            )
        except ValidationError as error:
            raise refused(error) from error
        held = (
            selectors.strategy_meeting_list_for(request.user)
            .select_related("minute_taker", "booked_by", "held_recorded_by")
            .prefetch_related("children")
            .get(pk=held.pk)
        )
        return Response(StrategyMeetingHeldSerializer(held, context={"request": request}).data)


class NoConferenceDecisionListApi(GenericAPIView):
    permission_classes = [ReadsConferences]
    pagination_class = ListPagination
    serializer_class = NoConferenceDecisionSerializer

    @extend_schema(
        summary="Decisions not to convene after significant harm, to quality-assure",
        description="Those no IRO has quality-assured yet, the oldest decision first; a district "
        "manager sees their district's.",
        responses={
            200: NoConferenceDecisionSerializer(many=True),
            403: REFUSED,
            404: NO_SUCH_PAGE,
        },
    )
    def get(self, request):
        decisions = selectors_strategy.no_conference_decisions_to_review(request.user)
        page = self.paginate_queryset(decisions.select_related("child__district"))
        return self.get_paginated_response(NoConferenceDecisionSerializer(page, many=True).data)


class NoConferenceReviewApi(APIView):
    permission_classes = [ReadsConferences]

    @extend_schema(
        summary="Quality-assure a decision not to convene",
        description="The IRO's note (required) and whether they agree. A disagreement is "
        "recorded; an escalation should then be raised. Each decision is quality-assured once.",
        request=NoConferenceReviewInput,
        responses={
            200: NoConferenceDecisionSerializer,
            400: INVALID,
            403: REFUSED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        enquiry = selectors_strategy.access_no_conference_decision(request.user, pk)
        if not can_review_no_conference(request.user):
            raise PermissionDenied("Only an IRO or the Senior IRO quality-assures these decisions.")
        asked = NoConferenceReviewInput(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            strategy_holding.no_conference_review(
                enquiry=enquiry, by=request.user, **asked.validated_data
            )
        except ValidationError as error:
            raise refused(error) from error
        reviewed = selectors_strategy.access_no_conference_decision(request.user, pk)
        return Response(NoConferenceDecisionSerializer(reviewed).data)


urlpatterns: list = [
    path(
        "strategy-meetings/<int:pk>/hold/",
        StrategyMeetingHoldApi.as_view(),
        name="strategy-meeting-hold",
    ),
    path(
        "no-conference-decisions/",
        NoConferenceDecisionListApi.as_view(),
        name="no-conference-decision-list",
    ),
    path(
        "no-conference-decisions/<int:pk>/review/",
        NoConferenceReviewApi.as_view(),
        name="no-conference-decision-review",
    ),
]
