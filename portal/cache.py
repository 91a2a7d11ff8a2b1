"""The shared page cache for deployments with several app servers: Django's Redis backend, never fatal.

Chosen by CACHE_URL (portal/settings.py). A cache is an optimisation, so a Redis server that is down, slow
or full must not turn into error pages: every read that fails is a miss, every write that fails is skipped,
and each failure is logged once a minute per process rather than per request (the page is rendered as if
the cache were empty; the catalogue version, which keeps pages current, lives in the database). After a
failure the server is left alone for PAUSE_AFTER_FAILURE seconds, so that one that hangs costs a request at
most one socket timeout now and then, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")

_last_warning = 0.0
# After a failure, Redis is left alone for this long: a server that hangs would otherwise cost every request
# a socket timeout per cache call, and the workers would queue behind it.
PAUSE_AFTER_FAILURE = 10.0
_down_until = 0.0


def _failed(operation, error):
    global _last_warning, _down_until
    now = time.monotonic()
    _down_until = now + PAUSE_AFTER_FAILURE
    if now - _last_warning >= 60:
        _last_warning = now
        logger.warning("cache server unreachable (%s: %s): pages are rendered without it", operation, error)


def _paused():
    return time.monotonic() < _down_until


def _guarded(operation, fallback, call, *args):
    """`call(*args)`, or `fallback` while Redis is paused or when the call fails (then the pause starts)."""
    if _paused():
        return fallback
    try:
        return call(*args)
    except RedisError as error:
        _failed(operation, error)
        return fallback


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        return _guarded("get", default, super().get, key, default, version)

    def has_key(self, key, version=None):
        return _guarded("has_key", False, super().has_key, key, version)

    def get_many(self, keys, version=None):
        return _guarded("get_many", {}, super().get_many, keys, version)

    def set(self, key, value, timeout=None, version=None):
        _guarded("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return _guarded("set_many", list(data), super().set_many, data, timeout, version)  # the keys not set

    def add(self, key, value, timeout=None, version=None):
        # True without a server: the caller goes ahead (for the render lock: renders at once, waits for
        # nobody), as it would with an empty cache.
        return _guarded("add", True, super().add, key, value, timeout, version)

    def delete(self, key, version=None):
        return _guarded("delete", False, super().delete, key, version)
