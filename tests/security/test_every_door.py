"""Every door of the service, tried by every persona: each URL pattern (pages and API) x each
role (and the other district's manager, and nobody signed in) x GET and POST, against one
table of who may (style.md rule 6). A role the table lets in must not be refused (403, 404,
405) and must not break the server; everyone else must be refused. The records behind the
doors are the north household's, so the south district's manager is refused every one of
them that is about a child. A URL with no entry in the table fails the test, so a new page
is never left out.

A POST here carries no form data: a door that lets someone in answers with its form's errors
(or a redirect), never with a change; what a valid POST does is tested where the page is."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from annual_report import services as annual_reports
from annual_report.models import AnnualReport, ReportVersion
from case_audits import services as case_audits
from conferences import portal_links
from conferences.models import Leaflet, MinutesUpload, PortalLink, ReportDocument, ReportRequest
from conferences.services import leaflets
from people.models import Role
from quality_assurance.models import ChildView
from reporting.models import IndicatorSnapshot

from ..conferences.invitation_world import book
from ..conferences.test_paperwork_world import hold
from ..conferences.test_strategy_holding_world import book_meeting, no_conference_decision
from ..factories import (
    LONDON,
    ConferenceChildFactory,
    FamilyMemberFactory,
    InviteeFactory,
    PlanFactory,
    UserFactory,
)
from ..fixtures import client_for
from ..quality.test_escalation_world import raised
from ..quality.test_feedback_helpers import feedback_link, jpeg_with_exif, private_media
from ..routes import named_routes

pytestmark = pytest.mark.django_db
__all__ = ["private_media"]

NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=LONDON)  # a Monday afternoon

I, S, B = Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT  # noqa: E741
D, R, A = Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR
O = "other_district_manager"  # noqa: E741  the south district's manager
PERSONAS = [I, S, B, D, R, A, O]
EVERYONE = frozenset(PERSONAS)
NOBODY = frozenset()
STAFF_NORTH = EVERYONE - {O}  # every role that may see the north household's records


@dataclass(frozen=True)
class Door:
    """Who may GET and who may POST (NOBODY when the door takes no POST at all)."""

    obj: str | None  # which of the records the URL's arguments point at
    get: frozenset
    post: frozenset = NOBODY


def door(obj, get, post=NOBODY):
    return Door(obj, frozenset(get), frozenset(post))


# Roles, as people.access says (READ_CONFERENCE_ROLES is every role; the chair is the IRO
# persona; the escalation is raised by the IRO and addressed to the district manager).
CHAIRS = {I, S}
BOOKERS = {B, S}
DASHBOARD = {S, D, R, A, O}
ANNUAL_READERS = {S, D, R, A, O}
DOORS: dict[str, Door] = {
    # -- signing in and the landing page --------------------------------------------------
    "home": door(None, EVERYONE),
    "logout": door(None, NOBODY, EVERYONE),
    "password_change": door(None, EVERYONE, EVERYONE),
    "sign_out_everywhere": door(None, NOBODY, EVERYONE),
    "lockout_list": door(None, {S}),
    "lockout_unlock_account": door("lockout", {S}, {S}),
    "lockout_unlock_address": door("lockout", {S}, {S}),
    "mfa:overview": door(None, EVERYONE),
    "mfa:set_up": door(None, EVERYONE, EVERYONE),
    "mfa:verify": door(None, EVERYONE, EVERYONE),
    "mfa:recovery_codes": door(None, NOBODY, NOBODY),  # only straight after a code is given
    "accounts:list": door(None, {S}),
    "accounts:create": door(None, {S}, {S}),
    "accounts:detail": door("account", {S}),
    "accounts:change": door("account", {S}, {S}),
    "accounts:reset_password": door("account", {S}, {S}),
    "accounts:reset_mfa": door("account", {S}, {S}),
    "accounts:deactivate": door("account", {S}, {S}),
    "accounts:reactivate": door("account", NOBODY, {S}),
    # -- children ---------------------------------------------------------------------------
    "children:search": door(None, EVERYONE, EVERYONE),  # the search form posts
    "children:create": door(None, {I, S, B}, {I, S, B}),
    "children:detail": door("child", STAFF_NORTH),
    "children:edit": door("child", {I, S, B}, {I, S, B}),
    "children:history": door("child", STAFF_NORTH),
    "children:household": door("household", STAFF_NORTH),
    "children:family_member_add": door("household", {I, S, B}, {I, S, B}),
    "children:family_member_edit": door("family_member", {I, S, B}, {I, S, B}),
    # -- plans ------------------------------------------------------------------------------
    "plans:change_category": door("plan", CHAIRS, CHAIRS),
    "plans:end": door("plan", CHAIRS, CHAIRS),
    "plans:contacts": door("plan", STAFF_NORTH),
    "plans:core_group_new": door("plan", {I, S, B}, {I, S, B}),
    "plans:visit_new": door("plan", {I, S, B}, {I, S, B}),
    "plans:overdue": door(None, EVERYONE),
    # -- booking, invitations, reports --------------------------------------------------------
    "conferences:to_book": door(None, EVERYONE),
    "conferences:diary": door(None, EVERYONE),
    "conferences:work_list": door(None, EVERYONE),  # a chair's own; the team's for others
    "conferences:leaflets": door(None, {S}, {S}),  # information leaflets (§8.4)
    "conferences:leaflet_file": door("leaflet", EVERYONE),  # not about a child
    "conferences:book": door("household_booking", BOOKERS, BOOKERS),
    "conferences:book_check": door("household_booking", BOOKERS, BOOKERS),
    "conferences:detail": door("booked", STAFF_NORTH),
    "conferences:rearrange": door("booked", BOOKERS, BOOKERS),
    "conferences:cancel": door("booked", BOOKERS, BOOKERS),
    "conferences:propose": door("booked", CHAIRS, CHAIRS),
    "conferences:invitees": door("booked", STAFF_NORTH),
    "conferences:invitees_add": door("booked", BOOKERS, BOOKERS),
    "conferences:invitees_from_record": door("booked", BOOKERS, BOOKERS),
    "conferences:invitees_send": door("booked", BOOKERS, BOOKERS),
    "conferences:invitees_tell": door("booked", NOBODY, BOOKERS),
    "conferences:invitees_letters": door("booked", BOOKERS),
    "conferences:invitees_letters_pdf": door("booked", NOBODY, BOOKERS),
    "conferences:invitees_letters_again": door("booked", BOOKERS),
    "conferences:reports_request": door("booked", BOOKERS, BOOKERS),
    "conferences:reports_received": door("report", BOOKERS, BOOKERS),
    "conferences:reports_shared": door("report", BOOKERS, BOOKERS),
    # The document portal's staff pages (its public pages are tested in test_portal_pages).
    "conferences:reports_add": door("report", BOOKERS, BOOKERS),
    "conferences:reports_document": door("report_document", STAFF_NORTH),
    "conferences:portal_link_again": door("portal_link", BOOKERS, BOOKERS),
    "conferences:reports_share": door("booked", BOOKERS, BOOKERS),
    "conferences:reports_share_confirm": door("booked", NOBODY, BOOKERS),
    "conferences:reports_post": door("booked", BOOKERS, BOOKERS),
    "conferences:reports_post_pack": door("booked", BOOKERS),
    "conferences:strategy_meeting_book": door("household_arg", BOOKERS, BOOKERS),
    "conferences:strategy_meeting": door("strategy_meeting", STAFF_NORTH),
    "conferences:strategy_meeting_cancel": door("strategy_meeting", BOOKERS, BOOKERS),
    "conferences:enquiry_record": door("child_arg", BOOKERS, BOOKERS),
    "conferences:enquiry_decide": door("enquiry", BOOKERS, BOOKERS),
    "conferences:transfer_in_record": door("child_arg", BOOKERS, BOOKERS),
    # -- holding, paperwork -----------------------------------------------------------------
    "conferences:hold": door("booked", CHAIRS | {B}),  # business support keep the register
    "conferences:hold_register": door("booked", CHAIRS | {B}, CHAIRS | {B}),
    "conferences:hold_child": door("booked_child", CHAIRS, CHAIRS),
    "conferences:hold_signs_of_safety": door("booked", CHAIRS, CHAIRS),
    "conferences:hold_check": door("booked", CHAIRS, CHAIRS),
    "conferences:adjourn": door("booked", CHAIRS, CHAIRS),
    "conferences:decision_sheet": door("held", STAFF_NORTH),
    "conferences:decision_sheet_pdf": door("held", STAFF_NORTH),
    "conferences:decision_sheet_sign_off": door("held", NOBODY, CHAIRS),
    "conferences:decision_sheet_send": door("held", BOOKERS, BOOKERS),
    "conferences:decision_sheet_letters": door("held", BOOKERS),
    "conferences:minutes": door("held", STAFF_NORTH, CHAIRS | {B}),
    "conferences:minutes_pdf": door("held", STAFF_NORTH),
    "conferences:minutes_upload": door("held", NOBODY, CHAIRS | {B}),
    "conferences:minutes_file": door("minutes_upload", STAFF_NORTH),
    "conferences:minutes_sign_off": door("held", NOBODY, CHAIRS),
    "conferences:minutes_send": door("held", BOOKERS, BOOKERS),
    "conferences:minutes_letters": door("held", BOOKERS),
    "conferences:paperwork": door(None, EVERYONE),
    "conferences:strategy_meeting_hold": door("strategy_meeting", CHAIRS, CHAIRS),
    "conferences:strategy_meeting_hold_check": door("strategy_meeting", CHAIRS, CHAIRS),
    "conferences:no_conference_decisions": door(None, EVERYONE),
    "conferences:no_conference_review": door("no_conference", CHAIRS, CHAIRS),
    # -- quality assurance ------------------------------------------------------------------
    "quality:qa_forms_owed": door(None, CHAIRS),
    "quality:qa_form": door("held_conference_pk", CHAIRS, CHAIRS),
    "quality:escalations": door(None, EVERYONE),
    "quality:escalation_new": door("escalation_source", CHAIRS, CHAIRS),
    "quality:escalation": door("escalation", STAFF_NORTH),
    "quality:escalation_respond": door("escalation", NOBODY, CHAIRS | {D}),
    "quality:escalation_move_up": door("escalation", NOBODY, CHAIRS),
    "quality:escalation_readdress": door("escalation", NOBODY, CHAIRS),
    "quality:escalation_resolve": door("escalation", NOBODY, CHAIRS),
    "quality:escalation_withdraw": door("escalation", NOBODY, CHAIRS),
    "quality:feedback_links": door("held", BOOKERS, BOOKERS),
    "quality:feedback_letters": door("held_with_letter", BOOKERS),
    "quality:feedback_new": door("feedback_source", BOOKERS, BOOKERS),
    "quality:views_link": door("booked", BOOKERS | {I}, BOOKERS | {I}),
    "quality:child_view_picture": door("child_view", STAFF_NORTH),
    "quality:cancel_link": door("link", BOOKERS, BOOKERS),
    "quality:resend_link": door("link", BOOKERS, BOOKERS),
    "quality:quarterly_report": door(None, DASHBOARD | {I}),
    "quality:quarterly_report_pdf": door(None, DASHBOARD | {I}),
    # -- figures, reports, census -------------------------------------------------------------
    "reporting:dashboard": door(None, DASHBOARD),
    "reporting:table_csv": door("table", DASHBOARD),
    "reporting:refresh": door(None, NOBODY, {S, D, R, O}),
    "reporting:snapshot": door("snapshot", {S, R, A}),
    "reporting:monthly_lists": door(None, DASHBOARD | {I}),  # an IRO: their chaired children's
    "reporting:monthly_list_csv": door("monthly_list", DASHBOARD | {I}),
    "annual_report:list": door(None, ANNUAL_READERS),
    "annual_report:create": door(None, NOBODY, {S}),
    "annual_report:detail": door("report_year", ANNUAL_READERS),
    "annual_report:preview": door("report_year", ANNUAL_READERS),
    "annual_report:section_edit": door("report_section", {S}, {S}),
    "annual_report:version_request": door("report_year", NOBODY, {S}),
    "annual_report:version": door("report_version", ANNUAL_READERS),
    "annual_report:version_status": door("report_version", ANNUAL_READERS),
    "annual_report:download": door("report_version", ANNUAL_READERS),
    "annual_report:approve": door("report_version", {R}, {R}),
    "annual_report:retry": door("failed_version", NOBODY, {S, R}),
    "census:index": door(None, {S, R, D, O}),
    "census:cin_census": door(None, {S, R}),
    "census:annex_a": door(None, {S, R, D, O}),
    # -- the audit ---------------------------------------------------------------------------
    "audit:events": door(None, {S, A}, {S, A}),
    # -- themed case audits (§7.7.1): the Senior IRO runs them; managers and auditors read;
    # a district manager only those with their district's cases (the audit's are north's)
    "case_audits:list": door(None, {S, D, R, A, O}),
    "case_audits:start": door(None, {S}, {S}),
    "case_audits:start_cases": door(None, {S}, {S}),
    "case_audits:start_check": door(None, {S}, {S}),
    "case_audits:detail": door("case_audit", {S, D, R, A}),
    "case_audits:case": door("case_audit_case", {S, D, R, A}, {S}),
    "case_audits:findings": door("case_audit", {S}, {S}),
    "case_audits:complete": door("case_audit", {S}, {S}),
}
# The API: one entry per endpoint, read (GET) and write (POST) as the same rules say.
API_DOORS: dict[str, Door] = {
    "api:child-search": door(None, EVERYONE, EVERYONE),  # POST: search by identifier
    "api:child-detail": door("child", STAFF_NORTH),
    "api:conference-list": door(None, EVERYONE, BOOKERS),
    "api:conference-detail": door("booked", STAFF_NORTH),
    "api:conference-rearrange": door("booked", NOBODY, BOOKERS),
    "api:conference-cancel": door("booked", NOBODY, BOOKERS),
    "api:conference-invitees": door("booked", STAFF_NORTH, BOOKERS),
    "api:conference-invitations-send": door("booked", NOBODY, BOOKERS),
    "api:conference-reports": door("booked", STAFF_NORTH),
    "api:conference-report-document": door("report_document", STAFF_NORTH),
    "api:conference-reports-share": door("booked", NOBODY, BOOKERS),
    "api:strategy-meeting-list": door(None, EVERYONE, BOOKERS),
    "api:strategy-meeting-detail": door("strategy_meeting", STAFF_NORTH),
    "api:strategy-meeting-cancel": door("strategy_meeting", NOBODY, BOOKERS),
    "api:to-book": door(None, EVERYONE),
    "api:due": door(None, EVERYONE),
    "api:indicators": door(None, DASHBOARD),
    "api:snapshot-list": door(None, DASHBOARD, {S, D, R, O}),
    "api:snapshot-detail": door("snapshot", {S, R, A}),
    "api:conference-attendance": door("booked", STAFF_NORTH, CHAIRS | {B}),
    "api:conference-hold": door("booked", NOBODY, CHAIRS),
    "api:conference-adjourn": door("booked", NOBODY, CHAIRS),
    "api:conference-decision-sheet": door("held", STAFF_NORTH),
    "api:conference-decision-sheet-sign-off": door("held", NOBODY, CHAIRS),
    "api:conference-decision-sheet-send": door("held", NOBODY, BOOKERS),
    "api:conference-minutes": door("held", STAFF_NORTH, CHAIRS | {B}),
    "api:conference-minutes-sign-off": door("held", NOBODY, CHAIRS),
    "api:conference-minutes-send": door("held", NOBODY, BOOKERS),
    "api:paperwork": door(None, EVERYONE),
    "api:strategy-meeting-hold": door("strategy_meeting", NOBODY, CHAIRS),
    "api:no-conference-decision-list": door(None, EVERYONE),
    "api:no-conference-decision-review": door("no_conference", NOBODY, CHAIRS),
    "api:plan-core-groups": door("plan", STAFF_NORTH, {I, S, B}),
    "api:plan-visits": door("plan", STAFF_NORTH, {I, S, B}),
    "api:overdue-contacts": door(None, EVERYONE),
    "api:qa-forms-owed": door(None, CHAIRS),
    "api:conference-qa-form": door("held", CHAIRS, CHAIRS),
    "api:conference-qa-form-complete": door("held", NOBODY, CHAIRS),
    "api:escalation-list": door(None, EVERYONE, CHAIRS),
    "api:escalation-detail": door("escalation", STAFF_NORTH),
    "api:escalation-respond": door("escalation", NOBODY, CHAIRS | {D}),
    "api:escalation-move-up": door("escalation", NOBODY, CHAIRS),
    "api:escalation-addressee": door("escalation", NOBODY, CHAIRS),
    "api:escalation-resolve": door("escalation", NOBODY, CHAIRS),
    "api:escalation-withdraw": door("escalation", NOBODY, CHAIRS),
    "api:api-feedback-links": door("held", NOBODY, BOOKERS),
    "api:api-feedback": door(None, NOBODY, BOOKERS),
    "api:api-child-views-links": door("booked", NOBODY, BOOKERS | {I}),
    "api:api-link-cancel": door("link", NOBODY, BOOKERS),
    "api:api-link-resend": door("link", NOBODY, BOOKERS),
    "api:schema": door(None, EVERYONE),
    "api:docs": door(None, EVERYONE),
}
# Tested elsewhere: the public pages (tests/test_sign_in_everywhere.py, tests/quality,
# tests/conferences/test_portal_pages.py), the
# sign-in page, the development outbox (tests/test_outbox.py) and Django's admin site.
NOT_HERE = re.compile(r"^(login$|health$|respond:|portal:|outbox:|admin:)")


def _names() -> set[str]:
    return {name for _, name in named_routes() if not NOT_HERE.match(name)}


ALL_DOORS = {**DOORS, **API_DOORS}


def test_every_url_has_its_entry():
    names = _names()
    assert sorted(names - ALL_DOORS.keys()) == [], "URLs with no entry in the doors table"
    assert sorted(ALL_DOORS.keys() - names) == [], "entries for URLs that no longer exist"


@dataclass
class Records:
    kwargs: dict


@pytest.fixture
def records(world, private_media, monkeypatch):
    """The north household's records each door points at."""
    storage = FileSystemStorage(location=private_media)
    monkeypatch.setattr(Leaflet._meta.get_field("file"), "storage", storage)
    with time_machine.travel(NOW, tick=False):
        leaflet = leaflets.leaflet_upload(
            audience="parents",
            upload=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet"),
            by=world.users[S],
            now=NOW,
        )
        chair = world.users[I]
        taker = UserFactory(username="taker", role=Role.IRO)
        booked = book(world, chair=chair, starts=dt.datetime(2027, 3, 17, 10, 0, tzinfo=LONDON))
        invitee = InviteeFactory(conference=booked, name="Sam Social", agency="social_care")
        report = ReportRequest.objects.create(conference=booked, author=invitee)
        document = ReportDocument.objects.create(
            report=report, form="template", source="staff", received_at=NOW, what_we_know="x"
        )
        portal_link, _ = portal_links.new_link(
            purpose=PortalLink.Purpose.UPLOAD, invitee=invitee, report=report, now=NOW
        )
        InviteeFactory(  # a parent to post the reports to
            conference=booked,
            name="Pat Parent",
            agency="family",
            role="Mother",
            email="",
            postal_address="3 Mill Lane",
        )
        held = hold(world, chair=chair, taker=taker)
        ConferenceChildFactory(conference=held, child=world.child)
        mother = InviteeFactory(conference=held, name="Mo Parent", agency="family", role="Mother")
        father = InviteeFactory(
            conference=held,
            name="Lee Parent",
            agency="family",
            role="Father",
            email="",
            postal_address="1 Mill Lane",
        )
        link, _ = feedback_link(held, mother)
        letter, _ = feedback_link(held, father)
        letter.sent_at, letter.sent_by = NOW, "letter"
        letter.save()
        # Minutes uploaded as a document, for another conference: this one's are typed in.
        uploaded = hold(world, chair=chair, taker=taker, starts=NOW - dt.timedelta(days=7))
        upload = MinutesUpload(
            conference=uploaded, original_name="minutes.pdf", uploaded_at=NOW, uploaded_by=taker
        )
        upload.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
        view = ChildView(conference=booked, child=world.child, received_on=NOW.date())
        view.picture_type = "image/jpeg"
        view.picture.save("drawing.jpg", ContentFile(jpeg_with_exif()), save=True)
        plan = PlanFactory(child=world.child, start_date=dt.date(2026, 12, 1))
        meeting = book_meeting(
            world,
            starts_at=dt.datetime(2027, 3, 3, 10, 0, tzinfo=LONDON),
            now=NOW,
        )
        decision = no_conference_decision(world, world.sibling)
        case_audit = case_audits.audit_start(
            by=world.users[S],
            theme="chosen",
            on=NOW.date(),
            name="Chosen children",
            child_ids=[str(world.child.pk)],
            local_ids=[world.child.local_id],
        )
        escalation = raised(
            world, today=NOW.date(), addressed_to=world.users[D], addressed_to_name=""
        )
        member = FamilyMemberFactory(household=world.child.household, name="Jo Ashdown")
        snapshot = IndicatorSnapshot.objects.create(
            year=2027, requested_by=world.users[S], requested_at=NOW
        )
        report_year = annual_reports.report_create(year=2026, by=world.users[S])
        version = ReportVersion(
            report=report_year,
            number=1,
            requested_by=world.users[S],
            requested_at=NOW,
            status=ReportVersion.Status.DONE,
            page_count=1,
        )
        version.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
        version.save()
        failed = ReportVersion.objects.create(
            report=report_year,
            number=2,
            requested_by=world.users[S],
            requested_at=NOW,
            status=ReportVersion.Status.FAILED,
            is_approved_version=True,
        )
        AnnualReport.objects.filter(pk=report_year.pk).update(
            status=AnnualReport.Status.APPROVED, approved_by=world.users[R], approved_at=NOW
        )
        section = report_year.sections.first()
        held.minutes_text, held.minutes_drafted_at, held.minutes_drafted_by = (
            "The conference met.",
            NOW,
            taker,
        )
        held.save(update_fields=["minutes_text", "minutes_drafted_at", "minutes_drafted_by"])
        invitee.invited_at, invitee.invited_by = NOW, "letter"
        invitee.postal_address = "2 Mill Lane"
        invitee.save()
    household = world.child.household
    return Records(
        {
            None: {},
            "child": {"pk": world.child.pk},
            "child_arg": {"child_pk": world.child.pk},
            "household": {"pk": household.pk},
            "household_arg": {"household_pk": household.pk},
            "lockout": {"handle": 1},
            "account": {"pk": world.users[I].pk},
            "household_booking": {"household_pk": household.pk, "list_kind": "review"},
            "family_member": {"pk": household.pk, "member_pk": member.pk},
            "plan": {"pk": plan.pk},
            "booked": {"pk": booked.pk},
            "booked_child": {"pk": booked.pk, "child_pk": world.child.pk},
            "report": {"pk": booked.pk, "report_pk": report.pk},
            "report_document": {
                "pk": booked.pk,
                "report_pk": report.pk,
                "document_pk": document.pk,
            },
            "portal_link": {"pk": booked.pk, "link_pk": portal_link.pk},
            "held": {"pk": held.pk},
            "held_with_letter": {"pk": held.pk},
            "held_conference_pk": {"conference_pk": held.pk},
            "minutes_upload": {"pk": uploaded.pk, "upload_pk": upload.pk},
            "strategy_meeting": {"pk": meeting.pk},
            "enquiry": {"pk": decision.pk},
            "no_conference": {"pk": decision.pk},
            "escalation": {"pk": escalation.pk},
            "escalation_source": {"?": f"child={world.child.pk}"},
            "feedback_source": {"?": f"conference={held.pk}"},
            "link": {"pk": link.pk},
            "child_view": {"pk": view.pk},
            "table": {"name": "qa_themes", "?": "year=2027"},
            "monthly_list": {"name": "plans-over-12-months"},
            "leaflet": {"pk": leaflet.pk},
            "snapshot": {"pk": snapshot.pk},
            "report_year": {"year": 2026},
            "report_section": {"year": 2026, "key": section.key},
            "report_version": {"year": 2026, "number": version.number},
            "failed_version": {"year": 2026, "number": failed.number},
            "case_audit": {"pk": case_audit.pk},
            "case_audit_case": {"pk": case_audit.pk, "case_pk": case_audit.cases.get().pk},
        }
    )


