"""Production readiness: deploy checks, security headers on every page type, health checks."""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection, connections
from django.test import Client

from portal.health import database_ready

from .database_gone import DatabaseGone
from .factories import make_region

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-test-0123456789abcdef",
    "ALLOWED_HOSTS": "portal.example.se",
    "BEHIND_TLS_PROXY": "1",
}
# What a production process would not have: development settings, and the async-safety switch that the
# browser tests set for their own process (check --deploy rightly refuses it).
NOT_IN_PRODUCTION = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(**extra):
    return {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION} | PRODUCTION | extra


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PAGES = [
    "/",
    "/regioner/",
    "/insatsomraden/?tema=x",
    "/teman/",
    "/jamfor/",
    "/sok/?q=hållbar",
    "/om/",
    "/finns-inte/",
    "/api/v1/regions/",
    "/insatsomraden/ladda-ner.csv",
    "/insatsomraden/flode/",
    "/admin/login/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_page_type(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_settings_turn_on_https_hsts_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(DJANGO_SETTINGS_MODULE="portal.settings"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


@pytest.mark.django_db
def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ready"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_fails_when_the_database_cannot_be_reached():
    broken = copy.deepcopy(connections.settings["default"])
    if broken["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = "/finns-inte/katalog/portal.sqlite3"
    else:
        broken["PORT"] = "1"  # nothing listens there
    connections.settings["unreachable"] = broken
    try:
        assert database_ready("unreachable") is False
        assert database_ready("default") is True
    finally:
        del connections.settings["unreachable"]


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize(
    "path", ["/", "/regioner/provregion/", "/insatsomraden/?tema=x", "/sok/?q=energi", "/en/teman/"]
)
def test_a_page_is_a_clean_503_while_the_database_is_away(path, error, settings):
    settings.DEBUG = False
    make_region(slug="provregion")
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(DatabaseGone(error)):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Tjänsten är tillfälligt otillgänglig" in body or "The service is temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body and "closed the connection" not in body
    # Once the database answers again, so does the page.
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_the_api_is_a_json_503_while_the_database_is_away(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(DatabaseGone(OperationalError)):
        response = client.get("/api/v1/focus-areas/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json() == {"detail": "The service is briefly unavailable. Please try again in a moment."}


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(settings, monkeypatch):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    monkeypatch.setattr("portal.views.Source.objects", None)  # /om/ breaks with an AttributeError
    response = client.get("/om/")
    assert response.status_code == 500 and "Ett fel uppstod" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "timeout"),
    [
        ("postgres://u@db.example:5432/portal", 5),
        ("postgres://u@db.example:5432/portal?connect_timeout=2", 2),
    ],
)
def test_postgresql_connections_time_out(url, timeout):
    # A database host that does not answer at all must fail a request within seconds, not hang a worker;
    # DATABASE_URL may say otherwise. Read from the settings alone: nothing connects.
    code = (
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['connect_timeout'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="portal.settings"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == str(timeout)
