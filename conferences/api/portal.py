"""The document portal through the API (issue 15): a conference's reports with their received
and shared times, each document's file (recorded in the access audit, as on the page), and
sharing the chosen reports with the family. The same services as the pages
(services/portal.py); reading is for every role that works with conferences, sharing for
business support and the Senior IRO."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from .. import portal_links, selectors
from ..models import PortalLink, ReportDocument, ReportRequest, ReportShare
from ..services import portal
from ..views.portal import document_response
from .serializers import InvitationsSentSerializer
from .views import INVALID, NOT_FOUND, REFUSED, ConferenceApi, refused, sent_answer


class ShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportShare
        fields = ["invitee", "method", "shared_at"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    shares = ShareSerializer(many=True, read_only=True)
    file_url = serializers.SerializerMethodField(
        help_text="The document as a file (a PDF for the agency form); each read is audited."
    )

    class Meta:
        model = ReportDocument
        fields = [
            "id",
            "form",
            "source",
            "content_type",
            "size",
            "received_at",
            "shares",
            "file_url",
        ]
        read_only_fields = fields

    def get_file_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(
            reverse(
                "api:conference-report-document",
                args=[document.report.conference_id, document.report_id, document.pk],
            )
        )


class ReportSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.name", read_only=True)
    agency = serializers.CharField(source="author.agency", read_only=True)
    upload_link = serializers.SerializerMethodField(
        help_text="The state of the author's newest upload link: valid, used, expired, "
        "cancelled; empty if none was made."
    )
    documents = DocumentSerializer(many=True, read_only=True, help_text="Newest first.")

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "author",
            "author_name",
            "agency",
            "requested_at",
            "received_at",
            "shared_with_parents_at",
            "upload_link",
            "documents",
        ]
        read_only_fields = fields

    def get_upload_link(self, report) -> str:
        links = list(report.upload_links.all())
        return portal_links.state(links[0], self.context["now"]) if links else ""


class ShareRequestSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text="The ids of the documents to share (a conference's reports).",
    )


def _reports(conference):
    return (
        conference.report_requests.select_related("author", "conference")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=ReportDocument.objects.select_related("report")
                .prefetch_related(
                    Prefetch("shares", queryset=ReportShare.objects.order_by("shared_at", "pk"))
                )
                .order_by("-received_at", "-pk"),
            ),
            Prefetch(
                "upload_links",
                queryset=PortalLink.objects.select_related("conference").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .order_by("author__name", "pk")
    )


class ConferenceReportsApi(ConferenceApi):
    @extend_schema(
        summary="A conference's reports: asked for, received, shared with the family",
        responses={200: ReportSerializer(many=True), 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        context = self.context(now=timezone.now())
        return Response(ReportSerializer(_reports(conference), many=True, context=context).data)


class ConferenceReportDocumentApi(ConferenceApi):
    @extend_schema(
        summary="One report's document as a file (recorded in the access audit)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            403: REFUSED,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int, report_pk: int, document_pk: int):
        conference = selectors.access_conference(request.user, pk)
        return document_response(request, conference, report_pk, document_pk)


class ConferenceReportsShareApi(ConferenceApi):
    @extend_schema(
        summary="Share reports with the family",
        description="Each family member with an email address gets their own link (or, if "
        "they have one, an email that more reports are there); those without are listed for "
        "the post, recorded as shared when the post is recorded on the page. Cannot be undone.",
        request=ShareRequestSerializer,
        responses={200: InvitationsSentSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = selectors.access_conference(request.user, pk)
        asked = ShareRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        ids = asked.validated_data["documents"]
        chosen = list(
            ReportDocument.objects.filter(pk__in=ids, report__conference=conference)
            .select_related("report__author", "report__conference")
            .order_by("pk")
        )
        missing = sorted(set(ids) - {document.pk for document in chosen})
        if missing:
            raise refused(
                ValidationError(
                    {"documents": f"No report of this conference has the id {missing[0]}"}
                )
            )
        try:
            sent = portal.reports_share(
                conference=conference, documents_=chosen, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(sent_answer(sent))


urlpatterns: list = [
    path(
        "conferences/<int:pk>/reports/", ConferenceReportsApi.as_view(), name="conference-reports"
    ),
    path(
        "conferences/<int:pk>/reports/share/",
        ConferenceReportsShareApi.as_view(),
        name="conference-reports-share",
    ),
    path(
        "conferences/<int:pk>/reports/<int:report_pk>/documents/<int:document_pk>/",
        ConferenceReportDocumentApi.as_view(),
        name="conference-report-document",
    ),
]
