"""The service's own "Page not found" and "Sorry, there is a problem" pages, DEBUG on or off.

With DEBUG off Django already answers a missing page or a failure with templates/404.html
and 500.html. With DEBUG on (`make run`) it shows its technical pages instead: the URL list,
settings and tracebacks, which are not for the people trying the service. This middleware
gives them the same pages as production, and still logs the traceback of a failure. A
developer who wants Django's technical pages sets DEBUG_TECHNICAL_ERRORS=true.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, get_resolver, get_urlconf, resolve
from django.utils.log import log_response

# Exceptions Django answers with a 4xx response, not a failure of the service: a refusal
# (403.html, DEBUG on or off) or a malformed or suspicious request (400).
CLIENT_ERRORS = (BadRequest, PermissionDenied, SuspiciousOperation, MultiPartParserError)


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
