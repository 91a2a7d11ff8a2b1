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


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        if _paused():
            return default
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _failed("get", error)
            return default

    def has_key(self, key, version=None):
        if _paused():
            return False
        try:
            return super().has_key(key, version)
        except RedisError as error:
            _failed("has_key", error)
            return False

    def get_many(self, keys, version=None):
        if _paused():
            return {}
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _failed("get_many", error)
            return {}

    def set(self, key, value, timeout=None, version=None):
        if _paused():
            return
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _failed("set", error)

    def set_many(self, data, timeout=None, version=None):
        if _paused():
            return list(data)
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _failed("set_many", error)
            return list(data)

    def add(self, key, value, timeout=None, version=None):
        # True without a server: the caller goes ahead (for the render lock: renders at once, waits for
        # nobody), as it would with an empty cache.
        if _paused():
            return True
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _failed("add", error)
            return True

    def delete(self, key, version=None):
        if _paused():
            return False
        try:
            return super().delete(key, version)
        except RedisError as error:
            _failed("delete", error)
            return False
