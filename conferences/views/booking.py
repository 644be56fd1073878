"""Business support's booking desk: the list to book, book (with check your answers),
a conference's page, rearrange and cancel (workflows.md, "Booking")."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from children.selectors import access_household
from iro_service.forms import add_service_errors
from people.access import (
    can_book_conferences,
    can_hold_conference,
    can_read_conferences,
    can_record_attendance,
    can_send_links_and_enter_feedback,
    district_scope,
)
from people.models import District, Role, User
from quality_assurance.models import QAForm
from quality_assurance.views.feedback import may_make_views_link
from reporting.metrics.staff import caseloads

from .. import selectors
from ..forms import CancelForm, ConferenceBookForm, RearrangeForm
from ..models import Conference, ConferenceChild
from ..services import booking
from .proposals import may_propose

PAGE_SIZE = 25
KINDS = {  # the list's kinds, and the kind of conference each books
    "initial": Conference.Kind.INITIAL,
    "review": Conference.Kind.REVIEW,
    "reconvene": None,  # the adjourned conference's own kind
    "transfer_in": Conference.Kind.TRANSFER_IN,
}


def require_booker(request) -> None:
    if not can_book_conferences(request.user):
        raise PermissionDenied("Only business support and the Senior IRO book conferences.")


def require_reader(request) -> None:
    if not can_read_conferences(request.user):
        raise PermissionDenied("You do not have access to conferences.")


def _district_filter(request):
    districts = District.objects.all()
    scope = district_scope(request.user)
    if scope is not None:
        districts = districts.filter(pk=scope)
    chosen = request.GET.get("district") or ""
    if not chosen.isdigit() or not districts.filter(pk=chosen).exists():
        return districts, None
    return districts, int(chosen)


@require_http_methods(["GET"])
def to_book(request):
    require_reader(request)
    today = timezone.localdate()
    districts, district_id = _district_filter(request)
    kind = request.GET.get("kind")
    kinds = [kind] if kind in KINDS else list(KINDS)
    pages = selectors.ToBookList(
        user=request.user, today=today, district_id=district_id, kinds=kinds
    )
    page = Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conferences/to_book.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "counts": pages.counts,
            "labels": selectors.KIND_LABELS,
            "kind": kind if kind in KINDS else "",
            "districts": districts,
            "district_id": district_id,
            "today": today,
            "horizon_weeks": selectors.REVIEW_HORIZON_WEEKS,
            "can_book": can_book_conferences(request.user),
            "proposals": selectors.open_proposals_for(request.user)[:PAGE_SIZE],
        },
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else ("ren" if word == "child" else "s"))


def _chair_hints(*, household, today) -> tuple[dict, int | None]:
    """What to know when choosing a chair: their caseload against the band and their bookings
    in the next 4 weeks (workflows.md, "Booking"); and who chaired the family's last one."""
    low, high = settings.IRO_CASELOAD_BAND
    loads = {row["iro_id"]: row["children"] for row in caseloads(on=today)}
    soon = dict(
        Conference.objects.filter(
            status=Conference.Status.BOOKED,
            date__gte=today,
            date__lt=today + timedelta(weeks=4),
        )
        .values("chair")
        .annotate(n=Count("id"))
        .values_list("chair", "n")
    )
    last = (
        Conference.objects.filter(household=household, status=Conference.Status.HELD)
        .order_by("-scheduled_for")
        .values_list("chair", flat=True)
        .first()
    )
    hints = {}
    for user in User.objects.filter(is_active=True, role__in=[Role.IRO, Role.SENIOR_IRO]):
        hint = (
            f"Caseload {_plural(loads.get(user.pk, 0), 'child')} on plans (the band is {low} "
            f"to {high}); {_plural(soon.get(user.pk, 0), 'conference')} booked in the next "
            "4 weeks."
        )
        hints[user.pk] = (
            "Chaired this family's last conference. " if user.pk == last else ""
        ) + hint
    return hints, last


def _replaced(household, list_kind):
    """For a reconvened conference: the household's adjourned conference awaiting it."""
    if list_kind != "reconvene":
        return None
    adjourned = selectors.adjourned_awaiting(household)
    if adjourned is None:
        raise Http404("No adjourned conference to reconvene")
    return adjourned


