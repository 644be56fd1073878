"""The chair's pages for holding a conference (workflows.md, "Holding"): a task list, the
attendance register with its quorum, one page per child, the optional Signs of Safety record,
check your answers, and adjourning.

The register is saved as it is kept (business support may keep it too). Each child's answers
are kept in the session until the conference is recorded as held, which saves everything in
one transaction through conferences.services.holding. The version the chair began from goes
with it: if someone else saved the conference meanwhile, the chair is told and shown what
changed, and nothing is overwritten."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iro_service.forms import add_service_errors
from people.access import can_hold_conference, can_record_attendance
from plans import rules as plan_rules

from .. import rules, selectors
from ..forms_holding import (
    AdjournForm,
    ChildDecisionForm,
    HoldForm,
    RegisterFormSet,
    SignsOfSafetyForm,
    VersionForm,
)
from ..models import Conference, ConferenceChild
from ..services import holding

EXTRA_REGISTER_ROWS = 2


def _conference(request, pk: int) -> Conference:
    return selectors.access_conference(request.user, pk)


def _require_chair(request, conference: Conference) -> None:
    if not can_hold_conference(request.user, conference):
        raise PermissionDenied("Only the conference's chair or the Senior IRO records it.")


def _require_open(conference: Conference):
    if conference.status != Conference.Status.BOOKED:
        return redirect("conferences:detail", pk=conference.pk)
    return None


# --- The draft kept in the session ------------------------------------------------------


def _key(conference: Conference) -> str:
    return f"holding:{conference.pk}"


def _draft(request, conference: Conference) -> dict:
    draft = request.session.get(_key(conference))
    if draft is None:
        draft = {"version": conference.version, "children": {}, "signs_of_safety": None}
        request.session[_key(conference)] = draft
    return draft


def _save_draft(request, conference: Conference, draft: dict) -> None:
    request.session[_key(conference)] = draft
    request.session.modified = True


def _as_querydict(stored: dict | None) -> QueryDict | None:
    if stored is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in stored.items():
        data.setlist(name, values)
    return data


def _posted(request) -> dict:
    return {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}


@dataclass
class ChildTask:
    considered: holding.Considered
    form: ChildDecisionForm | None  # bound to the stored answers, if any

    @property
    def child(self):
        return self.considered.row.child

    @property
    def done(self) -> bool:
        return self.form is not None and self.form.is_valid()


def _child_form(conference, considered, data, initial=None):
    return ChildDecisionForm(data, conference=conference, considered=considered, initial=initial)


def _child_initial(conference: Conference, considered: holding.Considered) -> dict:
    """What the booking and the child's own views already say, so nobody re-types it."""
    sent = list(conference.child_views.filter(child=considered.row.child))
    initial = {"views": "\n\n".join(view.words for view in sent if view.words)}
    if sent:
        # Views sent before the conference are participation (quality-assurance.md): a
        # picture if one came, otherwise their words. The chair may change it.
        picture = any(view.picture for view in sent)
        initial["participation"] = (
            ConferenceChild.Participation.PICTURE
            if picture
            else ConferenceChild.Participation.LETTER_OR_TEXT
        )
    if considered.plan is not None:
        initial["category"] = considered.plan.latest_category
    return initial


def _tasks(request, conference: Conference, draft: dict) -> list[ChildTask]:
    tasks = []
    for considered in holding.considered_children(conference):
        stored = _as_querydict(draft["children"].get(str(considered.row.child_id)))
        form = _child_form(conference, considered, stored) if stored is not None else None
        tasks.append(ChildTask(considered, form))
    return tasks


def _sos_form(draft: dict):
    stored = _as_querydict(draft.get("signs_of_safety"))
    return SignsOfSafetyForm(stored) if stored is not None else None


