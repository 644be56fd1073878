"""`manage.py check --deploy` with the environment a real deployment sets (.env.example): no
warning at all. Run in a fresh process, since the settings read the environment once."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings a test run (DJANGO_ALLOW_ASYNC_UNSAFE, from tests/conftest.py) or a developer's shell
# may have set, that must not leak into the check.
CLEARED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "SESSION_", "CSRF_", "DJANGO_")


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    production = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),  # made up for this run, never stored
        "ALLOWED_HOSTS": "iro.example.gov.uk",
        "CSRF_TRUSTED_ORIGINS": "https://iro.example.gov.uk",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO=https",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **production, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_is_clean_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_check_finds_what_a_deployment_left_out():
    """The same check fails when the HTTPS redirect is left off: the clean run above means
    something."""
    result = check_deploy(SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_a_malformed_proxy_header_setting_stops_the_service_starting():
    result = check_deploy(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be HEADER=value" in result.stderr
