"""gunicorn settings for production (`gunicorn portal.wsgi`, or `make serve` locally)."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Django is synchronous: a few processes per core, no more (settings can override with WEB_CONCURRENCY).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Restart workers now and then so that slow leaks cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Logs to stdout/stderr, for the platform to collect.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
