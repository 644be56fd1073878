"""Read-only API onto the same selectors as the pages: one access rule serves both doors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from children.selectors import access_child, child_search

from .serializers import ChildDetailSerializer, ChildListSerializer, ChildSearchSerializer

# The API answers with the first matches, in name order, as it always has.
SEARCH_LIMIT = 50


class ChildSearchApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name (any words) or child ID, UPN, NHS number"),
            OpenApiParameter("born_on", str, description="Date of birth, YYYY-MM-DD"),
        ],
        responses=ChildListSerializer(many=True),
    )
    def get(self, request):
        search = ChildSearchSerializer(data=request.query_params)
        search.is_valid(raise_exception=True)
        children = child_search(
            user=request.user,
            text=search.validated_data.get("q", ""),
            born_on=search.validated_data.get("born_on"),
        )[:SEARCH_LIMIT]
        return Response(ChildListSerializer(children, many=True).data)


class ChildDetailApi(RetrieveAPIView):
    serializer_class = ChildDetailSerializer

    def get_object(self):
        return access_child(self.request.user, self.kwargs["pk"])
