"""API: the paperwork after a conference (conferences part 2), through the same services,
selectors and access rules as the pages (views/paperwork.py). Every role that works with
conferences reads (a district manager, their district's; 404 otherwise); the chair or the
Senior IRO signs off (403 for anyone else); the minute taker, business support, the chair or
the Senior IRO write the minutes; business support and the Senior IRO send. A refusal of the
record's state is a 400 with the service's words, and nothing is saved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from people.access import (
    CHAIR_ROLES,
    can_draft_minutes,
    can_read_conferences,
    can_send_paperwork,
    can_sign_off_paperwork,
    has_role,
)
from reporting.selectors import district_for_query

from .. import decision_sheet as sheets
from .. import selectors_paperwork
from ..models import Conference
from ..selectors import access_conference
from ..services import paperwork
from .inputs import DISTRICT_HELP
from .views import NOT_FOUND, refused

INVALID = OpenApiResponse(
    description="{field: [messages]}: what was refused and why, in the service's words "
    "(`non_field_errors` for the record as a whole). Nothing was saved."
)


def _refused(who: str) -> OpenApiResponse:
    return OpenApiResponse(description=f"Not signed in, or not allowed: {who}.")


SIGN_OFF_REFUSED = _refused("only the chair or the Senior IRO signs off")
SEND_REFUSED = _refused("only business support and the Senior IRO send the paperwork")
DRAFT_REFUSED = _refused(
    "only the minute taker, business support, the chair or the Senior IRO write the minutes"
)
READ_REFUSED = _refused("your role does not work with conferences")


class ReadsConferences(BasePermission):
    message = "Your role does not work with conferences."

    def has_permission(self, request, view) -> bool:
        return can_read_conferences(request.user)


# -- what it gives -----------------------------------------------------------------------------


class SheetPersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    agency = serializers.CharField()
    role = serializers.CharField()
    how = serializers.CharField()


class SheetTargetSerializer(serializers.Serializer):
    description = serializers.CharField(help_text="What must change.")
    due_by = serializers.DateField()
    who = serializers.CharField()
    progress = serializers.CharField(help_text="For a target reviewed here; else empty.")


class SheetDissentSerializer(serializers.Serializer):
    agency = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField()


class SheetChildDecisionSerializer(serializers.Serializer):
    child_id = serializers.IntegerField()
    name = serializers.CharField()
    local_id = serializers.CharField()
    born = serializers.CharField(help_text="The date of birth, or the expected date, in words.")
    outcome = serializers.CharField()
    decision = serializers.CharField(help_text="The decision in plain words.")
    category = serializers.CharField()
    category_change = serializers.CharField()
    cease_reason = serializers.CharField()
    reasons = serializers.CharField(help_text="The chair's reasons.")
    dissents = SheetDissentSerializer(many=True)
    targets = SheetTargetSerializer(many=True, help_text="The outline plan set at this conference.")
    targets_reviewed = SheetTargetSerializer(many=True)
    first_core_group_due_by = serializers.DateField(allow_null=True)
    next_review_due_by = serializers.DateField(allow_null=True)


class DecisionSheetSerializer(serializers.Serializer):
    conference = serializers.IntegerField(source="conference.pk")
    is_draft = serializers.BooleanField()
    authority = serializers.CharField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    day = serializers.CharField()
    time = serializers.CharField()
    place = serializers.CharField()
    chair = serializers.CharField()
    present = SheetPersonSerializer(many=True)
    apologies = SheetPersonSerializer(many=True)
    absent = SheetPersonSerializer(many=True)
    quorum = serializers.CharField()
    children = SheetChildDecisionSerializer(many=True)
    due_by = serializers.DateField(source="conference.decision_sheet_due_by", allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    signed_off_by = serializers.CharField()
    distributed_at = serializers.DateTimeField(allow_null=True)
    distributed_by = serializers.CharField()


def _name(user) -> str:
    return user.display_name if user is not None else ""


class PaperworkStateSerializer(serializers.Serializer):
    """Where one document of a conference stands."""

    conference = serializers.IntegerField(source="pk")
    document = serializers.CharField()
    due_by = serializers.DateField(allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    signed_off_by = serializers.CharField()
    distributed_at = serializers.DateTimeField(allow_null=True)
    distributed_by = serializers.CharField()


def _state(conference: Conference, item: str) -> dict:
    paper = paperwork.PAPERS[item]
    return {
        "pk": conference.pk,
        "document": item,
        "due_by": getattr(conference, paper.due),
        "signed_off_at": getattr(conference, paper.signed_at),
        "signed_off_by": _name(getattr(conference, paper.signed_by)),
        "distributed_at": getattr(conference, paper.sent_at),
        "distributed_by": _name(getattr(conference, paper.sent_by)),
    }


class PaperworkSentSerializer(PaperworkStateSerializer):
    emailed = serializers.ListField(child=serializers.IntegerField(), help_text="Invitee ids.")
    failed = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Invitees whose email the server refused: send them a letter.",
    )
    letters = serializers.ListField(
        child=serializers.IntegerField(), help_text="Invitees without email: print their letters."
    )


class MinutesUploadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    uploaded_by = serializers.CharField(source="uploaded_by.display_name")


class MinutesStateSerializer(PaperworkStateSerializer):
    text = serializers.CharField(help_text="The draft written in the service, if any.")
    drafted_at = serializers.DateTimeField(allow_null=True)
    drafted_by = serializers.CharField()
    latest = serializers.CharField(
        help_text='Which is the latest draft: "text", "upload", or "" when there is none.'
    )
    uploads = MinutesUploadSerializer(many=True)


class MinutesTextInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        trim_whitespace=True,
        error_messages={"blank": "Enter the minutes", "required": "Enter the minutes"},
    )


def _minutes(conference: Conference) -> dict:
    conference.refresh_from_db()
    draft = paperwork.minutes_draft_of(conference)
    latest = "" if draft is None else ("upload" if draft.is_upload else "text")
    return {
        **_state(conference, paperwork.MINUTES),
        "text": conference.minutes_text,
        "drafted_at": conference.minutes_drafted_at,
        "drafted_by": _name(conference.minutes_drafted_by),
        "latest": latest,
        "uploads": conference.minutes_uploads.select_related("uploaded_by").order_by(
            "-uploaded_at", "-pk"
        ),
    }


# -- the endpoints -----------------------------------------------------------------------------


class PaperworkApi(APIView):
    permission_classes = [IsAuthenticated, ReadsConferences]

    def conference(self, pk: int) -> Conference:
        return access_conference(self.request.user, pk)


def _sent(conference: Conference, item: str, sent) -> Response:
    conference.refresh_from_db()
    return Response(
        {
            **_state(conference, item),
            "emailed": [invitee.pk for invitee in sent.emailed],
            "failed": [invitee.pk for invitee in sent.failed],
            "letters": [invitee.pk for invitee in sent.letters],
        }
    )


class DecisionSheetApi(PaperworkApi):
    @extend_schema(
        summary="A held conference's decision sheet: who took part, quorum, each child's decision",
        description="What the PDF says, as data. `is_draft` until the chair signs it off. A "
        "conference not yet held has no decision sheet (404).",
        responses={200: DecisionSheetSerializer, 403: READ_REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        conference = self.conference(pk)
        if conference.status != Conference.Status.HELD:
            raise NotFound("There is no decision sheet until the conference is held.")
        return Response(DecisionSheetSerializer(sheets.decision_sheet_for(conference)).data)


class DecisionSheetSignOffApi(PaperworkApi):
    @extend_schema(
        summary="Sign off the decision sheet (the chair or the Senior IRO)",
        description="Refused: a conference not held, a child with no decision, or a sheet "
        "already signed off (the answer says when).",
        request=None,
        responses={
            200: PaperworkStateSerializer,
            400: INVALID,
            403: SIGN_OFF_REFUSED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        conference = self.conference(pk)
        if not can_sign_off_paperwork(request.user, conference):
            raise PermissionDenied("Only the chair or the Senior IRO signs off the decision sheet.")
        try:
            signed = paperwork.decision_sheet_sign_off(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(PaperworkStateSerializer(_state(signed, paperwork.DECISION_SHEET)).data)


class DecisionSheetSendApi(PaperworkApi):
    @extend_schema(
        summary="Send the signed-off decision sheet to every invitee, once",
        description="An email with the PDF to each invitee with an address; the rest are "
        "listed for a letter, printed from the decision sheet's page. Refused: not signed off, "
        "already sent (the answer says when), or no one invited.",
        request=None,
        responses={200: PaperworkSentSerializer, 400: INVALID, 403: SEND_REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = self.conference(pk)
        if not can_send_paperwork(request.user):
            raise PermissionDenied("Only business support and the Senior IRO send the paperwork.")
        try:
            sent = paperwork.decision_sheet_send(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            raise refused(error) from error
        return _sent(conference, paperwork.DECISION_SHEET, sent)


class MinutesApi(PaperworkApi):
    @extend_schema(
        summary="A held conference's minutes: the draft, the uploads, sign-off and sending",
        responses={200: MinutesStateSerializer, 403: READ_REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(MinutesStateSerializer(_minutes(self.conference(pk))).data)

    @extend_schema(
        summary="Save the draft minutes as text",
        description="Each save is kept in the conference's history. Refused once the minutes "
        "are signed off, or before the conference is held. Documents are uploaded on the "
        "minutes page.",
        request=MinutesTextInputSerializer,
        responses={200: MinutesStateSerializer, 400: INVALID, 403: DRAFT_REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = self.conference(pk)
        if not can_draft_minutes(request.user, conference):
            raise PermissionDenied(
                "Only the minute taker, business support, the chair or the Senior IRO write "
                "the minutes."
            )
        asked = MinutesTextInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            paperwork.minutes_write(
                conference=conference,
                by=request.user,
                text=asked.validated_data["text"],
                now=timezone.now(),
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(MinutesStateSerializer(_minutes(conference)).data)


class MinutesSignOffApi(PaperworkApi):
    @extend_schema(
        summary="Sign off the latest draft of the minutes (the chair or the Senior IRO)",
        description="Refused: no draft yet, already signed off (the answer says when), or a "
        "conference not held. Once signed off, the minutes cannot change.",
        request=None,
        responses={
            200: PaperworkStateSerializer,
            400: INVALID,
            403: SIGN_OFF_REFUSED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        conference = self.conference(pk)
        if not can_sign_off_paperwork(request.user, conference):
            raise PermissionDenied("Only the chair or the Senior IRO signs off the minutes.")
        try:
            signed = paperwork.minutes_sign_off(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(PaperworkStateSerializer(_state(signed, paperwork.MINUTES)).data)


class MinutesSendApi(PaperworkApi):
    @extend_schema(
        summary="Send the signed-off minutes to every invitee, once",
        description="An email with the minutes attached (the uploaded document, or a PDF of "
        "the text) to each invitee with an address; the rest are listed for a letter. Refused "
        "as the decision sheet is.",
        request=None,
        responses={200: PaperworkSentSerializer, 400: INVALID, 403: SEND_REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = self.conference(pk)
        if not can_send_paperwork(request.user):
            raise PermissionDenied("Only business support and the Senior IRO send the paperwork.")
        try:
            sent = paperwork.minutes_send(
                conference=conference, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            raise refused(error) from error
        return _sent(conference, paperwork.MINUTES, sent)


class PaperworkQuerySerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=list(selectors_paperwork.STAGES), required=False)
    district = serializers.IntegerField(required=False, min_value=1, help_text=DISTRICT_HELP)
    mine = serializers.BooleanField(
        required=False, default=False, help_text="A chair's own conferences only."
    )


class PaperworkRowSerializer(serializers.Serializer):
    conference = serializers.IntegerField(source="conference.pk")
    household = serializers.CharField(source="conference.household.reference")
    district = serializers.CharField(source="conference.household.district.name")
    kind = serializers.CharField(source="conference.kind")
    date = serializers.DateField(source="conference.date")
    chair = serializers.CharField(source="conference.chair.display_name", default="")
    document = serializers.CharField(source="item")
    due_by = serializers.DateField(allow_null=True)
    late = serializers.BooleanField()
    signed_off = serializers.BooleanField()
    stage = serializers.CharField()


class PaperworkListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    late = serializers.IntegerField()
    decision_sheets = serializers.IntegerField()
    minutes = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PaperworkRowSerializer(many=True)


class PaperworkPagination(PageNumberPagination):
    page_size = 25  # as the page


class PaperworkListApi(PaperworkApi):
    @extend_schema(
        summary="Decision sheets and minutes not yet sent, the one due soonest (so the late "
        "ones) first",
        parameters=[
            PaperworkQuerySerializer,
            OpenApiParameter("page", int, description="A page number, 25 rows a page."),
        ],
        responses={200: PaperworkListSerializer, 400: INVALID, 403: READ_REFUSED, 404: NOT_FOUND},
    )
    def get(self, request):
        query = PaperworkQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = query.validated_data
        district = district_for_query(request.user, asked.get("district"))
        mine = asked["mine"] and has_role(request.user, CHAIR_ROLES)
        rows = selectors_paperwork.PaperworkList(
            user=request.user,
            today=timezone.localdate(),
            stage=asked.get("stage"),
            chair=request.user if mine else None,
            district_id=district.pk if district else None,
        )
        paginator = PaperworkPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        body = {
            "count": rows.count(),
            "late": rows.late,
            "decision_sheets": rows.counts[selectors_paperwork.DECISION_SHEET],
            "minutes": rows.counts[selectors_paperwork.MINUTES],
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": page,
        }
        return Response(PaperworkListSerializer(body).data)


urlpatterns: list = [
    path(
        "conferences/<int:pk>/decision-sheet/",
        DecisionSheetApi.as_view(),
        name="conference-decision-sheet",
    ),
    path(
        "conferences/<int:pk>/decision-sheet/sign-off/",
        DecisionSheetSignOffApi.as_view(),
        name="conference-decision-sheet-sign-off",
    ),
    path(
        "conferences/<int:pk>/decision-sheet/send/",
        DecisionSheetSendApi.as_view(),
        name="conference-decision-sheet-send",
    ),
    path("conferences/<int:pk>/minutes/", MinutesApi.as_view(), name="conference-minutes"),
    path(
        "conferences/<int:pk>/minutes/sign-off/",
        MinutesSignOffApi.as_view(),
        name="conference-minutes-sign-off",
    ),
    path(
        "conferences/<int:pk>/minutes/send/",
        MinutesSendApi.as_view(),
        name="conference-minutes-send",
    ),
    path("paperwork/", PaperworkListApi.as_view(), name="paperwork"),
]
