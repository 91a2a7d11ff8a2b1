"""The shared page cache for deployments with several app servers: Django's Redis backend, never fatal.

Chosen by CACHE_URL (portal/settings.py). A cache is an optimisation, so a Redis server that is down, slow
or full must not turn into error pages: every read that fails is a miss, every write that fails is skipped,
and each failure is logged once a minute per process rather than per request (the page is rendered as if
the cache were empty; the catalogue version, which keeps pages current, lives in the database).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")

_last_warning = 0.0


def _warn(operation, error):
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 60:
        _last_warning = now
        logger.warning("cache server unreachable (%s: %s): pages are rendered without it", operation, error)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _warn("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _warn("get_many", error)
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _warn("set", error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _warn("set_many", error)
            return list(data)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _warn("add", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            _warn("delete", error)
            return False
