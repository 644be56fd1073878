"""Who may see and do what with themed case audits (kept beside the app while people/access.py
is being changed by other work; the same shape as its rules, and meant to move there).

- The Senior IRO, who runs the audits (domain.md), starts them, answers them and completes them.
- Auditors and directorate managers read every audit.
- A district manager reads the audits that include a child of their district, and within them
  only their district's cases (the audit's overall findings are about the theme, not a child,
  and they read those too).
- IROs and business support have no part in audits: refused (403). An IRO may be the chair of
  an audited case, and the audit is of the service's practice, so they are not its readers.
"""

from people.access import district_scope, has_role
from people.models import Role, User

EDIT_ROLES = {Role.SENIOR_IRO}
READ_ROLES = {Role.SENIOR_IRO, Role.AUDITOR, Role.DIRECTORATE_MANAGER, Role.DISTRICT_MANAGER}


def can_edit_case_audits(user: User) -> bool:
    """Start, answer and complete audits."""
    return has_role(user, EDIT_ROLES)


def can_read_case_audits(user: User) -> bool:
    return has_role(user, READ_ROLES)


def case_district_scope(user: User):
    """The one district whose cases the user sees, or None for every case."""
    return district_scope(user)
