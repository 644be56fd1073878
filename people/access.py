"""Who may see and do what. Every view asks these functions; none checks roles itself.

Reading: every role reads case records; a district manager reads only their own district's.
Writing: business support, IROs and the Senior IRO edit children's records; IROs and the
Senior IRO record plans; managers and auditors only read.
"""

from django.urls import reverse

from .models import Role, User

EDIT_CHILD_ROLES = {Role.IRO, Role.SENIOR_IRO, Role.BUSINESS_SUPPORT}
MANAGE_PLAN_ROLES = {Role.IRO, Role.SENIOR_IRO}
ADMIN_ROLES = {Role.SENIOR_IRO}
# The annual report: the Senior IRO writes it, a directorate manager approves it, and managers
# and auditors read and download it. IROs and business support have no part in it.
EDIT_ANNUAL_REPORT_ROLES = {Role.SENIOR_IRO}
APPROVE_ANNUAL_REPORT_ROLES = {Role.DIRECTORATE_MANAGER}
READ_ANNUAL_REPORT_ROLES = {
    Role.SENIOR_IRO,
    Role.DIRECTORATE_MANAGER,
    Role.DISTRICT_MANAGER,
    Role.AUDITOR,
}


def has_role(user, roles) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) in roles)


def can_edit_children(user: User) -> bool:
    return has_role(user, EDIT_CHILD_ROLES)


def can_manage_plans(user: User) -> bool:
    return has_role(user, MANAGE_PLAN_ROLES)


def can_use_admin(user: User) -> bool:
    """The Django admin holds reference data only (districts, venues, benchmarks...)."""
    return bool(user.is_active and (user.is_superuser or has_role(user, ADMIN_ROLES)))


def can_edit_annual_report(user: User) -> bool:
    """Write the narrative and ask for a PDF: the Senior IRO, who leads the service."""
    return has_role(user, EDIT_ANNUAL_REPORT_ROLES)


def can_approve_annual_report(user: User) -> bool:
    """Approve a version: a directorate manager, never the report's own author."""
    return has_role(user, APPROVE_ANNUAL_REPORT_ROLES)


def can_download_annual_report(user: User) -> bool:
    """Read the preview and download the PDFs: the report covers the whole authority and is
    published, so district managers see all of it too."""
    return has_role(user, READ_ANNUAL_REPORT_ROLES)


# The dashboard of measures: the Senior IRO and managers, and auditors who only look. IROs and
# business support work on cases, not on the service's figures.
DASHBOARD_ROLES = {Role.SENIOR_IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER, Role.AUDITOR}
REFRESH_DASHBOARD_ROLES = {Role.SENIOR_IRO, Role.DISTRICT_MANAGER, Role.DIRECTORATE_MANAGER}


def can_view_dashboard(user: User) -> bool:
    return has_role(user, DASHBOARD_ROLES)


def can_refresh_dashboard(user: User) -> bool:
    """Ask for the figures to be computed again and stored: not auditors, who only read."""
    return has_role(user, REFRESH_DASHBOARD_ROLES)


# The monthly lists (§6.3.4): the dashboard's readers, and IROs, who are emailed a link to the
# lists of the children whose latest conference they chaired (reporting.selectors).
MONTHLY_LISTS_ROLES = DASHBOARD_ROLES | {Role.IRO}
# Who is emailed each month about their lists.
MONTHLY_LISTS_EMAIL_ROLES = {Role.DISTRICT_MANAGER, Role.IRO, Role.SENIOR_IRO}


def can_view_monthly_lists(user: User) -> bool:
    return has_role(user, MONTHLY_LISTS_ROLES)


def gets_monthly_lists_email(user: User) -> bool:
    return has_role(user, MONTHLY_LISTS_EMAIL_ROLES)


# Information leaflets for parents and children (§8.4): the Senior IRO uploads them.
LEAFLET_ROLES = {Role.SENIOR_IRO}


def can_manage_leaflets(user: User) -> bool:
    return has_role(user, LEAFLET_ROLES)


# The CIN census is the authority's one statutory return to the DfE: the Senior IRO and the
# directorate manager download it. Annex A lists (Ofsted) go to the same two for the whole
# authority, and to a district manager for their own district only.
CENSUS_EXPORT_ROLES = {Role.SENIOR_IRO, Role.DIRECTORATE_MANAGER}
ANNEX_A_ROLES = {Role.SENIOR_IRO, Role.DIRECTORATE_MANAGER, Role.DISTRICT_MANAGER}


def can_export_census(user: User) -> bool:
    return has_role(user, CENSUS_EXPORT_ROLES)


def can_download_annex_a(user: User) -> bool:
    """Annex A lists: a district manager's are limited by district_scope to their district."""
    return has_role(user, ANNEX_A_ROLES)


