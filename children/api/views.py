"""Read-only API onto the same selectors as the pages: one access rule serves both doors.

Searching: POST the terms as JSON ({"q": ..., "born_on": ...}) so that names, NHS numbers and
UPNs stay out of URLs, which servers and proxies log. GET with ?q= still answers, for older
clients, and is marked deprecated in the schema for that reason. Every search and every
child's record read is recorded in the audit (audit.record)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

import audit
from audit.models import AccessEvent
from audit.services import search_detail
from children.selectors import access_child, child_search

from .serializers import ChildDetailSerializer, ChildListSerializer, ChildSearchSerializer

# The API answers with the first matches, in name order, as it always has.
SEARCH_LIMIT = 50

REFUSED = OpenApiResponse(description="Not signed in.")
SEARCH_INVALID = OpenApiResponse(
    description="{field: [messages]}: neither q nor born_on given, or one not valid "
    "(`non_field_errors` when neither)."
)
SEARCH_RESPONSES = {200: ChildListSerializer(many=True), 400: SEARCH_INVALID, 403: REFUSED}


class ChildSearchApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name (any words) or child ID, UPN, NHS number"),
            OpenApiParameter("born_on", str, description="Date of birth, YYYY-MM-DD"),
        ],
        responses=SEARCH_RESPONSES,
        deprecated=True,
        description="Deprecated: the terms sit in the URL, where server and proxy logs keep "
        "them. POST them as JSON instead.",
    )
    def get(self, request):
        return self._search(request, request.query_params)

    @extend_schema(
        request=ChildSearchSerializer,
        responses=SEARCH_RESPONSES,
        description="Find children by name (any words) or child ID, UPN or NHS number, and "
        "date of birth: the first 50 matches in name order. The terms go in the body, never "
        "in the URL.",
    )
    def post(self, request):
        return self._search(request, request.data)

    def _search(self, request, data):
        search = ChildSearchSerializer(data=data)
        search.is_valid(raise_exception=True)
        text = search.validated_data.get("q", "")
        born_on = search.validated_data.get("born_on")
        children = list(child_search(user=request.user, text=text, born_on=born_on)[:SEARCH_LIMIT])
        audit.record(
            request,
            AccessEvent.Kind.SEARCHED,
            what="api:child-search",
            detail=search_detail(text=text, born_on=born_on, results=len(children)),
        )
        return Response(ChildListSerializer(children, many=True).data)


class ChildDetailApi(RetrieveAPIView):
    serializer_class = ChildDetailSerializer

    @extend_schema(
        responses={
            200: ChildDetailSerializer,
            403: REFUSED,
            404: OpenApiResponse(description="No such child that you can see."),
        }
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        child = access_child(self.request.user, self.kwargs["pk"])
        audit.record(self.request, AccessEvent.Kind.VIEWED, child=child, what="api:child-detail")
        return child
