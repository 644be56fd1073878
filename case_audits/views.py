"""The themed audit pages (§7.7.1): the list of audits; starting one (theme and date, the
cases the list gives, check your answers); the audit's task list of cases; each case's
checklist; the overall findings; and completing it after a check-your-answers page.

Every page asks case_audits.selectors for the audit (403 for a role with no part, 404 for an
audit or case the user may not see); every change goes through case_audits.services, which
refuse a completed audit. A page that names children records the view in the access audit."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

import audit as access_audit_log
from audit.models import AccessEvent
from iro_service.forms import add_service_errors

from . import selectors, services
from .access import can_edit_case_audits
from .forms import CaseForm, CasesForm, FindingsForm, StartForm
from .models import CaseAudit, Theme
from .questions import ANSWER_LABELS, CHECKLIST

SESSION_KEY = "case_audit_start"
T = "case_audits"


def _posted(request):
    """The form data of a POST (even an empty one, which must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _require_editor(user) -> None:
    if not can_edit_case_audits(user):
        raise PermissionDenied("Only the Senior IRO starts and answers case audits.")


def _record_view(request, *, children) -> None:
    access_audit_log.record(request, AccessEvent.Kind.VIEWED, children=children)


@require_GET
def audit_list(request):
    audits = selectors.audit_list_for(request.user)
    return render(
        request,
        f"{T}/audit_list.html",
        {"audits": audits, "may_edit": can_edit_case_audits(request.user)},
    )


# --- Starting an audit ---------------------------------------------------------------------


def _started(request) -> dict | None:
    return request.session.get(SESSION_KEY)


@require_http_methods(["GET", "POST"])
def start(request):
    _require_editor(request.user)
    saved = _started(request) or {}
    initial = {
        "theme": saved.get("theme"),
        "list_taken_on": date.fromisoformat(saved["on"]) if saved else timezone.localdate(),
        "local_ids": "\n".join(saved.get("local_ids", [])),
    }
    form = StartForm(_posted(request), initial=initial, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = {
            "theme": form.cleaned_data["theme"],
            "on": form.cleaned_data["list_taken_on"].isoformat(),
            "local_ids": form.cleaned_data["ids"],
            "chosen": None,
            "name": saved.get("name", ""),
        }
        return redirect("case_audits:start_cases")
    return render(request, f"{T}/start.html", {"form": form})


def _candidates(request, saved: dict):
    return selectors.candidates_for(
        user=request.user,
        theme=saved["theme"],
        on=date.fromisoformat(saved["on"]),
        local_ids=saved.get("local_ids") or [],
    )


@require_http_methods(["GET", "POST"])
def start_cases(request):
    _require_editor(request.user)
    saved = _started(request)
    if not saved:
        return redirect("case_audits:start")
    candidates = _candidates(request, saved)
    chosen = saved.get("chosen")
    initial = {
        "cases": chosen if chosen is not None else [c.key for c in candidates],
        "name": saved.get("name") or "",
    }
    form = CasesForm(_posted(request), candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved.update(chosen=form.cleaned_data["cases"], name=form.cleaned_data["name"])
        request.session[SESSION_KEY] = saved
        return redirect("case_audits:start_check")
    _record_view(request, children=[c.child for c in candidates])
    missing = []
    if saved["theme"] == Theme.CHOSEN:
        _, missing = selectors.children_by_local_id(saved.get("local_ids") or [])
    context = {
        "form": form,
        "candidates": candidates,
        "theme": Theme(saved["theme"]).label,
        "on": date.fromisoformat(saved["on"]),
        "missing": missing,
    }
    return render(request, f"{T}/start_cases.html", context)


@require_http_methods(["GET", "POST"])
def start_check(request):
    _require_editor(request.user)
    saved = _started(request)
    if not saved or saved.get("chosen") is None:
        return redirect("case_audits:start")
    candidates = [c for c in _candidates(request, saved) if c.key in set(saved["chosen"])]
    errors = []
    if request.method == "POST":
        try:
            created = services.audit_start(
                by=request.user,
                theme=saved["theme"],
                on=date.fromisoformat(saved["on"]),
                name=saved["name"],
                child_ids=saved["chosen"],
                local_ids=saved.get("local_ids") or [],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            del request.session[SESSION_KEY]
            messages.success(request, f"Audit started with {created.cases.count()} cases.")
            return redirect("case_audits:detail", pk=created.pk)
    _record_view(request, children=[c.child for c in candidates])
    context = {
        "saved": saved,
        "theme": Theme(saved["theme"]).label,
        "on": date.fromisoformat(saved["on"]),
        "candidates": candidates,
        "errors": errors,
    }
    return render(request, f"{T}/start_check.html", context)


# --- One audit -----------------------------------------------------------------------------


def _editable(request, audit: CaseAudit) -> bool:
    return can_edit_case_audits(request.user) and not audit.is_completed


@require_GET
def detail(request, pk: int):
    audit = selectors.access_audit(request.user, pk)
    cases = list(selectors.case_list_for(request.user, audit))
    _record_view(request, children=[case.child for case in cases])
    context = {
        "audit": audit,
        "cases": cases,
        "progress": selectors.progress(audit),
        "editable": _editable(request, audit),
        "shown_all": len(cases) == audit.case_count,
    }
    return render(request, f"{T}/audit_detail.html", context)


def _answers_shown(case) -> list[dict]:
    return [
        {
            "question": question,
            "answer": ANSWER_LABELS.get((case.answers.get(question.key) or {}).get("answer"), ""),
            "note": (case.answers.get(question.key) or {}).get("note", ""),
        }
        for question in CHECKLIST
    ]


@require_http_methods(["GET", "POST"])
def case(request, pk: int, case_pk: int):
    audit = selectors.access_audit(request.user, pk)
    audit_case = selectors.access_audit_case(request.user, audit, case_pk)
    editable = _editable(request, audit)
    if request.method == "POST" and not editable:
        raise PermissionDenied(
            services.COMPLETED_REFUSAL if audit.is_completed else "You can only read this audit."
        )
    access_audit_log.record(request, AccessEvent.Kind.VIEWED, child=audit_case.child)
    form = CaseForm(_posted(request), case=audit_case) if editable else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.audit_case_save(
                case=audit_case,
                answers=form.answers(),
                findings=form.cleaned_data["findings"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the findings for {audit_case.child.full_name}.")
            return redirect("case_audits:detail", pk=audit.pk)
    context = {
        "audit": audit,
        "case": audit_case,
        "form": form,
        "answers": _answers_shown(audit_case),
    }
    return render(request, f"{T}/case.html", context)


@require_http_methods(["GET", "POST"])
def findings(request, pk: int):
    audit = selectors.access_audit(request.user, pk)
    _require_editor(request.user)
    if audit.is_completed:
        raise PermissionDenied(services.COMPLETED_REFUSAL)
    form = FindingsForm(
        _posted(request),
        initial={"overall_findings": audit.overall_findings, "actions": audit.actions},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_findings_save(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved the overall findings and actions.")
            return redirect("case_audits:detail", pk=audit.pk)
    return render(request, f"{T}/findings.html", {"audit": audit, "form": form})


@require_http_methods(["GET", "POST"])
def complete(request, pk: int):
    """Check your answers, then complete: irreversible."""
    audit = selectors.access_audit(request.user, pk)
    _require_editor(request.user)
    if audit.is_completed:
        raise PermissionDenied(services.COMPLETED_REFUSAL)
    problems = []
    if request.method == "POST":
        try:
            services.audit_complete(audit=audit, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, "Audit completed. It can no longer be changed.")
            return redirect("case_audits:detail", pk=audit.pk)
    else:
        problems = services.completion_problems(audit)
    cases = list(selectors.case_list_for(request.user, audit))
    _record_view(request, children=[c.child for c in cases])
    context = {
        "audit": audit,
        "cases": cases,
        "progress": selectors.progress(audit),
        "problems": problems,
    }
    return render(request, f"{T}/complete.html", context)
