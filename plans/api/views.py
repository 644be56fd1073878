"""The core groups and visits API: the same selectors, services and access rules as the plan's
"Core groups and visits" pages (style.md rule 5). Every role reads, a district manager only
their district's plans (others answer 404); business support, IROs and the Senior IRO record."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conferences.api.views import NO_SUCH_PAGE, refused
from people.access import can_record_contacts, has_role
from people.models import Role

from .. import selectors, services
from .serializers import (
    CoreGroupInputSerializer,
    CoreGroupListSerializer,
    CoreGroupRecordedSerializer,
    OverdueListSerializer,
    OverdueQuerySerializer,
    VisitInputSerializer,
    VisitListSerializer,
    VisitRecordedSerializer,
)

REFUSED = OpenApiResponse(
    description="Not signed in, or your role cannot do this: business support, IROs and the "
    "Senior IRO record core groups and visits; the other roles read."
)
NOT_FOUND = OpenApiResponse(description="No such plan that you can see.")
INVALID = OpenApiResponse(
    description="{field: [messages]}: what was refused and why (in the future, before the plan "
    "started or after it ended, seen alone but not seen, no one attending). Nothing was saved."
)

BAD_QUERY = OpenApiResponse(description="{field: [messages]}: a kind that is not one of the two.")


class ContactsAccess(BasePermission):
    """Reading: every role, as children's records. Recording: can_record_contacts."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            self.message = "Your role does not read children's records."
            return has_role(request.user, set(Role))
        self.message = (
            "Only business support, IROs and the Senior IRO record core groups and visits."
        )
        return can_record_contacts(request.user)


class ContactsApi(APIView):
    permission_classes = [IsAuthenticated, ContactsAccess]


class CoreGroupsApi(ContactsApi):
    @extend_schema(
        summary="A plan's core groups, the latest first, and when the next is due",
        responses={200: CoreGroupListSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        plan = selectors.access_plan(request.user, pk)
        body = {"plan": plan, "core_groups": selectors.core_groups_of(plan)}
        return Response(CoreGroupListSerializer(body).data)

    @extend_schema(
        summary="Record a core group held on the plan",
        description="The plan's next core group is then due within a month of the latest one "
        "held (the CORE_GROUP_INTERVAL_MONTHS setting).",
        request=CoreGroupInputSerializer,
        responses={201: CoreGroupRecordedSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        plan = selectors.access_plan(request.user, pk)
        asked = CoreGroupInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            meeting = services.core_group_record(plan=plan, by=request.user, **asked.validated_data)
        except ValidationError as error:
            raise refused(error) from error
        body = {"plan": meeting.plan, "core_group": meeting}
        return Response(CoreGroupRecordedSerializer(body).data, status=status.HTTP_201_CREATED)


class VisitsApi(ContactsApi):
    @extend_schema(
        summary="A plan's child protection visits, the latest first, and when the next is due",
        responses={200: VisitListSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        plan = selectors.access_plan(request.user, pk)
        body = {"plan": plan, "visits": selectors.visits_of(plan)}
        return Response(VisitListSerializer(body).data)

    @extend_schema(
        summary="Record a child protection visit",
        description="The next visit is then due within the CP_VISIT_WORKING_DAYS setting's "
        "working days (10) of the latest one.",
        request=VisitInputSerializer,
        responses={201: VisitRecordedSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        plan = selectors.access_plan(request.user, pk)
        asked = VisitInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            visit = services.visit_record(plan=plan, by=request.user, **asked.validated_data)
        except ValidationError as error:
            raise refused(error) from error
        body = {"plan": visit.plan, "visit": visit}
        return Response(VisitRecordedSerializer(body).data, status=status.HTTP_201_CREATED)


class OverduePagination(PageNumberPagination):
    page_size = 50


class OverdueContactsApi(ContactsApi):
    @extend_schema(
        summary="Overdue core groups or visits, the longest overdue first",
        description="Open plans whose stored next core group (or, with kind=visits, next visit) "
        "date is before today: an IRO's own children (those whose latest conference they "
        "chaired), a district manager's district, everyone else the whole authority. With the "
        "counts of both lists.",
        parameters=[
            OverdueQuerySerializer,
            OpenApiParameter("page", int, description="A page number, 50 rows a page."),
        ],
        responses={200: OverdueListSerializer, 400: BAD_QUERY, 403: REFUSED, 404: NO_SUCH_PAGE},
    )
    def get(self, request):
        query = OverdueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data["kind"]
        today = timezone.localdate()
        lists = selectors.overdue_contacts_for(request.user, today=today)
        paginator = OverduePagination()
        page = paginator.paginate_queryset(lists[kind], request, view=self)
        body = {
            "kind": kind,
            "counts": {
                name: paginator.page.paginator.count if name == kind else plans.count()
                for name, plans in lists.items()
            },
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": selectors.overdue_rows(page, kind=kind, today=today),
        }
        return Response(OverdueListSerializer(body).data)
