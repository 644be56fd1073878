"""The chair's QA form pages (issue 11; quality-assurance.md): the forms a chair owes (the
Senior IRO: the team's), and one page per held conference where what the record says is shown
as facts to confirm or correct and the few remaining questions are asked. Every submit saves
the draft; "Complete the form" completes it. Concerns needing escalation go on to raising the
escalation, linked to the form."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iro_service.forms import add_service_errors
from people.access import can_fill_qa_form
from people.models import Role

from .. import selectors
from ..forms_qa import QAFormForm, as_form_value
from ..questions import QA_BY_FIELD
from ..services import qa_forms as service

PAGE_SIZE = 25
TEMPLATES = "quality/qa_form"


def escalation_url(form) -> str:
    """The escalation raise page (built elsewhere), with this form pre-linked."""
    return "/quality/escalations/new/?" + urlencode({"qa_form": form.pk})


@require_http_methods(["GET"])
def owed(request):
    """The held conferences whose QA form is still to be completed, oldest first."""
    if request.user.role not in (Role.IRO, Role.SENIOR_IRO):
        raise PermissionDenied("Only chairs and the Senior IRO fill in QA forms.")
    page = Paginator(selectors.qa_forms_owed(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        f"{TEMPLATES}/owed.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "team": request.user.role == Role.SENIOR_IRO,
        },
    )


def _facts(form, record, prefilled):
    """The pre-filled facts, each with its radios bound to the form (the "Correct" toggle)."""
    facts = []
    for name in form.prefilled_names:
        question = QA_BY_FIELD[name]
        fact = prefilled[name]
        shown = as_form_value(question, fact.answer)
        current = as_form_value(question, getattr(record, name)) if record else shown
        labels = dict(form.fields[name].choices)
        facts.append(
            {
                "question": question,
                "field": form[name],
                "answer": labels.get(current, current),
                "because": fact.because,
                "corrected": current != shown,
                "record_said": labels.get(shown, shown),
            }
        )
    return facts


def _shown(record, question) -> str:
    value = getattr(record, question.field)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return getattr(record, f"get_{question.field}_display")() if value else ""


@require_http_methods(["GET", "POST"])
def qa_form(request, conference_pk: int):
    conference = selectors.held_conference_for_qa(request.user, conference_pk)
    record = selectors.qa_form_of(conference)
    completed = record is not None and record.completed_at is not None
    if not can_fill_qa_form(request.user, conference):
        # Everyone who may see the conference reads a completed form (auditors, managers,
        # business support); only its chair or the Senior IRO fills one in.
        if not (completed and request.method == "GET"):
            raise PermissionDenied(
                "Only the conference's chair or the Senior IRO fills its QA form."
            )
    prefilled = service.prefilled_facts(record) if record else service.prefill_for(conference)
    context = {
        "conference": conference,
        "record": record,
        "children": service.children_facts(conference),
    }
    if completed:
        context["answers"] = [
            (question, _shown(record, question))
            for question in QAFormForm(conference=conference, record=record, prefilled={}).questions
        ]
        return render(request, f"{TEMPLATES}/completed.html", context)

    form = QAFormForm(
        request.POST or None, conference=conference, record=record, prefilled=prefilled
    )
    if request.method == "POST" and form.is_valid():
        completing = request.POST.get("action") == "complete"
        try:
            record = record or service.qa_form_start(conference, by=request.user)
            if completing:
                record = service.qa_form_complete(
                    record, form.answers(), by=request.user, now=timezone.now()
                )
            else:
                service.qa_form_save_draft(record, form.answers(), by=request.user)
        except ValidationError as error:
            if completing and record is not None:
                # The answers given are kept as a draft even when completing is refused.
                try:
                    service.qa_form_save_draft(record, form.answers(), by=request.user)
                except ValidationError:
                    pass
            add_service_errors(form, error)
        else:
            if not completing:
                messages.success(request, "Draft saved.")
                return redirect("quality:qa_form", conference_pk=conference.pk)
            messages.success(request, "QA form completed.")
            if record.escalation_needed:
                return redirect(escalation_url(record))
            return redirect("quality:qa_forms_owed")
    context.update(
        {
            "form": form,
            "facts": _facts(form, record, prefilled),
            "asked": [form[name] for name in form.asked_names],
            "back": reverse("quality:qa_forms_owed"),
        }
    )
    return render(request, f"{TEMPLATES}/form.html", context)
