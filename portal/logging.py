"""Structured logs: one JSON object per line on stderr, for the platform's log collector.

LOG_FORMAT=plain gives readable lines instead (the default while DEBUG is on).
"""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record was passed in `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            # django.request and django.security log the request: its method and path, never its body.
            entry["method"] = request.method
            entry["path"] = request.get_full_path()
        if hasattr(record, "status_code"):
            entry["status"] = record.status_code
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in {"request", "status_code"} and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class DatabaseUnavailable(logging.Filter):
    """A request answered 503 because the database is away (portal/views.py: server_error) is logged as a
    one-line warning with the database's message, not as an error with a traceback: a restart under load
    would otherwise write the same traceback a thousand times a second and bury everything else."""

    def filter(self, record):
        from portal.health import DATABASE_AWAY  # imported late: logging is configured before apps load

        exc = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 503 and isinstance(exc, DATABASE_AWAY):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.database_error = (
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
            record.exc_info = record.exc_text = None
        return True
