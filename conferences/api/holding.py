"""API: holding a conference (conferences part 2), through the same holding service and
access rules as the chair's pages. The chair records their own conferences and the Senior IRO
any; business support keeps the register; every other role is refused (403), and a record
outside a district manager's district is not found (404). Every write carries the version it
was based on: a stale one is answered 409 with who changed the conference since."""

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from iro_service.validators import validate_no_bidi_controls
from people.access import can_hold_conference, can_read_conferences, can_record_attendance
from plans.models import PlanTarget

from .. import selectors
from ..models import Attendance, Category, Conference, ConferenceChild, PlanEndReason
from ..services import holding
from .views import INVALID, NOT_FOUND, refused

REFUSED = OpenApiResponse(
    description="Not signed in, or not allowed: the chair records their own conference and "
    "the Senior IRO any; business support keeps the register; other roles only read."
)
CONFLICT = OpenApiResponse(
    description="Someone saved the conference after the version you sent: `changes` lists "
    "what they did; fetch the conference again and send your change with its version."
)


class CanRead(IsAuthenticated):
    message = "Your role does not work with conferences."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can_read_conferences(request.user)


class RegisterLineSerializer(serializers.Serializer):
    invitee = serializers.IntegerField(required=False, allow_null=True, default=None)
    name = serializers.CharField(validators=[validate_no_bidi_controls], max_length=150)
    agency = serializers.ChoiceField(choices=Attendance.Agency.choices)
    role = serializers.CharField(max_length=100, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class RegisterSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    lines = RegisterLineSerializer(many=True, allow_empty=False)


class QuorumSerializer(serializers.Serializer):
    quorate = serializers.BooleanField()
    social_care_present = serializers.BooleanField()
    other_agencies = serializers.ListField(child=serializers.CharField())
    needs = serializers.CharField(source="shortfall")


class RegisterAnswerLineSerializer(RegisterLineSerializer):
    status = serializers.ChoiceField(
        choices=Attendance.Status.choices,
        allow_blank=True,
        help_text="Blank for an invitee until the register is kept.",
    )


class RegisterAnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    lines = RegisterAnswerLineSerializer(many=True)
    quorum = QuorumSerializer(allow_null=True)


class DissentSerializer(serializers.Serializer):
    agency = serializers.ChoiceField(choices=Attendance.Agency.choices)
    name = serializers.CharField(
        validators=[validate_no_bidi_controls], max_length=150, allow_blank=True, default=""
    )
    reason = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    description = serializers.CharField()
    due_by = serializers.DateField()
    who = serializers.CharField(
        validators=[validate_no_bidi_controls], max_length=200, allow_blank=True, default=""
    )


class TargetReviewSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    progress = serializers.ChoiceField(choices=PlanTarget.REVIEW_CHOICES)


class DecisionSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        choices=ConferenceChild.Outcome.choices,
        help_text="Initial: plan_started or no_plan. Review: plan_continued or plan_ceased.",
    )
    category = serializers.ChoiceField(choices=Category.choices, allow_blank=True, default="")
    cease_reason = serializers.ChoiceField(
        choices=PlanEndReason.choices, allow_blank=True, default=""
    )
    participation = serializers.ChoiceField(
        choices=ConferenceChild.Participation.choices,
        help_text="How the child took part; required (none: did not participate).",
    )
    views = serializers.CharField(allow_blank=True, default="")
    decision_note = serializers.CharField(allow_blank=True, default="")
    dissents = DissentSerializer(many=True, default=list)
    targets = TargetSerializer(many=True, default=list)
    target_reviews = TargetReviewSerializer(many=True, default=list)

    def decision(self, data) -> holding.ChildDecision:
        return holding.ChildDecision(
            child_id=data["child"],
            outcome=data["outcome"],
            category=data["category"],
            cease_reason=data["cease_reason"],
            participation=data["participation"],
            views=data["views"],
            decision_note=data["decision_note"],
            dissents=tuple(holding.DissentInput(**d) for d in data["dissents"]),
            targets=tuple(holding.TargetInput(**t) for t in data["targets"]),
            target_reviews={r["target"]: r["progress"] for r in data["target_reviews"]},
        )


class SafetyScaleSerializer(serializers.Serializer):
    participant = serializers.CharField(max_length=150)
    score = serializers.IntegerField(min_value=0, max_value=10)


class SignsOfSafetySerializer(serializers.Serializer):
    worries_harm = serializers.CharField(allow_blank=True, default="")
    complicating_factors = serializers.CharField(allow_blank=True, default="")
    working_well = serializers.CharField(allow_blank=True, default="")
    danger_statements = serializers.CharField(allow_blank=True, default="")
    safety_goals = serializers.CharField(allow_blank=True, default="")
    scales = SafetyScaleSerializer(many=True, default=list)


class HoldSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    proceeded_inquorate = serializers.BooleanField(default=False)
    decisions = DecisionSerializer(many=True, allow_empty=False)
    signs_of_safety = SignsOfSafetySerializer(required=False, allow_null=True, default=None)


class AdjournSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    reason = serializers.ChoiceField(choices=Conference.AdjournmentReason.choices)
    note = serializers.CharField(allow_blank=True, default="")


class HeldDecisionSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id")

    class Meta:
        model = ConferenceChild
        fields = [
            "child",
            "outcome",
            "category",
            "cease_reason",
            "participation",
            "next_review_due_by",
            "first_core_group_due_by",
        ]