# Conferences and strategy meetings: business support books them (§9.6) and the Senior IRO may
# too; IROs see their diary and may propose a date; district managers see their district's
# bookings; auditors and directorate managers read.
BOOK_CONFERENCE_ROLES = {Role.BUSINESS_SUPPORT, Role.SENIOR_IRO}
READ_CONFERENCE_ROLES = {
    Role.BUSINESS_SUPPORT,
    Role.SENIOR_IRO,
    Role.IRO,
    Role.DISTRICT_MANAGER,
    Role.DIRECTORATE_MANAGER,
    Role.AUDITOR,
}
CHAIR_ROLES = {Role.IRO, Role.SENIOR_IRO}


def can_book_conferences(user: User) -> bool:
    """Book, rearrange and cancel conferences and strategy meetings; send invitations."""
    return has_role(user, BOOK_CONFERENCE_ROLES)


def can_read_conferences(user: User) -> bool:
    return has_role(user, READ_CONFERENCE_ROLES)


def can_propose_conference_date(user: User) -> bool:
    """An IRO may propose a date for a conference they chair; business support books it."""
    return has_role(user, CHAIR_ROLES)


# Holding a conference and what follows (conferences part 2): the chair records their own
# conferences and the Senior IRO any; business support keeps the attendance register, sends
# the paperwork, uploads minutes and records core groups and visits; nobody else writes.
RECORD_CONTACT_ROLES = {Role.BUSINESS_SUPPORT, Role.IRO, Role.SENIOR_IRO}
SEND_PAPERWORK_ROLES = {Role.BUSINESS_SUPPORT, Role.SENIOR_IRO}


def _is_chair_of(user: User, meeting) -> bool:
    return bool(
        user.is_authenticated and meeting.chair_id == user.pk and has_role(user, CHAIR_ROLES)
    )


def can_hold_conference(user: User, conference) -> bool:
    """Record a conference as held, each child's decision, or its adjournment."""
    return has_role(user, {Role.SENIOR_IRO}) or _is_chair_of(user, conference)


def can_record_attendance(user: User, conference) -> bool:
    """Keep the attendance register: the chair, the Senior IRO, or business support."""
    return can_hold_conference(user, conference) or has_role(user, {Role.BUSINESS_SUPPORT})


def can_sign_off_paperwork(user: User, conference) -> bool:
    """Sign off the decision sheet and the minutes: the chair, or the Senior IRO."""
    return can_hold_conference(user, conference)


def can_send_paperwork(user: User) -> bool:
    """Distribute the decision sheet and the minutes: business support (and the Senior IRO)."""
    return has_role(user, SEND_PAPERWORK_ROLES)


def can_draft_minutes(user: User, conference) -> bool:
    """Write or upload the draft minutes: the minute taker, business support, the chair or the
    Senior IRO."""
    return (
        (user.is_authenticated and conference.minute_taker_id == user.pk)
        or has_role(user, {Role.BUSINESS_SUPPORT})
        or can_hold_conference(user, conference)
    )


def can_record_contacts(user: User) -> bool:
    """Record core group meetings and child protection visits on a plan."""
    return has_role(user, RECORD_CONTACT_ROLES)


def can_hold_strategy_meeting(user: User, meeting) -> bool:
    """Record a strategy meeting as held: its chair, or the Senior IRO."""
    return has_role(user, {Role.SENIOR_IRO}) or _is_chair_of(user, meeting)


def can_review_no_conference(user: User) -> bool:
    """Quality-assure a decision not to convene after significant harm was found (§4.1)."""
    return has_role(user, CHAIR_ROLES)


# Quality assurance (issue 11): chairs fill their own QA forms and raise escalations, the
# Senior IRO all; the person an escalation is addressed to answers it; business support types
# in paper feedback and sends the links; every conference reader reads.
QUALITY_REPORT_ROLES = DASHBOARD_ROLES | {Role.IRO}


def can_fill_qa_form(user: User, conference) -> bool:
    """Fill (and save drafts of) a held conference's QA form: its chair, or the Senior IRO."""
    return can_hold_conference(user, conference)


def can_raise_escalation(user: User) -> bool:
    return has_role(user, CHAIR_ROLES)


def can_manage_escalation(user: User, escalation) -> bool:
    """Move up or skip a level, resolve or withdraw: who raised it, or the Senior IRO."""
    return has_role(user, {Role.SENIOR_IRO}) or (
        has_role(user, CHAIR_ROLES) and escalation.raised_by_id == user.pk
    )


def can_respond_to_escalation(user: User, escalation) -> bool:
    """Record a response: the person it is addressed to, or whoever may manage it."""
    return bool(
        user.is_authenticated and escalation.addressed_to_id == user.pk
    ) or can_manage_escalation(user, escalation)