def _booking_request(form, *, household, list_kind, replaces, transfer):
    data = form.cleaned_data
    chosen = {int(pk) for pk in data["children"]}
    children = tuple(c for c in form.household_children if c.pk in chosen)
    left_out = {
        c.pk: data.get("left_out_reason", "") for c in form.household_children if c.pk not in chosen
    }
    kind = replaces.kind if replaces else KINDS[list_kind]
    if kind == Conference.Kind.INITIAL and any(c.is_unborn for c in children):
        kind = Conference.Kind.PRE_BIRTH_INITIAL if all(c.is_unborn for c in children) else kind
    return booking.BookingRequest(
        kind=kind,
        household=household,
        starts_at=form.starts_at(),
        children=children,
        left_out=left_out,
        chair=data["chair"],
        venue=data["venue"],
        is_virtual=data["is_virtual"],
        meeting_link=data["meeting_link"],
        minute_taker=data["minute_taker"],
        delay_reason=data["delay_reason"],
        delay_note=data["delay_note"],
        replaces=replaces,
        transfer_in=transfer,
    )


def _book_context(request, household, list_kind):
    if list_kind not in KINDS:
        raise Http404("No such kind of conference")
    today = timezone.localdate()
    hints, last_chair = _chair_hints(household=household, today=today)
    children = list(household.children.order_by("date_of_birth", "first_name"))
    return {
        "today": today,
        "hints": hints,
        "last_chair": last_chair,
        "children": children,
        "replaces": _replaced(household, list_kind),
        "transfer": selectors.transfer_in_awaiting(household)
        if list_kind == "transfer_in"
        else None,
    }


def _session_key(household, list_kind) -> str:
    return f"booking:{household.pk}:{list_kind}"


def _form(data, context, household):
    initial = {"children": [str(c.pk) for c in context["children"]], "chair": context["last_chair"]}
    return ConferenceBookForm(
        data,
        initial=initial,
        household_children=context["children"],
        chair_hints=context["hints"],
        last_chair=context["last_chair"],
        district=household.district,
    )


@require_http_methods(["GET", "POST"])
def book(request, household_pk: int, list_kind: str):
    require_booker(request)
    household = access_household(request.user, household_pk)
    context = _book_context(request, household, list_kind)
    # Back from check your answers to change something: the answers given so far.
    data = (
        request.POST if request.method == "POST" else _stored_answers(request, household, list_kind)
    )
    form = _form(data, context, household)
    if request.method == "POST" and form.is_valid():
        booking_request = _booking_request(
            form,
            household=household,
            list_kind=list_kind,
            replaces=context["replaces"],
            transfer=context["transfer"],
        )
        check = booking.booking_check(booking_request, now=timezone.now())
        if check.ok:
            request.session[_session_key(household, list_kind)] = request.POST.dict() | {
                "children": request.POST.getlist("children")
            }
            return redirect(
                "conferences:book_check", household_pk=household.pk, list_kind=list_kind
            )
        add_service_errors(form, ValidationError(check.errors))
    due_by = booking.conference_due_by(
        kind=KINDS[list_kind] or Conference.Kind.REVIEW,
        children=context["children"],
        replaces=context["replaces"],
        transfer_in=context["transfer"],
    )
    return render(
        request,
        "conferences/book.html",
        {
            "form": form,
            "household": household,
            "list_kind": list_kind,
            "due_by": due_by,
            "kind_label": selectors.KIND_LABELS[list_kind],
            **context,
        },
    )


def _stored_answers(request, household, list_kind) -> QueryDict | None:
    """What was typed on the booking form, kept for check your answers (and to change)."""
    stored = request.session.get(_session_key(household, list_kind))
    if not stored:
        return None
    data = QueryDict(mutable=True)
    for name, value in stored.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def _stored_form(request, household, list_kind, context):
    data = _stored_answers(request, household, list_kind)
    if data is None:
        return None
    form = _form(data, context, household)
    return form if form.is_valid() else None