class HeldSerializer(serializers.ModelSerializer):
    decisions = HeldDecisionSerializer(source="child_outcomes", many=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "status",
            "version",
            "quorate",
            "proceeded_inquorate",
            "inquorate_again",
            "reconvene_by",
            "adjournment_reason",
            "decision_sheet_due_by",
            "minutes_due_by",
            "decisions",
        ]


def _conflict(error: holding.EditConflict) -> Response:
    return Response(
        {
            "detail": error.messages[0],
            "version": error.conference.version,
            "changes": [
                {
                    "reason": change.history_change_reason,
                    "by": change.history_user.display_name if change.history_user else None,
                    "at": change.history_date,
                    "version": change.version,
                }
                for change in error.changes
            ],
        },
        status=status.HTTP_409_CONFLICT,
    )


def _register(conference: Conference) -> dict:
    lines = holding.register_rows_for(conference)
    return {
        "version": conference.version,
        "lines": [
            {
                "invitee": line.invitee_id,
                "name": line.name,
                "agency": line.agency,
                "role": line.role,
                "status": line.status,
            }
            for line in lines
        ],
        "quorum": holding.quorum_of(conference) if conference.attendance.exists() else None,
    }


class AttendanceApi(APIView):
    permission_classes = [CanRead]

    @extend_schema(
        summary="A conference's attendance register and quorum",
        description="Before anyone keeps it, one line per invitee with no status.",
        responses={200: RegisterAnswerSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        return Response(RegisterAnswerSerializer(_register(conference)).data)

    @extend_schema(
        summary="Keep the attendance register",
        description="Lines for invitees are updated in place; others are added; none is "
        "removed (mark someone who did not come as such).",
        request=RegisterSerializer,
        responses={
            200: RegisterAnswerSerializer,
            400: INVALID,
            403: REFUSED,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        if not can_record_attendance(request.user, conference):
            raise PermissionDenied(
                "Only the chair, the Senior IRO or business support keep the register."
            )
        asked = RegisterSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        rows = [
            holding.AttendanceRow(
                name=line["name"],
                agency=line["agency"],
                role=line["role"],
                status=line["status"],
                invitee_id=line["invitee"],
            )
            for line in asked.validated_data["lines"]
        ]
        try:
            saved = holding.attendance_record(
                conference=conference,
                rows=rows,
                version=asked.validated_data["version"],
                by=request.user,
            )
        except holding.EditConflict as error:
            return _conflict(error)
        except ValidationError as error:
            raise refused(error) from error
        return Response(RegisterAnswerSerializer(_register(saved)).data)


class _ChairApi(APIView):
    permission_classes = [CanRead]

    def chaired(self, request, pk: int) -> Conference:
        conference = selectors.access_conference(request.user, pk)
        if not can_hold_conference(request.user, conference):
            raise PermissionDenied("Only the conference's chair or the Senior IRO records it.")
        return conference


class HoldApi(_ChairApi):
    @extend_schema(
        summary="Record a conference as held, with each child's decision",
        description="Every child considered needs a decision: initial (plan_started with a "
        "category and at least one target, or no_plan); review (plan_continued with a category, "
        "a change of category recorded as such, or plan_ceased with a reason), and each of the "
        "plan's targets reviewed. Plans start, change and end on the conference's date. An "
        "inquorate conference needs proceeded_inquorate (an interim plan), else adjourn it. "
        "Refused with nothing saved.",
        request=HoldSerializer,
        responses={200: HeldSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        conference = self.chaired(request, pk)
        asked = HoldSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        sos = data.get("signs_of_safety")
        try:
            held = holding.conference_hold(
                conference=conference,
                version=data["version"],
                decisions=[DecisionSerializer().decision(d) for d in data["decisions"]],
                proceeded_inquorate=data["proceeded_inquorate"],
                signs_of_safety=(
                    holding.SignsOfSafetyInput(
                        **{k: v for k, v in sos.items() if k != "scales"},
                        scales=tuple((s["participant"], s["score"]) for s in sos["scales"]),
                    )
                    if sos
                    else None
                ),
                by=request.user,
            )
        except holding.EditConflict as error:
            return _conflict(error)
        except ValidationError as error:
            raise refused(error) from error
        return Response(HeldSerializer(held).data)


class AdjournApi(_ChairApi):
    @extend_schema(
        summary="Adjourn a conference on its day",
        description="It must reconvene within the adjourned conference setting (28 days) and "
        "goes on the list to book. Before the day, rearrange it instead.",
        request=AdjournSerializer,
        responses={200: HeldSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        conference = self.chaired(request, pk)
        asked = AdjournSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            adjourned = holding.conference_adjourn(
                conference=conference, by=request.user, **asked.validated_data
            )
        except holding.EditConflict as error:
            return _conflict(error)
        except ValidationError as error:
            raise refused(error) from error
        return Response(HeldSerializer(adjourned).data)


urlpatterns = [
    path(
        "conferences/<int:pk>/attendance/",
        AttendanceApi.as_view(),
        name="conference-attendance",
    ),
    path("conferences/<int:pk>/hold/", HoldApi.as_view(), name="conference-hold"),
    path("conferences/<int:pk>/adjourn/", AdjournApi.as_view(), name="conference-adjourn"),
]
