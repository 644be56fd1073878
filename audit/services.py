"""Writing audit events. Only these two functions add rows; nothing changes or removes one."""

from collections.abc import Iterable

from .models import AccessEvent

Kind = AccessEvent.Kind
SIGN_IN_KINDS = {
    Kind.SIGNED_IN,
    Kind.SIGN_IN_FAILED,
    Kind.LOCKED_OUT,
    Kind.MFA_FAILED,
    Kind.SIGNED_OUT,
}
WHAT_LENGTH = AccessEvent._meta.get_field("what").max_length
USERNAME_LENGTH = AccessEvent._meta.get_field("username").max_length
REQUEST_ID_LENGTH = AccessEvent._meta.get_field("request_id").max_length
# Headers a proxy or load balancer may set to tie a request to its own logs.
REQUEST_ID_HEADERS = ("HTTP_X_REQUEST_ID", "HTTP_X_CORRELATION_ID")


def _where(request) -> dict:
    """Who asked, from where, and which request: as far as the request says."""
    if request is None:
        return {"address": None, "request_id": "", "user": None, "what": ""}
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    request_id = getattr(request, "request_id", "") or next(
        (request.META[name] for name in REQUEST_ID_HEADERS if request.META.get(name)), ""
    )
    return {
        # REMOTE_ADDR as the server saw it: behind a proxy, the proxy's address unless the
        # deployment rewrites it (the proxy header setting).
        "address": request.META.get("REMOTE_ADDR") or None,
        "request_id": str(request_id)[:REQUEST_ID_LENGTH],
        "user": user if user is not None and user.is_authenticated else None,
        "what": match.view_name if match is not None else "",
    }


def record(
    request,
    kind: str,
    *,
    child=None,
    children: Iterable | None = None,
    what: str = "",
    detail: dict | None = None,
) -> list[AccessEvent]:
    """Record that the request's user viewed, searched for or exported children's records.

    - child: the one child shown (a Child or its id);
    - children: several children at once (Children or ids), one event each, in one INSERT:
      a household page, a conference's paperwork, a list of children exported;
    - what: the page or export ("annex_a_list_7.xlsx"); the URL's name if not given;
    - detail: small facts that help an auditor (a count, a search's kinds of filter, an
      export's year) and never an identifier searched for or a password.
    """
    where = _where(request)
    base = {
        "kind": kind,
        "user": where["user"],
        "what": (what or where["what"])[:WHAT_LENGTH],
        "detail": detail or {},
        "address": where["address"],
        "request_id": where["request_id"],
    }
    if children is None:
        targets = [child]
    else:
        targets = list(children) or [None]
    events = [AccessEvent(**base, **_child(target)) for target in targets]
    if len(events) == 1:
        events[0].save()
        return events
    return AccessEvent.objects.bulk_create(events, batch_size=1000)


def _child(target) -> dict:
    if target is None:
        return {"child": None}
    if isinstance(target, int):
        return {"child_id": target}
    return {"child": target}


def record_sign_in_event(
    request, kind: str, *, user=None, username: str = "", detail: dict | None = None
) -> AccessEvent:
    """Record a sign-in outcome: signed in, failed, locked out, second factor refused, signed
    out. `username` is what was typed (for a failure, when there may be no such account);
    never pass a password, a one-time code or a recovery code."""
    if kind not in SIGN_IN_KINDS:
        raise ValueError(f"{kind!r} is not a sign-in event")
    where = _where(request)
    if user is None or not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    event = AccessEvent(
        kind=kind,
        user=user,
        username=(username or "")[:USERNAME_LENGTH],
        what=where["what"][:WHAT_LENGTH],
        detail=detail or {},
        address=where["address"],
        request_id=where["request_id"],
    )
    event.save()
    return event


def search_detail(*, text: str = "", born_on=None, results: int) -> dict:
    """What an audit keeps of a search: the kinds of term (name, child ID, UPN, NHS number),
    whether a date of birth was given, and how many children were found; never the terms."""
    kinds = sorted({_term_kind(word) for word in text.split()})
    return {"by": kinds, "born_on": born_on is not None, "results": results}


def _term_kind(word: str) -> str:
    from stdnum.gb import nhs, upn

    if nhs.is_valid(word) or (word.isdigit() and len(word) == 10):
        return "nhs_number"
    if upn.is_valid(word) or (len(word) == 13 and word[0].isalpha() and word[1:12].isdigit()):
        return "upn"
    if any(character.isdigit() for character in word):
        return "child_id"
    return "name"