def can_send_links_and_enter_feedback(user: User) -> bool:
    """Send feedback and views links, and type in paper questionnaires."""
    return has_role(user, SEND_PAPERWORK_ROLES)


def can_view_quality_report(user: User) -> bool:
    """The quarterly QA report for the cluster meetings (§8.1)."""
    return has_role(user, QUALITY_REPORT_ROLES)


# Audit (issue 12): the record of who viewed, searched for or exported which child, and of
# sign-ins, is read by the Senior IRO, who leads the service, and the auditor; nobody writes it.
AUDIT_ROLES = {Role.SENIOR_IRO, Role.AUDITOR}


def can_read_audit(user: User) -> bool:
    return has_role(user, AUDIT_ROLES)


# Staff accounts (issue 12): the Senior IRO, who leads the service and already keeps its
# reference data, creates accounts, changes roles, deactivates, and resets passwords and MFA.
MANAGE_ACCOUNT_ROLES = {Role.SENIOR_IRO}


def can_manage_accounts(user: User) -> bool:
    return has_role(user, MANAGE_ACCOUNT_ROLES)


# Sign-in (issue 12): the Senior IRO sees who is locked out of signing in, and lifts it.
LOCKOUT_ROLES = {Role.SENIOR_IRO}


def can_manage_lockouts(user: User) -> bool:
    return has_role(user, LOCKOUT_ROLES)


def district_scope(user: User):
    """The one district a user is limited to, or None when they see the whole authority."""
    if user.role == Role.DISTRICT_MANAGER:
        return user.district_id
    return None


def navigation_for(user: User, path: str) -> list[dict]:
    items = []
    if can_book_conferences(user):
        items.append({"label": "To book", "url": reverse("conferences:to_book")})
    if has_role(user, CHAIR_ROLES):
        items.append(
            {
                "label": "My work" if user.role == Role.IRO else "Team's work",
                "url": reverse("conferences:work_list"),
            }
        )
    if can_read_conferences(user):
        items.append({"label": "Diaries", "url": reverse("conferences:diary")})
    if can_send_paperwork(user) and not has_role(user, CHAIR_ROLES):
        items.append({"label": "Paperwork", "url": reverse("conferences:paperwork")})
    if has_role(user, {Role.DISTRICT_MANAGER}):
        # Their district's overdue core groups and visits (workflows.md, "at a glance").
        items.append({"label": "Overdue visits", "url": reverse("plans:overdue")})
    items.append({"label": "Find a child", "url": reverse("children:search")})
    if can_edit_children(user):
        items.append({"label": "Add a child", "url": reverse("children:create")})
    if can_download_annual_report(user):
        items.append({"label": "Annual report", "url": reverse("annual_report:list")})
    if can_view_dashboard(user):
        items.append({"label": "Dashboard", "url": reverse("reporting:dashboard")})
    elif can_view_monthly_lists(user):  # an IRO: the lists, without the dashboard
        items.append({"label": "Monthly lists", "url": reverse("reporting:monthly_lists")})
    if has_role(user, CHAIR_ROLES):
        items.append({"label": "QA forms", "url": reverse("quality:qa_forms_owed")})
    if has_role(user, CHAIR_ROLES | {Role.DISTRICT_MANAGER}):
        items.append({"label": "Escalations", "url": reverse("quality:escalations")})
    if can_view_quality_report(user):
        items.append({"label": "Quality report", "url": reverse("quality:quarterly_report")})
    if can_download_annex_a(user):
        items.append({"label": "Census and Annex A", "url": reverse("census:index")})
    if can_read_audit(user):
        items.append({"label": "Audit", "url": reverse("audit:events")})
    from case_audits.access import can_read_case_audits  # it builds on this module

    if can_read_case_audits(user):
        items.append({"label": "Case audits", "url": reverse("case_audits:list")})
    if can_manage_accounts(user):
        items.append({"label": "Accounts", "url": reverse("accounts:list")})
    if can_manage_lockouts(user):
        items.append({"label": "Sign-in lockouts", "url": reverse("lockout_list")})
    if can_manage_leaflets(user):
        items.append({"label": "Leaflets", "url": reverse("conferences:leaflets")})
    if can_use_admin(user):
        items.append({"label": "Reference data", "url": reverse("admin:index")})
    for item in items:
        item["active"] = path == item["url"] or (
            item["url"] != "/" and path.startswith(item["url"]) and item["label"] != "Add a child"
        )
    # One item is the current one: where two match (/accounts/ and /accounts/lockouts/), the
    # longer address.
    active = [item for item in items if item["active"]]
    for item in sorted(active, key=lambda item: len(item["url"]))[:-1]:
        item["active"] = False
    return items