# --- Pages ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def hold(request, pk: int):
    """The task list: the register, each child, Signs of Safety, then check and record."""
    conference = _conference(request, pk)
    if not can_record_attendance(request.user, conference):
        raise PermissionDenied("Only the chair, the Senior IRO or business support may do this.")
    if (closed := _require_open(conference)) is not None:
        return closed
    is_chair = can_hold_conference(request.user, conference)
    draft = _draft(request, conference) if is_chair else None
    tasks = _tasks(request, conference, draft) if is_chair else []
    sos = _sos_form(draft) if is_chair and settings.IRO_SIGNS_OF_SAFETY else None
    register_kept = conference.attendance.exists()
    return render(
        request,
        "conferences/holding/hold.html",
        {
            "conference": conference,
            "is_chair": is_chair,
            "register_kept": register_kept,
            "quorum": holding.quorum_of(conference) if register_kept else None,
            "tasks": tasks,
            "signs_of_safety": settings.IRO_SIGNS_OF_SAFETY,
            "sos_done": sos is not None and sos.is_valid(),
            "ready": register_kept and all(t.done for t in tasks),
            "may_hold_today": conference.date <= timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    """Keep the attendance register: the invitees, then anyone else present."""
    conference = _conference(request, pk)
    if not can_record_attendance(request.user, conference):
        raise PermissionDenied("Only the chair, the Senior IRO or business support may do this.")
    if conference.status not in (Conference.Status.BOOKED, Conference.Status.HELD):
        return redirect("conferences:detail", pk=conference.pk)
    rows = holding.register_rows_for(conference)
    initial = [row.__dict__ for row in rows] + [{} for _ in range(EXTRA_REGISTER_ROWS)]
    conflict = None
    if request.method == "POST":
        formset = RegisterFormSet(request.POST, prefix="row")
        version = VersionForm(request.POST)
        if "add_row" in request.POST:
            # One more empty line, keeping what was typed.
            data = request.POST.copy()
            data["row-TOTAL_FORMS"] = str(int(data.get("row-TOTAL_FORMS", 0)) + 1)
            formset = RegisterFormSet(data, prefix="row")
            formset.is_valid()
        elif formset.is_valid() and version.is_valid():
            lines = [form.row() for form in formset if not form.is_blank()]
            try:
                saved = holding.attendance_record(
                    conference=conference,
                    rows=lines,
                    version=version.cleaned_data["version"],
                    by=request.user,
                )
            except holding.EditConflict as error:
                conflict = error
                conference.refresh_from_db()
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                _after_own_save(request, saved, before=version.cleaned_data["version"])
                quorum = holding.quorum_of(saved)
                messages.success(
                    request,
                    "The register has been saved. "
                    + (
                        "The conference is quorate."
                        if quorum.quorate
                        else f"The conference is not quorate: it needs {quorum.shortfall}."
                    ),
                )
                return redirect("conferences:hold", pk=conference.pk)
    else:
        formset = RegisterFormSet(initial=initial, prefix="row")
    return render(
        request,
        "conferences/holding/register.html",
        {
            "conference": conference,
            "formset": formset,
            "version": conference.version,
            "conflict": conflict,
            "quorum": holding.quorum_of(conference) if conference.attendance.exists() else None,
            "other_needed": settings.IRO_QUORUM_OTHER_AGENCIES,
            "not_agencies": sorted(rules.NOT_AGENCIES),
        },
    )


def _after_own_save(request, conference: Conference, *, before: int) -> None:
    """The chair's own save moves their draft on to the new version (someone else's does
    not: that is the conflict they must be shown)."""
    draft = request.session.get(_key(conference))
    if draft is not None and draft["version"] == before:
        draft["version"] = conference.version
        _save_draft(request, conference, draft)


@require_http_methods(["GET", "POST"])
def child(request, pk: int, child_pk: int):
    """One child: how they took part, their views, the decision and the outline plan."""
    conference = _conference(request, pk)
    _require_chair(request, conference)
    if (closed := _require_open(conference)) is not None:
        return closed
    draft = _draft(request, conference)
    considered_all = holding.considered_children(conference)
    considered = next((c for c in considered_all if c.row.child_id == child_pk), None)
    if considered is None:
        return redirect("conferences:hold", pk=conference.pk)
    if request.method == "POST":
        form = _child_form(conference, considered, request.POST)
        if form.is_valid():
            draft["children"][str(child_pk)] = _posted(request)
            _save_draft(request, conference, draft)
            following = _next_child(considered_all, draft, after=child_pk)
            if following is not None:
                return redirect("conferences:hold_child", pk=conference.pk, child_pk=following)
            return redirect("conferences:hold", pk=conference.pk)
    else:
        stored = _as_querydict(draft["children"].get(str(child_pk)))
        form = _child_form(
            conference, considered, stored, initial=_child_initial(conference, considered)
        )
    position = [c.row.child_id for c in considered_all].index(child_pk) + 1
    return render(
        request,
        "conferences/holding/child.html",
        {
            "conference": conference,
            "considered": considered,
            "child": considered.row.child,
            "form": form,
            "position": position,
            "of": len(considered_all),
        },
    )


def _next_child(considered_all, draft, *, after: int) -> int | None:
    """The next child without answers yet, after this one."""
    ids = [c.row.child_id for c in considered_all]
    for child_id in ids[ids.index(after) + 1 :] + ids[: ids.index(after)]:
        if str(child_id) not in draft["children"]:
            return child_id
    return None


@require_http_methods(["GET", "POST"])
def signs_of_safety(request, pk: int):
    conference = _conference(request, pk)
    _require_chair(request, conference)
    if not settings.IRO_SIGNS_OF_SAFETY:
        return redirect("conferences:hold", pk=conference.pk)
    if (closed := _require_open(conference)) is not None:
        return closed
    draft = _draft(request, conference)
    if request.method == "POST":
        form = SignsOfSafetyForm(request.POST)
        if form.is_valid():
            draft["signs_of_safety"] = _posted(request)
            _save_draft(request, conference, draft)
            return redirect("conferences:hold", pk=conference.pk)
    else:
        form = SignsOfSafetyForm(_as_querydict(draft.get("signs_of_safety")))
        if not form.is_bound:
            form = SignsOfSafetyForm()
    return render(
        request,
        "conferences/holding/signs_of_safety.html",
        {"conference": conference, "form": form},
    )


def _preview(conference: Conference, task: ChildTask) -> dict:
    """The dates the decision will store, for check your answers."""
    decision = task.form.decision()
    timescales = settings.IRO_TIMESCALES
    held_on = conference.date
    if decision.outcome == ConferenceChild.Outcome.PLAN_STARTED:
        born = task.child.date_of_birth
        return {
            "next_review": rules.next_review_due_by(
                plan_start=held_on,
                reviews_held=[],
                timescales=timescales,
                born_on=born if conference.kind == Conference.Kind.PRE_BIRTH_INITIAL else None,
            ),
            "core_group": plan_rules.first_core_group_due_by(
                plan_start=held_on, working_days=timescales["FIRST_CORE_GROUP_WORKING_DAYS"]
            ),
        }
    if decision.outcome == ConferenceChild.Outcome.PLAN_CONTINUED:
        return {
            "next_review": plan_rules.later_review_due_by(
                previous_review_on=held_on, months=timescales["LATER_REVIEW_MONTHS"]
            ),
            "core_group": getattr(task.considered.plan, "next_core_group_due_by", None),
        }
    return {}


@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """Check your answers, then record the conference as held (it cannot be undone)."""
    conference = _conference(request, pk)
    _require_chair(request, conference)
    if (closed := _require_open(conference)) is not None:
        return closed
    draft = _draft(request, conference)
    tasks = _tasks(request, conference, draft)
    sos_form = _sos_form(draft) if settings.IRO_SIGNS_OF_SAFETY else None
    incomplete = [t for t in tasks if not t.done]
    if incomplete or not conference.attendance.exists():
        messages.error(request, "Keep the register and answer for every child first.")
        return redirect("conferences:hold", pk=conference.pk)
    form = HoldForm(request.POST or None, initial={"version": draft["version"]})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            held = holding.conference_hold(
                conference=conference,
                version=form.cleaned_data["version"],
                decisions=[t.form.decision() for t in tasks],
                proceeded_inquorate=form.cleaned_data["proceeded_inquorate"],
                signs_of_safety=sos_form.record() if sos_form and sos_form.is_valid() else None,
                by=request.user,
            )
        except holding.EditConflict as error:
            conflict = error
            conference.refresh_from_db()
            # They have now seen the change: saving again goes on from it.
            draft["version"] = conference.version
            _save_draft(request, conference, draft)
            form = HoldForm(initial={"version": conference.version})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            del request.session[_key(conference)]
            messages.success(
                request,
                "The conference has been recorded as held. The decision sheet is due by "
                f"{held.decision_sheet_due_by:%d %B %Y}.",
            )
            return redirect("conferences:detail", pk=held.pk)
    quorum = holding.quorum_of(conference)
    return render(
        request,
        "conferences/holding/check.html",
        {
            "conference": conference,
            "form": form,
            "conflict": conflict,
            "register": conference.attendance.order_by("id"),
            "quorum": quorum,
            "tasks": [(t, t.form.decision(), _preview(conference, t)) for t in tasks],
            "sos": sos_form.record() if sos_form and sos_form.is_valid() else None,
        },
    )


@require_http_methods(["GET", "POST"])
def adjourn(request, pk: int):
    """Adjourn the conference on the day: it goes back on the list to book, to reconvene
    within the adjourned conference setting."""
    conference = _conference(request, pk)
    _require_chair(request, conference)
    if (closed := _require_open(conference)) is not None:
        return closed
    form = AdjournForm(request.POST or None, initial={"version": conference.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            adjourned = holding.conference_adjourn(
                conference=conference,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except holding.EditConflict as error:
            conflict = error
            conference.refresh_from_db()
            form = AdjournForm(request.POST.copy() | {"version": [str(conference.version)]})
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(_key(conference), None)
            messages.success(
                request,
                "The conference has been adjourned. It must reconvene by "
                f"{adjourned.reconvene_by:%d %B %Y} and is on the list to book.",
            )
            return redirect("conferences:detail", pk=adjourned.pk)
    reconvene_by = rules.adjourned_review_reconvene_by(
        adjourned_on=conference.date, days=settings.IRO_TIMESCALES["ADJOURNED_REVIEW_DAYS"]
    )
    return render(
        request,
        "conferences/holding/adjourn.html",
        {
            "conference": conference,
            "form": form,
            "conflict": conflict,
            "reconvene_by": reconvene_by,
            "quorum": holding.quorum_of(conference) if conference.attendance.exists() else None,
            "back": reverse("conferences:hold", args=[conference.pk]),
        },
    )