def _url(name: str, records: Records) -> str:
    arguments = dict(records.kwargs[ALL_DOORS[name].obj])
    query = arguments.pop("?", "")
    return reverse(name, kwargs=arguments) + (f"?{query}" if query else "")


REFUSED = (403, 404, 405)


def _cases():
    for name in sorted(ALL_DOORS):
        for method in ("get", "post"):
            yield pytest.param(name, method, id=f"{name}-{method}")


@pytest.mark.parametrize(("name", "method"), list(_cases()))
def test_every_door(name, method, records, world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    url = _url(name, records)
    allowed = getattr(ALL_DOORS[name], method)
    wrong = []
    with time_machine.travel(NOW, tick=False):
        anonymous = getattr(Client(), method)(url)
        if url.startswith("/api/"):
            if anonymous.status_code != 403:
                wrong.append(("nobody", anonymous.status_code))
        elif anonymous.status_code != 302 or not anonymous.url.startswith(reverse("login")):
            wrong.append(("nobody", anonymous.status_code))
        for persona in PERSONAS:
            client = client_for(world.users[persona])
            # Each persona meets the records as they were: what one POST changed is undone.
            with transaction.atomic():
                status = getattr(client, method)(url).status_code
                transaction.set_rollback(True)
            if persona in allowed:
                if status in REFUSED or status >= 500:
                    wrong.append((str(persona), status, "should be let in"))
            elif status not in REFUSED:
                wrong.append((str(persona), status, "should be refused"))
    assert not wrong, f"{method.upper()} {url}: {wrong}"
