"""Timing pages for make bench: the settings a bench needs to render pages outside a test run,
and one page timed as a signed-in person would load it."""

import statistics
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

TARGET_MS = 200
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


@contextmanager
def page_settings():
    """The test client's host, static files found without a collectstatic manifest (pages
    name their static files), and no second sign-in step: the bench signs its people in with
    force_login, and times the pages, not the authenticator app (required with DEBUG off)."""
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        IRO_MFA_REQUIRED=False,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}},
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


def time_page(stdout, label: str, client, url: str, runs: int) -> bool:
    """Fetch `url` once to warm up, then `runs` times; print the median, the 95th percentile
    and the queries of one more fetch. True when the 95th percentile is over the target."""
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(timings, n=20)[-1]
    stdout.write(
        f"{label:<48} median {statistics.median(timings):6.1f} ms   p95 {p95:6.1f} ms   "
        f"{len(queries):3d} queries"
    )
    return p95 > TARGET_MS
