"""The conferences API: the same selectors, services and access rules as the booking desk's
pages (style.md rule 5). Business support and the Senior IRO write; every other role reads,
a district manager their own district's records only (others answer 404)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from people.access import can_book_conferences, can_read_conferences
from reporting.selectors import district_for_query

from .. import selectors
from ..models import ConferenceChild, ExcludedChild
from ..services import booking, invitations, meetings
from .inputs import (
    CancelSerializer,
    ConferenceBookSerializer,
    ConferenceQuerySerializer,
    ConferenceRearrangeSerializer,
    DueQuerySerializer,
    InviteeAddSerializer,
    StrategyMeetingBookSerializer,
    StrategyMeetingQuerySerializer,
    ToBookQuerySerializer,
)
from .serializers import (
    ConferenceBookedSerializer,
    ConferenceDetailSerializer,
    ConferenceSerializer,
    DueListSerializer,
    InvitationsSentSerializer,
    InviteeSerializer,
    StrategyMeetingSerializer,
    ToBookSerializer,
)

REFUSED = OpenApiResponse(
    description="Not signed in, or your role cannot do this: business support and the Senior "
    "IRO book, rearrange and cancel; the other roles read."
)
NOT_FOUND = OpenApiResponse(description="No such record or district that you can see.")
INVALID = OpenApiResponse(
    description="{field: [messages]}: what was refused and why (the booking rules' own "
    "messages; `non_field_errors` for the record as a whole). Nothing was saved."
)
NO_SUCH_PAGE = OpenApiResponse(
    description="No such page: ?page= is past the last page, or not a number."
)
# The services' names for a field, where the API's request names it otherwise.
API_FIELDS = {"left_out_reason": "left_out", NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY}


class ConferenceAccess(BasePermission):
    """Reading: every role that works with conferences. Writing: those who book."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            self.message = "Your role does not work with conferences."
            return can_read_conferences(request.user)
        self.message = "Only business support and the Senior IRO book, rearrange and cancel."
        return can_book_conferences(request.user)


def sent_answer(sent) -> dict:
    """Who was emailed, whose email failed, and who is to get a letter (InvitationsSent)."""
    return {
        "emailed": [invitee.pk for invitee in sent.emailed],
        "failed": [invitee.pk for invitee in sent.failed],
        "letters": [invitee.pk for invitee in sent.letters],
    }


class ListPagination(PageNumberPagination):
    page_size = 50


class ToBookPagination(PageNumberPagination):
    page_size = 25  # as the To book page


def refused(error: ValidationError) -> ApiValidationError:
    """A service's refusal as the API's 400, {field: [messages]}, with the service's words."""
    if not hasattr(error, "error_dict"):
        return ApiValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    detail: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        detail.setdefault(API_FIELDS.get(field, field), []).extend(messages)
    return ApiValidationError(detail)


def _filtered(records, request, *, query_class, district_field: str):
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    asked = query.validated_data
    lookups = {"status": "status", "kind": "kind", "from": "date__gte", "to": "date__lte"}
    for name, lookup in lookups.items():
        if name in asked:
            records = records.filter(**{lookup: asked[name]})
    if "district" in asked:
        records = records.filter(
            **{district_field: district_for_query(request.user, asked["district"])}
        )
    return records


class ConferenceApi(APIView):
    permission_classes = [IsAuthenticated, ConferenceAccess]

    def context(self, **extra) -> dict:
        return {"request": self.request, **extra}

    def answer(self, conference, *, serializer=ConferenceDetailSerializer, code=200, **extra):
        prefetch_related_objects(
            [conference],
            Prefetch("child_outcomes", ConferenceChild.objects.select_related("child")),
            Prefetch("excluded_children", ExcludedChild.objects.select_related("child")),
        )
        data = serializer(conference, context=self.context(**extra)).data
        if code != status.HTTP_201_CREATED:
            return Response(data, status=code)
        location = self.request.build_absolute_uri(
            reverse("api:conference-detail", args=[conference.pk])
        )
        return Response(data, status=code, headers={"Location": location})


