"""Settings come from the environment and fail loudly when production values are missing or wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings"} | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_missing_secret_key_with_debug_off_fails_clearly():
    result = load_settings(DEBUG="0", ALLOWED_HOSTS="portal.example.se")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "0", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"PAGE_CACHE_SECONDS": "an hour"}, "PAGE_CACHE_SECONDS"),
        ({"CACHE_URL": "memcached://127.0.0.1"}, "CACHE_URL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"DATABASE_URL": "mysql://root@127.0.0.1/portal"}, "DATABASE_URL"),
        ({"DATABASE_URL": "posgres://postgres@127.0.0.1/portal"}, "DATABASE_URL"),
    ],
    ids=[
        "no SECRET_KEY",
        "no ALLOWED_HOSTS",
        "a bad boolean",
        "a bad number",
        "a bad CACHE_URL",
        "LOG_FORMAT",
        "another database",
        "a mistyped DATABASE_URL",
    ],
)
def test_a_configuration_error_is_one_line_on_stderr_not_a_traceback(env, named):
    # What an operator sees on `manage.py check` (or gunicorn's start) with a missing or mistyped setting.
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=clean | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert named in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr


def test_missing_allowed_hosts_with_debug_off_fails_clearly():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_is_refused(value):
    result = load_settings(DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_settings_load_with_secret_and_hosts():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.se")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_defaults_run_a_fresh_clone_in_swedish():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"
