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