class ConferenceListApi(ConferenceApi, GenericAPIView):
    pagination_class = ListPagination

    @extend_schema(
        summary="Conferences you can see, latest first",
        parameters=[ConferenceQuerySerializer],
        responses={
            200: ConferenceSerializer(many=True),
            400: INVALID,
            403: REFUSED,
            404: NOT_FOUND,
        },
    )
    def get(self, request):
        conferences = _filtered(
            selectors.conference_list_for(request.user).select_related("booked_by"),
            request,
            query_class=ConferenceQuerySerializer,
            district_field="household__district",
        )
        page = self.paginate_queryset(conferences.order_by("-scheduled_for", "-pk"))
        return self.get_paginated_response(
            ConferenceSerializer(page, many=True, context=self.context()).data
        )

    @extend_schema(
        summary="Book a conference",
        description="Refused, with the reason on its field and nothing saved: a date in the "
        "past; a chair, minute taker or venue booked at an overlapping time; a date after the "
        "one it must be held by without a reason; a child not of the household. The answer "
        "holds every date the booking stored, and what the booker is warned of.",
        request=ConferenceBookSerializer,
        responses={201: ConferenceBookedSerializer, 400: INVALID, 403: REFUSED},
    )
    def post(self, request):
        asked = ConferenceBookSerializer(data=request.data, context=self.context())
        asked.is_valid(raise_exception=True)
        now = timezone.now()
        try:
            conference = booking.conference_book(
                request=asked.booking_request(), by=request.user, now=now
            )
        except ValidationError as error:
            raise refused(error) from error
        return self.answer(conference, serializer=ConferenceBookedSerializer, code=201, now=now)


