"""The indicators and snapshots API: the same selectors, services and access rules as the
dashboard's pages (style.md rule 5)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from people.access import can_refresh_dashboard, can_view_dashboard
from reporting.selectors import (
    access_snapshot,
    district_for_query,
    reporting_year_of,
    snapshot_list_for,
)
from reporting.services import snapshot_request, stored_figures

from .serializers import (
    IndicatorQuerySerializer,
    SnapshotAcceptedSerializer,
    SnapshotDetailSerializer,
    SnapshotRequestSerializer,
    SnapshotSerializer,
    StoredIndicatorsSerializer,
)

NOT_FOUND = OpenApiResponse(description="No such district or snapshot that you can see.")
REFUSED = OpenApiResponse(description="Your role does not use the dashboard or cannot refresh.")


class DashboardAccess(BasePermission):
    """Reading: the dashboard's roles. Requesting a snapshot: those who may refresh it."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            self.message = "Your role does not use the dashboard."
            return can_view_dashboard(request.user)
        self.message = "Your role cannot refresh the figures."
        return can_refresh_dashboard(request.user)


class IndicatorsApi(APIView):
    permission_classes = [IsAuthenticated, DashboardAccess]

    @extend_schema(
        summary="Every measure for a reporting year, from the stored figures",
        description=(
            "The figures the dashboard shows: stored, never computed in the request, with the "
            "moment of the records they count (as_of) and whether records have changed since "
            "(out_of_date: newer figures are then being computed). For a year or district with "
            "no stored figures yet the answer is 202 with the snapshot computing them: follow "
            "its status_url, then ask again."
        ),
        parameters=[IndicatorQuerySerializer],
        responses={
            200: StoredIndicatorsSerializer,
            202: SnapshotAcceptedSerializer,
            400: None,
            403: REFUSED,
            404: NOT_FOUND,
            503: OpenApiResponse(description="Working the figures out failed: ask again."),
        },
    )
    def get(self, request):
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        district = district_for_query(request.user, query.validated_data.get("district"))
        year = query.validated_data.get("year") or reporting_year_of(timezone.localdate())
        stored = stored_figures(year=year, district=district)
        if stored.figures is None:
            if stored.pending is None:  # working them out failed: ask again to retry
                return Response(
                    {"detail": "The figures could not be worked out. Ask for them again."},
                    status=status.HTTP_503_SERVICE_UNAVAILABLE,
                )
            return _accepted(request, stored.pending, created=True)
        body = {
            **stored.figures.data,
            "as_of": stored.figures.as_of,
            "out_of_date": stored.out_of_date,
        }
        return Response(body)


def _accepted(request, snapshot, *, created: bool) -> Response:
    status_url = request.build_absolute_uri(reverse("api:snapshot-detail", args=[snapshot.pk]))
    body = {
        "id": snapshot.pk,
        "status": snapshot.status,
        "created": created,
        "status_url": status_url,
        "progress_page": request.build_absolute_uri(
            reverse("reporting:snapshot", args=[snapshot.pk])
        ),
    }
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})


class SnapshotListApi(APIView):
    permission_classes = [IsAuthenticated, DashboardAccess]

    @extend_schema(
        summary="Stored snapshots you can see, newest first (at most 100)",
        parameters=[
            OpenApiParameter("year", int, description="Only this reporting year."),
            OpenApiParameter("district", int, description="Only this district's."),
        ],
        responses={
            200: SnapshotSerializer(many=True),
            400: OpenApiResponse(description="{year or district: message}: not a whole number."),
            403: REFUSED,
        },
    )
    def get(self, request):
        snapshots = snapshot_list_for(request.user)
        for key in ("year", "district"):
            value = request.query_params.get(key)
            if value:
                if not value.isdigit():
                    raise ApiValidationError({key: "Give a whole number."})
                snapshots = snapshots.filter(**{key: int(value)})
        serializer = SnapshotSerializer(snapshots[:100], many=True, context={"request": request})
        return Response(serializer.data)

    @extend_schema(
        summary="Ask for a year's figures to be computed and stored",
        request=SnapshotRequestSerializer,
        responses={202: SnapshotAcceptedSerializer, 400: None, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request):
        asked = SnapshotRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        district = district_for_query(request.user, asked.validated_data.get("district"))
        try:
            snapshot, created = snapshot_request(
                year=asked.validated_data["year"], district=district, by=request.user
            )
        except ValidationError as error:
            raise ApiValidationError(error.message_dict) from error
        return _accepted(request, snapshot, created=created)


class SnapshotDetailApi(RetrieveAPIView):
    permission_classes = [IsAuthenticated, DashboardAccess]
    serializer_class = SnapshotDetailSerializer

    @extend_schema(
        summary="One snapshot: its progress, and its figures once done",
        responses={200: SnapshotDetailSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return access_snapshot(self.request.user, self.kwargs["pk"])
