"""API: the chair's QA form (issue 11), through the same selectors, service and access rules
as the pages. Chairs fill their own conferences' forms and the Senior IRO any; every other
role is refused (403), and a conference outside a district manager's district, or not held,
is not found (404). A refused answer is 400 {field: [messages]} with nothing saved."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conferences.api.views import refused
from people.access import can_fill_qa_form
from people.models import Role

from .. import selectors
from ..models import QAForm, YesNoNA
from ..questions import BOOLEAN, QA_QUESTIONS, YES_NO_NA, qa_questions_for
from ..services import qa_forms as service

REFUSED = OpenApiResponse(
    description="Not signed in, or not allowed: the conference's chair fills its QA form and "
    "the Senior IRO any; other roles do not."
)
NOT_FOUND = OpenApiResponse(description="No held conference that you can see.")
INVALID = OpenApiResponse(
    description="{field: [messages]}: which answers were refused or are missing, and why. "
    "Nothing was saved."
)


class CanFillSome(IsAuthenticated):
    message = "Only chairs and the Senior IRO fill in QA forms."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.role in (
            Role.IRO,
            Role.SENIOR_IRO,
        )


@extend_schema_field(
    # A pattern, not an enum: the schema's enum hook would name one enum per question.
    {"type": "string", "pattern": "^(yes|no|na|)$", "description": "yes, no, na, or blank"}
)
class YesNoNAField(serializers.ChoiceField):
    """One schema for every yes / no / not applicable answer, rather than an enum per field."""

    def __init__(self, **kwargs):
        super().__init__(choices=YesNoNA.choices, **kwargs)


def _answer_field(question):
    if question.kind == BOOLEAN:
        return serializers.BooleanField(required=False, allow_null=True, help_text=question.label)
    if question.kind == YES_NO_NA:
        return YesNoNAField(required=False, allow_blank=True, help_text=question.label)
    choices = QAForm._meta.get_field(question.field).choices
    return serializers.ChoiceField(
        choices=choices, required=False, allow_blank=True, help_text=question.label
    )


QAAnswersSerializer = type(
    "QAAnswersSerializer",
    (serializers.Serializer,),
    {
        **{q.field: _answer_field(q) for q in QA_QUESTIONS},
        "good_practice_note": serializers.CharField(required=False, allow_blank=True),
        "__doc__": "Any of the QA form's answers (quality_assurance.questions); a question not "
        "asked at the conference's kind takes only 'na' or nothing.",
    },
)


class PrefilledSerializer(serializers.Serializer):
    field = serializers.CharField()
    answer = serializers.JSONField(help_text="yes/no/na, or true/false")
    because = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="yes_no_na, boolean or choice")
    prefilled = serializers.BooleanField()


class ChildFactSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    name = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    participation = serializers.CharField(allow_blank=True)


class QAFormSerializer(serializers.Serializer):
    conference = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=[("not_started", "Not started"), ("draft", "Draft"), ("completed", "Completed")]
    )
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_by = serializers.CharField(allow_null=True)
    questions = QuestionSerializer(many=True)
    prefilled = PrefilledSerializer(many=True)
    answers = serializers.DictField(help_text="The answers stored so far, by field.")
    children = ChildFactSerializer(many=True)


class OwedSerializer(serializers.Serializer):
    conference = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    date = serializers.DateField()
    household = serializers.CharField()
    chair = serializers.CharField(source="chair.display_name", allow_null=True, default=None)
    draft_started = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, conference) -> str:
        return reverse("quality:qa_form", args=[conference.pk])


def _state(conference, record) -> dict:
    facts = service.prefilled_facts(record) if record else service.prefill_for(conference)
    questions = qa_questions_for(conference)
    if record is None:
        answers = {name: fact.answer for name, fact in facts.items()}
    else:
        answers = {q.field: getattr(record, q.field) for q in questions}
        answers["good_practice_note"] = record.good_practice_note
    return {
        "conference": conference.pk,
        "state": "not_started"
        if record is None
        else ("completed" if record.completed_at else "draft"),
        "started_at": record.started_at if record else None,
        "completed_at": record.completed_at if record else None,
        "completed_by": record.completed_by.display_name
        if record and record.completed_at
        else None,
        "questions": [
            {"field": q.field, "label": q.label, "kind": q.kind, "prefilled": q.field in facts}
            for q in questions
        ],
        "prefilled": [
            {"field": name, "answer": fact.answer, "because": fact.because}
            for name, fact in facts.items()
        ],
        "answers": answers,
        "children": [
            {
                "child": fact.child.pk,
                "name": f"{fact.child.first_name} {fact.child.last_name}",
                "age": fact.age,
                "participation": fact.row.participation,
            }
            for fact in service.children_facts(conference)
        ],
    }


class OwedApi(APIView):
    permission_classes = [CanFillSome]

    @extend_schema(
        summary="QA forms to complete",
        description="Held conferences without a completed QA form, oldest first: a chair's "
        "own, the Senior IRO's the whole team's.",
        responses={200: OwedSerializer(many=True), 403: REFUSED},
    )
    def get(self, request):
        return Response(OwedSerializer(selectors.qa_forms_owed(request.user), many=True).data)


class _QAFormApi(APIView):
    permission_classes = [IsAuthenticated]

    def conference(self, request, pk: int):
        conference = selectors.held_conference_for_qa(request.user, pk)
        if not can_fill_qa_form(request.user, conference):
            raise PermissionDenied(
                "Only the conference's chair or the Senior IRO fills its QA form."
            )
        return conference

    def answers(self, request) -> dict:
        asked = QAAnswersSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        return dict(asked.validated_data)

    def started(self, request, conference):
        try:
            return service.qa_form_start(conference, by=request.user)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error


class QAFormApi(_QAFormApi):
    @extend_schema(
        summary="A conference's QA form",
        description="What the record pre-fills, the questions asked at this kind of "
        "conference, the answers so far and each child's age and participation.",
        responses={200: QAFormSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        conference = self.conference(request, pk)
        return Response(_state(conference, selectors.qa_form_of(conference)))

    @extend_schema(
        summary="Save a QA form's draft",
        description="Starts the form (pre-filled from the record) if need be, and saves any "
        "of the answers sent. A completed form cannot be changed.",
        request=QAAnswersSerializer,
        responses={200: QAFormSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = self.conference(request, pk)
        answers = self.answers(request)
        try:
            with transaction.atomic():  # a refused answer leaves no draft behind either
                record = self.started(request, conference)
                record = service.qa_form_save_draft(record, answers, by=request.user)
        except ValidationError as error:
            raise refused(error) from error
        return Response(_state(conference, record))


class QAFormCompleteApi(_QAFormApi):
    @extend_schema(
        summary="Complete a QA form",
        description="Saves the answers sent and completes the form: every question asked at "
        "the conference needs an answer. Completed once only.",
        request=QAAnswersSerializer,
        responses={200: QAFormSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        conference = self.conference(request, pk)
        answers = self.answers(request)
        try:
            with transaction.atomic():
                record = self.started(request, conference)
                record = service.qa_form_complete(
                    record, answers, by=request.user, now=timezone.now()
                )
        except ValidationError as error:
            raise refused(error) from error
        return Response(_state(conference, record))


urlpatterns = [
    path("qa-forms/owed/", OwedApi.as_view(), name="qa-forms-owed"),
    path("conferences/<int:pk>/qa-form/", QAFormApi.as_view(), name="conference-qa-form"),
    path(
        "conferences/<int:pk>/qa-form/complete/",
        QAFormCompleteApi.as_view(),
        name="conference-qa-form-complete",
    ),
]
