"""`/health/`: whether this web process reaches what it needs, for a load balancer, a
container's healthcheck or a monitoring probe.

200 "ok" when the database answers a query and the Celery broker (Redis) accepts a
connection; 503 naming what was not reached otherwise. Needs no sign-in and says nothing
else: no versions, no host names, no error text (those go to the log). Where tasks run
inline (`make run`, no broker) the broker is not checked. Exempt from the HTTPS redirect
(settings.SECURE_REDIRECT_EXEMPT), so a probe on the server itself can use plain HTTP.
"""

import logging

from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database_reached() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("Health check: the database was not reached (%s)", type(error).__name__)
        return False


def _broker_reached() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True  # tasks run inline: there is no broker to reach
    try:
        # Tries once, and waits at most CELERY_BROKER_CONNECTION_TIMEOUT seconds to connect
        # and as long again for an answer: a Redis that accepts but never answers (paused,
        # overloaded) is not reached either, and the probe is not left hanging.
        timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
        options = {"max_retries": 0, "socket_timeout": timeout}
        # A connection of its own (not the app's pool), to the broker the settings name.
        url = settings.CELERY_BROKER_URL
        with current_app.connection_for_write(url, transport_options=options) as broker:
            broker.ensure_connection(max_retries=1)
            broker.default_channel.client.ping()  # a command, answered or timed out
        return True
    except Exception as error:  # kombu raises the transport's own errors
        logger.warning("Health check: the broker was not reached (%s)", type(error).__name__)
        return False


@login_not_required
@never_cache
@require_safe
def health(request):
    missing = [
        name
        for name, reached in (("database", _database_reached()), ("broker", _broker_reached()))
        if not reached
    ]
    if missing:
        body = "not reached: " + ", ".join(missing) + "\n"
        return HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
