"""API: feedback (quality assurance): sending parent/carer feedback links after a held
conference, typing in a paper questionnaire, making a child's views link before a booked
conference, and cancelling an unused link or sending a new one in its place, through the same
services and access rules as the pages. Business support (and
the Senior IRO) send links and type in feedback; the chair may also make a views link for
their conference; others are refused (403); a conference outside a district manager's district
is not found (404); refusals are 400 {field: [messages]} with nothing saved."""

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conferences.api.views import INVALID, NOT_FOUND, refused
from conferences.selectors import access_conference
from people.access import can_send_links_and_enter_feedback

from .. import links
from ..models import FeedbackQuestionnaire, OneTimeLink, YesPartlyNo
from ..services import child_views, feedback, link_changes
from ..views.feedback import changeable_link, may_make_views_link

REFUSED = OpenApiResponse(
    description="Not signed in, or not allowed: business support and the Senior IRO send "
    "links and type in feedback; the chair may also make a views link for their conference."
)


class CanSend(IsAuthenticated):
    message = "Only business support send feedback links and type in feedback."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can_send_links_and_enter_feedback(
            request.user
        )


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


class LetterSerializer(serializers.Serializer):
    invitee = serializers.IntegerField(source="invitee_id")
    code = serializers.CharField(help_text="The code printed in the letter, typed at /respond/.")


class LinksSentSerializer(serializers.Serializer):
    emailed = serializers.ListField(child=serializers.IntegerField(), help_text="Invitee ids.")
    failed = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Invitee ids whose email failed: nothing recorded, try again.",
    )
    letters = LetterSerializer(many=True)
    letters_pdf = serializers.CharField(allow_blank=True, help_text="Where to print the letters.")


