"""API: escalations under the Problem Resolution Protocol, through the same selectors, services
and access rules as the pages. Every role that reads case records reads them (a district
manager only their district's: others are 404); chairs and the Senior IRO raise; who raised it
and the Senior IRO move up, resolve and withdraw; the person it is addressed to responds too.
A refusal by the rules is 400 {field: [messages]} with nothing saved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from children.selectors import access_child
from conferences.api.views import INVALID, NO_SUCH_PAGE, NOT_FOUND, refused
from conferences.selectors import access_conference
from iro_service.validators import validate_no_bidi_controls
from people.access import (
    can_fill_qa_form,
    can_manage_escalation,
    can_raise_escalation,
    can_read_conferences,
    can_respond_to_escalation,
)
from people.models import User

from .. import selectors_escalations as selectors
from ..models import Escalation, EscalationNotice, EscalationResponse, QAForm
from ..services import escalations as service

REFUSED = OpenApiResponse(
    description="Not signed in, or not allowed: IROs and the Senior IRO raise; who raised it "
    "and the Senior IRO move up, resolve and withdraw; the person it is addressed to responds; "
    "other roles only read."
)


class CanRead(IsAuthenticated):
    message = "Your role does not work with escalations."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can_read_conferences(request.user)


class EscalationPagination(PageNumberPagination):
    page_size = 25


# -- what is answered ------------------------------------------------------------------------


class ResponseOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationResponse
        fields = ["id", "level", "responder_name", "responded_by", "responded_on", "response"]


class NoticeOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationNotice
        fields = ["level", "sent_at", "sent_to"]


class EscalationOutSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(help_text="1 social worker ... 5 director.")
    level_label = serializers.CharField(source="get_level_display")
    status = serializers.CharField(help_text="open, resolved or withdrawn.")
    theme = serializers.CharField(help_text="One of Escalation.Theme's values.")
    theme_label = serializers.CharField(source="get_theme_display")
    child_name = serializers.CharField(source="child.full_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Escalation
        fields = [
            "id",
            "url",
            "child",
            "child_name",
            "district",
            "conference",
            "qa_form",
            "raised_by",
            "raised_on",
            "theme",
            "theme_label",
            "concern",
            "what_must_change",
            "level",
            "level_label",
            "level_reached_on",
            "response_due_by",
            "protocol_due_by",
            "addressed_to",
            "addressed_to_name",
            "addressed_to_email",
            "status",
            "outcome",
            "resolved_on",
            "withdrawn_on",
            "withdrawal_reason",
        ]

    def get_url(self, escalation) -> str:
        return reverse("api:escalation-detail", args=[escalation.pk])


class EscalationDetailSerializer(EscalationOutSerializer):
    responses = ResponseOutSerializer(many=True)
    notices = NoticeOutSerializer(many=True)

    class Meta(EscalationOutSerializer.Meta):
        fields = [*EscalationOutSerializer.Meta.fields, "responses", "notices"]


# -- what is asked ---------------------------------------------------------------------------


class AddresseeInSerializer(serializers.Serializer):
    addressed_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    addressed_to_name = serializers.CharField(
        validators=[validate_no_bidi_controls], max_length=150, required=False, default=""
    )
    addressed_to_email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, default=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to_name"].allow_blank = True


class RaiseInSerializer(AddresseeInSerializer):
    child = serializers.IntegerField()
    qa_form = serializers.IntegerField(required=False, allow_null=True)
    theme = serializers.CharField(help_text="One of Escalation.Theme's values.")
    concern = serializers.CharField()
    what_must_change = serializers.CharField()
    level = serializers.IntegerField(help_text="1 social worker ... 5 director.", default=1)


class RespondInSerializer(serializers.Serializer):
    response = serializers.CharField()
    responded_on = serializers.DateField(required=False, help_text="Today if left out.")
    responder_name = serializers.CharField(
        validators=[validate_no_bidi_controls], max_length=150, required=False, allow_blank=True
    )


class MoveUpInSerializer(AddresseeInSerializer):
    to_level = serializers.IntegerField(help_text="Higher than now; levels may be skipped.")


class ResolveInSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    resolved_on = serializers.DateField(required=False, help_text="Today if left out.")


class WithdrawInSerializer(serializers.Serializer):
    withdrawal_reason = serializers.CharField()
    withdrawn_on = serializers.DateField(required=False, help_text="Today if left out.")


class ListQuerySerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False)
    level = serializers.IntegerField(required=False, min_value=1, max_value=5)
    # At most a century: a larger number of days is no date at all (it answered a 500).
    open_days = serializers.IntegerField(required=False, min_value=0, max_value=36500)
    status = serializers.CharField(
        required=False, help_text="open (default), resolved, withdrawn or all."
    )


# -- views -----------------------------------------------------------------------------------


def _detail(escalation: Escalation, code=status.HTTP_200_OK) -> Response:
    escalation = Escalation.objects.prefetch_related("responses", "notices").get(pk=escalation.pk)
    return Response(EscalationDetailSerializer(escalation).data, status=code)


class EscalationListApi(GenericAPIView):
    permission_classes = [CanRead]
    pagination_class = EscalationPagination
    serializer_class = EscalationOutSerializer

    @extend_schema(
        summary="Escalations you can see, the soonest response deadline first",
        description="An IRO: those they raised; a district manager: their district's; the "
        "Senior IRO and readers: everyone's, filtered by district, level and days open.",
        parameters=[ListQuerySerializer],
        responses={
            200: EscalationOutSerializer(many=True),
            400: INVALID,
            403: REFUSED,
            404: NO_SUCH_PAGE,
        },
    )
    def get(self, request):
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = query.validated_data
        chosen = asked.get("status", "open")
        escalations = selectors.escalation_worklist(
            request.user,
            today=timezone.localdate(),
            district=asked.get("district"),
            level=asked.get("level"),
            open_days=asked.get("open_days"),
            status=None if chosen == "all" else chosen,
        )
        page = self.paginate_queryset(escalations)
        return self.get_paginated_response(EscalationOutSerializer(page, many=True).data)

    @extend_schema(
        summary="Raise an escalation about a child",
        description="From the child's record, or from a QA form (qa_form: its conference "
        "follows, and the child must have been considered there). Addressed to a user "
        "(addressed_to) or a contact (addressed_to_name, optional addressed_to_email).",
        request=RaiseInSerializer,
        responses={
            201: EscalationDetailSerializer,
            400: INVALID,
            403: REFUSED,
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        if not can_raise_escalation(request.user):
            raise PermissionDenied("Only an IRO or the Senior IRO raises an escalation.")
        asked = RaiseInSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = dict(asked.validated_data)
        child = access_child(request.user, data.pop("child"))
        qa_form = None
        if data.get("qa_form"):
            qa_form = QAForm.objects.filter(pk=data["qa_form"]).select_related("conference").first()
            if qa_form is None:
                raise refused(ValidationError({"qa_form": ["No such QA form."]}))
            access_conference(request.user, qa_form.conference_id)
            if not can_fill_qa_form(request.user, qa_form.conference):
                raise PermissionDenied("Only the conference's chair or the Senior IRO raises this.")
        data.pop("qa_form", None)
        try:
            with transaction.atomic():
                escalation = service.escalation_raise(
                    child=child,
                    qa_form=qa_form,
                    by=request.user,
                    today=timezone.localdate(),
                    **data,
                )
        except ValidationError as error:
            raise refused(error) from error
        response = _detail(escalation, code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("api:escalation-detail", args=[escalation.pk])
        )
        return response


class EscalationDetailApi(APIView):
    permission_classes = [CanRead]

    @extend_schema(
        summary="An escalation, with its responses and the notices of moving up",
        responses={200: EscalationDetailSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return _detail(selectors.access_escalation(request.user, pk))


class _ActionApi(APIView):
    permission_classes = [CanRead]
    allowed = staticmethod(can_manage_escalation)
    input_class: type[serializers.Serializer]

    def act(self, request, pk: int, do):
        escalation = selectors.access_escalation(request.user, pk)
        if not self.allowed(request.user, escalation):
            raise PermissionDenied("You may not change this escalation.")
        asked = self.input_class(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            do(escalation, asked.validated_data, timezone.localdate())
        except ValidationError as error:
            raise refused(error) from error
        return _detail(escalation)


ACTION_RESPONSES = {200: EscalationDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND}


class EscalationRespondApi(_ActionApi):
    allowed = staticmethod(can_respond_to_escalation)
    input_class = RespondInSerializer

    @extend_schema(
        summary="Record a response at the current level",
        description="By the person it is addressed to, or typed in by who manages it. A "
        "response at the level stops it moving up automatically.",
        request=RespondInSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request, pk: int):
        def do(escalation, data, today):
            service.escalation_respond(
                escalation=escalation,
                response=data["response"],
                responder_name=data.get("responder_name", ""),
                on=data.get("responded_on", today),
                by=request.user,
                today=today,
            )

        return self.act(request, pk, do)


class EscalationMoveUpApi(_ActionApi):
    input_class = MoveUpInSerializer

    @extend_schema(
        summary="Move an escalation up (levels may be skipped; never down)",
        request=MoveUpInSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request, pk: int):
        def do(escalation, data, today):
            service.escalation_move_up(
                escalation=escalation,
                to_level=data["to_level"],
                addressed_to=data.get("addressed_to"),
                addressed_to_name=data.get("addressed_to_name", ""),
                addressed_to_email=data.get("addressed_to_email", ""),
                by=request.user,
                today=today,
            )

        return self.act(request, pk, do)


class EscalationAddresseeApi(_ActionApi):
    input_class = AddresseeInSerializer

    @extend_schema(
        summary="Record whom an escalation is addressed to at its current level",
        description="When it moved up with nobody recorded, or the person changed; the level "
        "and the deadline stay as they are.",
        request=AddresseeInSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request, pk: int):
        def do(escalation, data, today):
            service.escalation_readdress(
                escalation=escalation,
                addressed_to=data.get("addressed_to"),
                addressed_to_name=data.get("addressed_to_name", ""),
                addressed_to_email=data.get("addressed_to_email", ""),
                by=request.user,
            )

        return self.act(request, pk, do)


class EscalationResolveApi(_ActionApi):
    input_class = ResolveInSerializer

    @extend_schema(
        summary="Resolve an escalation with its outcome",
        request=ResolveInSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request, pk: int):
        def do(escalation, data, today):
            service.escalation_resolve(
                escalation=escalation,
                outcome=data["outcome"],
                on=data.get("resolved_on", today),
                by=request.user,
                today=today,
            )

        return self.act(request, pk, do)


class EscalationWithdrawApi(_ActionApi):
    input_class = WithdrawInSerializer

    @extend_schema(
        summary="Withdraw an escalation, saying why",
        request=WithdrawInSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request, pk: int):
        def do(escalation, data, today):
            service.escalation_withdraw(
                escalation=escalation,
                reason=data["withdrawal_reason"],
                on=data.get("withdrawn_on", today),
                by=request.user,
                today=today,
            )

        return self.act(request, pk, do)


urlpatterns: list = [
    path("escalations/", EscalationListApi.as_view(), name="escalation-list"),
    path("escalations/<int:pk>/", EscalationDetailApi.as_view(), name="escalation-detail"),
    path(
        "escalations/<int:pk>/respond/",
        EscalationRespondApi.as_view(),
        name="escalation-respond",
    ),
    path(
        "escalations/<int:pk>/move-up/",
        EscalationMoveUpApi.as_view(),
        name="escalation-move-up",
    ),
    path(
        "escalations/<int:pk>/addressee/",
        EscalationAddresseeApi.as_view(),
        name="escalation-addressee",
    ),
    path(
        "escalations/<int:pk>/resolve/",
        EscalationResolveApi.as_view(),
        name="escalation-resolve",
    ),
    path(
        "escalations/<int:pk>/withdraw/",
        EscalationWithdrawApi.as_view(),
        name="escalation-withdraw",
    ),
]