@require_http_methods(["GET", "POST"])
def book_check(request, household_pk: int, list_kind: str):
    """Check your answers: what will be booked, the dates it stores, and any warnings."""
    require_booker(request)
    household = access_household(request.user, household_pk)
    context = _book_context(request, household, list_kind)
    form = _stored_form(request, household, list_kind, context)
    if form is None:
        return redirect("conferences:book", household_pk=household.pk, list_kind=list_kind)
    booking_request = _booking_request(
        form,
        household=household,
        list_kind=list_kind,
        replaces=context["replaces"],
        transfer=context["transfer"],
    )
    errors = []
    if request.method == "POST":
        try:
            conference = booking.conference_book(
                request=booking_request, by=request.user, now=timezone.now()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            del request.session[_session_key(household, list_kind)]
            messages.success(request, "The conference has been booked. Now invite people to it.")
            return redirect("conferences:detail", pk=conference.pk)
    check = booking.booking_check(booking_request, now=timezone.now())
    return render(
        request,
        "conferences/book_check.html",
        {
            "household": household,
            "list_kind": list_kind,
            "request_": booking_request,
            "check": check,
            "errors": errors or [m for ms in check.errors.values() for m in ms],
            "change_url": reverse("conferences:book", args=[household.pk, list_kind]),
            "kind_label": selectors.KIND_LABELS[list_kind],
            "delay_label": Conference.AdjournmentReason(booking_request.delay_reason).label
            if booking_request.delay_reason
            else "",
            **context,
        },
    )


@require_http_methods(["GET"])
def detail(request, pk: int):
    require_reader(request)
    conference = selectors.access_conference(request.user, pk)
    considered = (
        ConferenceChild.objects.filter(conference=conference)
        .select_related("child")
        .prefetch_related("dissents")
    )
    return render(
        request,
        "conferences/detail.html",
        {
            "conference": conference,
            "considered": considered,
            "may_hold": can_hold_conference(request.user, conference),
            # The QA form's state; its link for whoever may fill it, or read it once completed.
            "qa_form": QAForm.objects.filter(conference=conference).only("completed_at").first(),
            "may_keep_register": can_record_attendance(request.user, conference),
            "register": conference.attendance.order_by("id"),
            "may_send_feedback_links": can_send_links_and_enter_feedback(request.user),
            "may_make_views_link": may_make_views_link(request.user, conference),
            "child_views": conference.child_views.select_related("child").order_by(
                "child__first_name", "pk"
            ),
            "quorum_needed": settings.IRO_QUORUM_OTHER_AGENCIES,
            "left_out": conference.excluded_children.select_related("child"),
            "can_book": can_book_conferences(request.user),
            "history": conference.history.select_related("history_user").order_by("-history_date")[
                :20
            ],
            "replaced": conference.rearranged_from,
            "proposals": conference.proposals.select_related("proposed_by"),
            "may_propose": may_propose(request.user, conference),
            "replacement": Conference.objects.filter(rearranged_from=conference).first(),
        },
    )


def _locked_or_404(request, pk):
    conference = selectors.access_conference(request.user, pk)
    if conference.status != Conference.Status.BOOKED:
        messages.error(request, "Only a booked conference can be changed.")
        return conference, False
    return conference, True


@require_http_methods(["GET", "POST"])
def rearrange(request, pk: int):
    require_booker(request)
    conference, open_ = _locked_or_404(request, pk)
    if not open_:
        return redirect("conferences:detail", pk=conference.pk)
    hints, last_chair = _chair_hints(household=conference.household, today=timezone.localdate())
    local = timezone.localtime(conference.scheduled_for)
    form = RearrangeForm(
        request.POST or None,
        initial={
            "date": local.date(),
            "time": f"{local:%H:%M}",
            "venue": conference.venue,
            "is_virtual": conference.is_virtual,
            "meeting_link": conference.meeting_link,
            "chair": conference.chair,
            "minute_taker": conference.minute_taker,
        },
        chair_hints=hints,
        last_chair=last_chair,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = booking.request_from(
            conference,
            starts_at=form.starts_at(),
            venue=data["venue"],
            is_virtual=data["is_virtual"],
            meeting_link=data["meeting_link"],
            chair=data["chair"],
            minute_taker=data["minute_taker"],
        )
        try:
            new = booking.conference_rearrange(
                conference=conference,
                request=changed,
                reason=data["reason"],
                note=data["note"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The conference has been rearranged. Everyone invited is being told."
            )
            return redirect("conferences:detail", pk=new.pk)
    return render(request, "conferences/rearrange.html", {"form": form, "conference": conference})


@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    require_booker(request)
    conference, open_ = _locked_or_404(request, pk)
    if not open_:
        return redirect("conferences:detail", pk=conference.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking.conference_cancel(
                conference=conference,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The conference has been cancelled. Everyone invited is being told."
            )
            return redirect("conferences:detail", pk=conference.pk)
    return render(request, "conferences/cancel.html", {"form": form, "conference": conference})
