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
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:abc/portal"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL"),
        ({"DEBUG": ""}, "DEBUG"),
        ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE"),
        ({"PROXY_CACHE_SECONDS": "-1"}, "PROXY_CACHE_SECONDS"),
        ({"PAGE_CACHE_SECONDS": "-1"}, "PAGE_CACHE_SECONDS"),
        ({"PAGE_CACHE_ENTRIES": "-5"}, "PAGE_CACHE_ENTRIES"),
        ({"RELEASE": 'a"b'}, "RELEASE"),
        ({"RELEASE": "release 1"}, "RELEASE"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_SSL"),
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
        "a DATABASE_URL with a bad port",
        "an in-memory SQLite",
        "DEBUG set but empty",
        "an unknown LOG_LEVEL",
        "an unknown TIME_ZONE",
        "a negative PROXY_CACHE_SECONDS",
        "a negative PAGE_CACHE_SECONDS",
        "a negative PAGE_CACHE_ENTRIES",
        "a quote in RELEASE",
        "a space in RELEASE",
        "both TLS and SSL",
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


def test_a_database_url_error_does_not_print_its_password():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    for url in ("mysql://portal:hemligt@db/portal", "postgres://portal:hemligt@db:port/portal"):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            env=clean | {"DATABASE_URL": url},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "DATABASE_URL" in result.stderr
        assert "hemligt" not in result.stderr, result.stderr


def test_log_level_is_read_in_any_case():
    assert load_settings(LOG_LEVEL="debug").returncode == 0


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


@pytest.mark.parametrize(
    "env", [{"WEB_CONCURRENCY": "0"}, {"GUNICORN_THREADS": "abc"}], ids=["0 workers", "bad threads"]
)
def test_gunicorns_settings_are_checked_too(env):
    """WEB_CONCURRENCY=0 started a master that listened and never answered. (A WEB_CONCURRENCY that is not
    a number at all is refused by gunicorn itself, with its own traceback, before this file is read.)"""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "gunicorn.conf.py",
            "--check-config",
            "portal.wsgi",
        ],
        env=os.environ
        | {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "x", "BIND": "127.0.0.1:0"}
        | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert next(iter(env)) in result.stderr and "Traceback" not in result.stderr
