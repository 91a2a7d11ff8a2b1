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
