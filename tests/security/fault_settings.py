"""The service's settings for the gunicorn the PostgreSQL restart test runs (test_faults.py):
production's (DEBUG off), with static files served from the source folders, unhashed, as the
suite's own live servers do (tests/conftest.py), since nothing was collected."""

from iro_service.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
