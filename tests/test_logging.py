"""Structured logs: one JSON line per request, and errors with their traceback, on stderr."""

import json
import logging
import sys

import pytest

from portal.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_every_request_is_one_json_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="portal.request"):
        client.get("/regioner/?sida=1")
    record = next(r for r in caplog.records if r.name == "portal.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO" and line["logger"] == "portal.request"
    assert line["method"] == "GET" and line["path"] == "/regioner/?sida=1" and line["status"] == 200
    assert isinstance(line["ms"], float) and line["bytes"] > 0


def test_an_error_carries_its_traceback():
    try:
        raise ValueError("trasigt")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server error", (), None)
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and "ValueError: trasigt" in line["exception"]


def test_a_database_outage_is_one_warning_line_not_a_traceback():
    from django.db import OperationalError

    from portal.logging import DatabaseUnavailable

    def record_for(error, status):
        try:
            raise error
        except Exception:
            record = logging.LogRecord(
                "django.request", logging.ERROR, __file__, 1, "Service Unavailable", (), None
            )
            record.exc_info, record.status_code = sys.exc_info(), status
        DatabaseUnavailable().filter(record)
        return json.loads(JsonFormatter().format(record))

    line = record_for(
        OperationalError("connection failed: FATAL:  the database system is starting up\nmore"), 503
    )
    assert line["level"] == "WARNING" and "exception" not in line
    assert line["database_error"] == "connection failed: FATAL:  the database system is starting up"
    # Any other failure keeps its level and its traceback.
    line = record_for(ValueError("trasigt"), 500)
    assert line["level"] == "ERROR" and "ValueError: trasigt" in line["exception"]


def test_under_runserver_a_request_is_logged_once(tmp_path):
    """`make run`: one line per request and per error, not Django's own console handler and the dev server's
    access line on top of the portal's (LOG_FORMAT=json makes each of the portal's records one line)."""
    import os
    import socket
    import subprocess
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "HTTPS_ONLY"}}
    env |= {"DEBUG": "1", "LOG_FORMAT": "json", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "runserver did not start"
                time.sleep(0.2)
        # A django.* record (django.security.DisallowedHost, with its traceback).
        bad_host = urllib.request.Request(f"http://127.0.0.1:{port}/om/", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(bad_host, timeout=5)
        time.sleep(0.5)
    finally:
        server.terminate()
        stderr = server.communicate(timeout=10)[1]
    lines = stderr.splitlines()
    assert len([line for line in lines if "/healthz" in line]) == 1, stderr
    assert len([line for line in lines if "Invalid HTTP_HOST header: 'evil.example'" in line]) == 1, stderr