class ConferenceDetailApi(ConferenceApi):
    @extend_schema(
        summary="One conference: its children, those left out, and every stored date",
        responses={200: ConferenceDetailSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return self.answer(selectors.access_conference(request.user, pk))


class ConferenceRearrangeApi(ConferenceApi):
    @extend_schema(
        summary="Rearrange a booking",
        description="The booking is kept, marked rearranged with the reason; the answer is the "
        "new booking, which keeps the date the conference must be held by. Anything not given "
        "stays as booked. Refused as booking is.",
        request=ConferenceRearrangeSerializer,
        responses={201: ConferenceBookedSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        asked = ConferenceRearrangeSerializer(data=request.data, context=self.context())
        asked.is_valid(raise_exception=True)
        now = timezone.now()
        try:
            new = booking.conference_rearrange(
                conference=conference,
                request=booking.request_from(conference, **asked.changes()),
                reason=asked.validated_data["reason"],
                note=asked.validated_data["note"],
                by=request.user,
                now=now,
            )
        except ValidationError as error:
            raise refused(error) from error
        return self.answer(new, serializer=ConferenceBookedSerializer, code=201, now=now)


class ConferenceCancelApi(ConferenceApi):
    @extend_schema(
        summary="Cancel a booking, keeping it and its reason",
        request=CancelSerializer,
        responses={200: ConferenceDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        asked = CancelSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            cancelled = booking.conference_cancel(
                conference=conference, by=request.user, now=timezone.now(), **asked.validated_data
            )
        except ValidationError as error:
            raise refused(error) from error
        return self.answer(cancelled)


class ConferenceInviteesApi(ConferenceApi):
    @extend_schema(
        summary="A conference's invitees",
        responses={200: InviteeSerializer(many=True), 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        invitees = conference.invitees.order_by("agency", "name", "pk")
        return Response(InviteeSerializer(invitees, many=True).data)

    @extend_schema(
        summary="Invite someone to a booked conference",
        description="They are invited when invitations are sent (email) or their letter is "
        "printed. Give an email address or a postal address.",
        request=InviteeAddSerializer,
        responses={201: InviteeSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        asked = InviteeAddSerializer(data=request.data, context=self.context())
        asked.is_valid(raise_exception=True)
        try:
            invitee = invitations.invitee_add(
                conference=conference, by=request.user, **asked.validated_data
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(InviteeSerializer(invitee).data, status=status.HTTP_201_CREATED)


class ConferenceInvitationsSendApi(ConferenceApi):
    @extend_schema(
        summary="Email the invitations not yet sent, each with a calendar file",
        description="Never emails anyone twice. Invitees without an email address are listed "
        "for a letter, printed from the conference's page.",
        request=None,
        responses={200: InvitationsSentSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        try:
            sent = invitations.invitations_send(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(sent_answer(sent))


def _meetings_for(user):
    return (
        selectors.strategy_meeting_list_for(user)
        .select_related("minute_taker", "booked_by")
        .prefetch_related("children")
    )


class StrategyMeetingListApi(ConferenceApi, GenericAPIView):
    pagination_class = ListPagination

    @extend_schema(
        summary="Strategy meetings you can see, latest first",
        parameters=[StrategyMeetingQuerySerializer],
        responses={
            200: StrategyMeetingSerializer(many=True),
            400: INVALID,
            403: REFUSED,
            404: NOT_FOUND,
        },
    )
    def get(self, request):
        found = _filtered(
            _meetings_for(request.user),
            request,
            query_class=StrategyMeetingQuerySerializer,
            district_field="district",
        )
        page = self.paginate_queryset(found.order_by("-scheduled_for", "-pk"))
        return self.get_paginated_response(
            StrategyMeetingSerializer(page, many=True, context=self.context()).data
        )

    @extend_schema(
        summary="Book a strategy meeting of any kind, in the household's district",
        description="Refused, as a conference is, for a date in the past or a chair, minute "
        "taker or venue booked at an overlapping time.",
        request=StrategyMeetingBookSerializer,
        responses={201: StrategyMeetingSerializer, 400: INVALID, 403: REFUSED},
    )
    def post(self, request):
        asked = StrategyMeetingBookSerializer(data=request.data, context=self.context())
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        try:
            meeting = meetings.strategy_meeting_book(
                by=request.user,
                kind=data["kind"],
                district=data["household"].district,
                starts_at=data["starts_at"],
                children=list(data["children"]),
                chair=data["chair"],
                now=timezone.now(),
                venue=data["venue"],
                is_virtual=data["is_virtual"],
                meeting_link=data["meeting_link"],
                minute_taker=data["minute_taker"],
            )
        except ValidationError as error:
            raise refused(error) from error
        meeting = _meetings_for(request.user).get(pk=meeting.pk)
        location = request.build_absolute_uri(
            reverse("api:strategy-meeting-detail", args=[meeting.pk])
        )
        return Response(
            StrategyMeetingSerializer(meeting, context=self.context()).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class StrategyMeetingDetailApi(ConferenceApi):
    @extend_schema(
        summary="One strategy meeting",
        responses={200: StrategyMeetingSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        meeting = selectors.access_strategy_meeting(request.user, pk)
        return Response(StrategyMeetingSerializer(meeting, context=self.context()).data)


class StrategyMeetingCancelApi(ConferenceApi):
    @extend_schema(
        summary="Cancel a strategy meeting, keeping it and its reason",
        request=CancelSerializer,
        responses={200: StrategyMeetingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        meeting = selectors.access_strategy_meeting(request.user, pk)
        asked = CancelSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            cancelled = meetings.strategy_meeting_cancel(
                meeting=meeting, by=request.user, **asked.validated_data
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(StrategyMeetingSerializer(cancelled, context=self.context()).data)


class ToBookApi(ConferenceApi):
    @extend_schema(
        summary="Conferences to book, oldest due first, with the counts per kind",
        description="Initial conferences required, reviews due in the next "
        f"{selectors.REVIEW_HORIZON_WEEKS} weeks, adjourned conferences to reconvene and transfers in, "
        "one row per household, from the stored dates.",
        parameters=[
            ToBookQuerySerializer,
            OpenApiParameter("page", int, description="A page number, 25 rows a page."),
        ],
        responses={200: ToBookSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request):
        query = ToBookQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        district = district_for_query(request.user, query.validated_data.get("district"))
        kind = query.validated_data.get("kind")
        today = timezone.localdate()
        rows = selectors.ToBookList(
            user=request.user,
            today=today,
            district_id=district.pk if district else None,
            kinds=[kind] if kind else None,
        )
        paginator = ToBookPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        body = {
            "counts": rows.counts,
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": page,
        }
        return Response(ToBookSerializer(body).data)


class DueApi(ConferenceApi):
    @extend_schema(
        summary="What is due as at a date: the due_list command's list",
        description="Each child on an open plan with the date their next review is due by, and "
        "each child awaiting an initial conference with its target.",
        parameters=[DueQuerySerializer],
        responses={200: DueListSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request):
        query = DueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        district = district_for_query(request.user, query.validated_data.get("district"))
        on = query.validated_data.get("on") or timezone.localdate()
        return Response(selectors.due_list(on=on, district_id=district.pk if district else None))
