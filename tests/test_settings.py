"""The settings refuse to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import iro_service.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    result = _import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_debug_off_and_a_secret_key():
    assert _import_settings(DEBUG="false", SECRET_KEY="x" * 50).returncode == 0


def test_refuses_a_malformed_boolean():
    result = _import_settings(DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_timescales_can_be_overridden_by_environment():
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import iro_service.settings as s; print(s.IRO_TIMESCALES['LATER_REVIEW_MONTHS'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", "IRO_LATER_REVIEW_MONTHS": "5"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "5"
