"""Who viewed, searched for or exported which child, and every sign-in: an append-only record.

Call `audit.record(request, kind, child=..., what=..., detail=...)` from a view that shows or
hands out a child's record, and `audit.record_sign_in_event(...)` for a sign-in outcome that
Django's own signals do not cover (a second factor refused, for example). Neither ever stores
a password, nor the value searched for by identifier.
"""


def record(request, kind, *, child=None, children=None, what: str = "", detail=None):
    from .services import record as _record

    return _record(request, kind, child=child, children=children, what=what, detail=detail)


def record_sign_in_event(request, kind, *, user=None, username: str = "", detail=None):
    from .services import record_sign_in_event as _record_sign_in_event

    return _record_sign_in_event(request, kind, user=user, username=username, detail=detail)
