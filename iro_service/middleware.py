"""The service's own "Page not found" and "Sorry, there is a problem" pages, DEBUG on or off.

With DEBUG off Django already answers a missing page or a failure with templates/404.html
and 500.html. With DEBUG on (`make run`) it shows its technical pages instead: the URL list,
settings and tracebacks, which are not for the people trying the service. This middleware
gives them the same pages as production, and still logs the traceback of a failure. A
developer who wants Django's technical pages sets DEBUG_TECHNICAL_ERRORS=true.

When the database cannot be reached (PostgreSQL restarting, the network to it down), every
page that needs it answers 503 with templates/503.html, "The service is not available at the
moment", DEBUG on or off: the failure is the database's, not the page's, and it passes. The
next request connects again (CONN_HEALTH_CHECKS), so nothing needs restarting.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.urls import Resolver404, get_resolver, get_urlconf, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

# Exceptions Django answers with a 4xx response, not a failure of the service: a refusal
# (403.html, DEBUG on or off) or a malformed or suspicious request (400).
CLIENT_ERRORS = (BadRequest, PermissionDenied, SuspiciousOperation, MultiPartParserError)
# What Django raises when the database cannot be reached or the connection was lost.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before trying again (Retry-After).
RETRY_AFTER = 30

logger = logging.getLogger(__name__)


def _unavailable_page() -> HttpResponse:
    """503.html, rendered with no context: no request, no user, no database."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _note_database_failure(sender, request=None, **kwargs):
    """Mark a request whose failure was the database's, wherever it was raised: Django turns
    an exception in a middleware or a view into a 500 response at that layer, and
    DatabaseUnavailableMiddleware, outside them all, swaps that response for the 503 page."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        request._iro_database_unavailable = True


got_request_exception.connect(_note_database_failure, dispatch_uid="iro_database_unavailable")


class DatabaseUnavailableMiddleware:
    """The 503 page for any request that failed because the database could not be reached,
    DEBUG on or off. Put it near the top (after SecurityMiddleware and CSPMiddleware, which
    add their headers to it), outside every middleware that reads the session or the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_iro_database_unavailable", False):
            return _unavailable_page()
        return response


def _error_page(request, status: int, exception: Exception | None = None):
    """The project's handler for the status (handler404/handler500 or Django's default)."""
    handler = get_resolver(get_urlconf()).resolve_error_handler(status)
    return handler(request) if status == 500 else handler(request, exception=exception)


class ServiceErrorPagesMiddleware:
    """Put it after CommonMiddleware, so a missing slash is still redirected (APPEND_SLASH
    acts on the 404 this answers), and after authentication and messages, which the page
    layout reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_ERRORS", False)

    def __call__(self, request):
        if self._active():
            # A URL that matches nothing never reaches a view, so process_exception does not
            # see it; Django would answer with its technical 404. Resolve it here first.
            try:
                resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return _error_page(request, 404, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            # The kind of error only: its text may quote a query's parameters.
            logger.error(
                "The database is not available: %s on %s %s",
                type(exception).__name__,
                request.method,
                request.path,
            )
            return _unavailable_page()
        if not self._active():
            return None  # Django's own handlers render the same templates
        if isinstance(exception, Http404):
            return _error_page(request, 404, exception)
        # A refusal or a bad request keeps Django's own handling.
        if isinstance(exception, CLIENT_ERRORS):
            return None
        # As Django does for an uncaught exception: tell listeners (the test client, error
        # trackers), log the traceback, then answer with the service's page.
        got_request_exception.send(sender=None, request=request)
        response = _error_page(request, 500)
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and `Pragma: no-cache` for old proxies) on every response to
    a signed-in user, on the API and on the one-time link pages (/respond/), so a child's
    record is never kept by the browser's cache, a shared proxy or the back button after
    signing out. Put it after AuthenticationMiddleware, which sets request.user. Static files
    never reach it: WhiteNoise answers them first, with their own long cache headers.
    """

    PREFIXES = ("/api/", "/respond/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path_info.startswith(self.PREFIXES):
            if "no-store" not in response.get("Cache-Control", ""):  # else the view's own
                add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response


class QueryCountHeaderMiddleware:
    """For `make bench`'s load test only (IRO_BENCH_QUERY_HEADER=true): each response says in
    `X-Query-Count` how many SQL queries its request ran, so a client measuring the pages of a
    real server can print queries per page. Never on in a deployment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
