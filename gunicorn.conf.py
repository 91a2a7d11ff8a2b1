"""gunicorn settings for production (`gunicorn portal.wsgi`, or `make serve` locally)."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Django is synchronous and CPU-bound here (a page is ~1-2 ms of Python; the database answers in well under
# a millisecond): a few processes per core, no threads. Measured with `make bench` on 2 cores (README,
# "Performance"); override with WEB_CONCURRENCY and GUNICORN_THREADS.


def _count(name, default):
    """A whole number of 1 or more from the environment, or one line on stderr and exit status 1."""
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of 1 or more, not {value!r}.")
    return int(value)


workers = _count("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _count("GUNICORN_THREADS", 1)
timeout = 30
graceful_timeout = 20
keepalive = 5
# Load the app once in the master and fork: workers start in milliseconds and share memory. (Django opens
# no database connection at import, so none is shared across the fork.)
preload_app = True
# Restart workers now and then so that slow leaks cannot grow without bound. Not too often: every restart
# empties that worker's page cache. At 2000 the benchmark saw a restart every few seconds per worker.
max_requests = 20000
max_requests_jitter = 2000
# Logs to stderr, for the platform to collect. The app writes one JSON line per request itself
# (portal.middleware.request_log), so gunicorn's own access log is off.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's runtime control socket (gunicornc) is not used here: it would be one more way in, written to
# $HOME, which a sandboxed service cannot write, and shared by every gunicorn that one user runs.
control_socket_disable = True