class FeedbackLinksApi(APIView):
    permission_classes = [CanSend]

    @extend_schema(
        summary="Send feedback links to a held conference's parents and carers",
        description="Each parent or carer invitee not yet sent one gets a one-time link: by "
        "email with an address, else a letter with a code (printable PDF). Refused when the "
        "conference is not held or everyone has been sent one.",
        request=None,
        responses={201: LinksSentSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = access_conference(request.user, pk)
        try:
            sent = feedback.send_links(
                conference=conference, by=request.user, base_url=_base_url(request)
            )
        except ValidationError as error:
            raise refused(error) from error
        letters_pdf = ""
        if sent.letters:
            letters_pdf = request.build_absolute_uri(f"/quality/feedback/conferences/{pk}/letters/")
        return Response(
            LinksSentSerializer(
                {
                    "emailed": [i.pk for i in sent.emailed],
                    "failed": [i.pk for i in sent.failed],
                    "letters": [
                        {"invitee_id": link.invitee_id, "code": links.display_code(link.code)}
                        for link in sent.letters
                    ],
                    "letters_pdf": letters_pdf,
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


class PaperFeedbackSerializer(serializers.Serializer):
    conference = serializers.IntegerField()
    respondent = serializers.ChoiceField(choices=FeedbackQuestionnaire.Respondent.choices)
    received_on = serializers.DateField()
    stress_level = serializers.IntegerField(min_value=1, max_value=5)
    comments = serializers.CharField(allow_blank=True, default="", max_length=5000)

    def get_fields(self):
        fields = super().get_fields()
        for name in feedback.ANSWER_FIELDS:
            fields[name] = serializers.ChoiceField(choices=YesPartlyNo.choices)
        return fields


class FeedbackSavedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conference = serializers.IntegerField(source="conference_id")
    source = serializers.CharField()
    received_on = serializers.DateField()


class PaperFeedbackApi(APIView):
    permission_classes = [CanSend]

    @extend_schema(
        summary="Type in a paper feedback questionnaire",
        request=PaperFeedbackSerializer,
        responses={201: FeedbackSavedSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request):
        asked = PaperFeedbackSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = dict(asked.validated_data)
        conference = access_conference(request.user, data.pop("conference"))
        try:
            saved = feedback.enter_paper(
                conference=conference,
                respondent=data.pop("respondent"),
                received_on=data.pop("received_on"),
                answers=data,
                by=request.user,
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(FeedbackSavedSerializer(saved).data, status=status.HTTP_201_CREATED)


class ViewsLinkRequestSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    email_social_worker = serializers.BooleanField(default=True)


class ViewsLinkMadeSerializer(serializers.Serializer):
    child = serializers.IntegerField(source="link.child_id")
    url = serializers.CharField(help_text="Shown only now: only a hash of its token is kept.")
    code = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField(source="link.expires_at")
    emailed_to = serializers.CharField(allow_blank=True)
    email_failed = serializers.BooleanField()

    def get_code(self, made) -> str:
        return links.display_code(made.link.code)


class ChildViewsLinkApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Make a one-time link for a child's views before a booked conference",
        description="Emailed to the child's social worker when they have an address and "
        "email_social_worker is true; the link is in the answer either way, and only there.",
        request=ViewsLinkRequestSerializer,
        responses={201: ViewsLinkMadeSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = access_conference(request.user, pk)
        if not may_make_views_link(request.user, conference):
            raise PermissionDenied("Only business support or the chair make a views link.")
        asked = ViewsLinkRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        child = conference.children.filter(pk=asked.validated_data["child"]).first()
        if child is None:
            raise refused(
                ValidationError(
                    {"child": ["This child is not being considered at this conference."]}
                )
            )
        try:
            made = child_views.make_link(
                conference=conference,
                child=child,
                by=request.user,
                base_url=_base_url(request),
                email_social_worker=asked.validated_data["email_social_worker"],
            )
        except ValidationError as error:
            raise refused(error) from error
        response = Response(ViewsLinkMadeSerializer(made).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class LinkCancelledSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField()
    cancelled_at = serializers.DateTimeField()


class LinkResentSerializer(serializers.Serializer):
    cancelled = serializers.IntegerField(help_text="The id of the link cancelled.")
    id = serializers.IntegerField(help_text="The new link's id.")
    purpose = serializers.CharField()
    sent_by = serializers.CharField(
        allow_blank=True, help_text="email, letter, or blank for a views link only shown."
    )
    expires_at = serializers.DateTimeField()
    code = serializers.CharField(
        allow_blank=True,
        help_text="A new letter's code (feedback by letter) or a views link's code; blank for "
        "a feedback link emailed, whose code is only in the email.",
    )
    url = serializers.CharField(
        allow_blank=True, help_text="A new views link, shown only now; blank for feedback."
    )
    emailed_to = serializers.CharField(allow_blank=True)
    email_failed = serializers.BooleanField(
        help_text="A views link's email to the social worker failed: pass on the url."
    )
    letters_pdf = serializers.CharField(
        allow_blank=True, help_text="Where to print the new letter (feedback by letter)."
    )


LINK_REFUSED = OpenApiResponse(
    description="Not signed in, or not allowed: business support and the Senior IRO change "
    "any link; the chair may also change a views link for their conference."
)


class LinkCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Cancel an unused one-time link",
        description="The link stops working at once and its page says it is no longer valid. "
        "Refused (400) for a link already used, expired or cancelled; nothing changes.",
        request=None,
        responses={200: LinkCancelledSerializer, 400: INVALID, 403: LINK_REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        link, _conference = changeable_link(request.user, pk)
        try:
            cancelled = link_changes.cancel(link=link, by=request.user)
        except ValidationError as error:
            raise refused(error) from error
        return Response(LinkCancelledSerializer(cancelled).data)


class LinkResendApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Cancel an unused one-time link and send a new one the same way",
        description="A feedback link is emailed again (to the invitee's address as it is now) "
        "or made a new letter with a new code; a views link is emailed to the social worker "
        "if the old one was, and its url is in the answer either way. One transaction: if a "
        "feedback email cannot be sent, nothing changes (400).",
        request=None,
        responses={201: LinkResentSerializer, 400: INVALID, 403: LINK_REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        link, conference = changeable_link(request.user, pk)
        answer = {"cancelled": link.pk, "url": "", "emailed_to": "", "email_failed": False}
        try:
            if link.purpose == OneTimeLink.Purpose.FEEDBACK:
                new = feedback.resend_link(link=link, by=request.user, base_url=_base_url(request))
                by_letter = new.sent_by == "letter"
                answer.update(
                    code=links.display_code(new.code) if by_letter else "",
                    emailed_to="" if by_letter else new.invitee.email,
                    letters_pdf=request.build_absolute_uri(
                        reverse("quality:feedback_letters", args=[conference.pk])
                        + f"?invitee={new.invitee_id}"
                    )
                    if by_letter
                    else "",
                )
            else:
                made = child_views.resend_link(
                    link=link, by=request.user, base_url=_base_url(request)
                )
                new = made.link
                answer.update(
                    code=links.display_code(new.code),
                    url=made.url,
                    emailed_to=made.emailed_to,
                    email_failed=made.email_failed,
                    letters_pdf="",
                )
        except ValidationError as error:
            raise refused(error) from error
        answer.update(
            id=new.pk, purpose=new.purpose, sent_by=new.sent_by, expires_at=new.expires_at
        )
        response = Response(LinkResentSerializer(answer).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


urlpatterns: list = [
    path(
        "conferences/<int:pk>/feedback-links/",
        FeedbackLinksApi.as_view(),
        name="api-feedback-links",
    ),
    path("feedback/", PaperFeedbackApi.as_view(), name="api-feedback"),
    path(
        "conferences/<int:pk>/child-views-links/",
        ChildViewsLinkApi.as_view(),
        name="api-child-views-links",
    ),
    path("links/<int:pk>/cancel/", LinkCancelApi.as_view(), name="api-link-cancel"),
    path("links/<int:pk>/resend/", LinkResendApi.as_view(), name="api-link-resend"),
]
