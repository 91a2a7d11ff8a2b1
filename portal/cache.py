"""The page cache's two backends (portal/settings.py: CACHES), both never fatal.

MachineCache, the default: each process's memory in front of files every process on the machine shares, so
that after an edit a page is rendered once per machine rather than once per worker, with nothing to install.

ResilientRedisCache, for deployments with several app servers: Django's Redis backend, chosen by CACHE_URL. A
cache is an optimisation, so a Redis server that is down, slow or full must not turn into error pages: every
read that fails is a miss, every write that fails is skipped, and each failure is logged once a minute per
process rather than per request (the page is rendered as if the cache were empty; the catalogue version, which
keeps pages current, lives in the database). After a failure the server is left alone for PAUSE_AFTER_FAILURE
seconds, so that one that hangs costs a request at most one socket timeout now and then, not one per cache
call.
"""

import logging
import os
import tempfile
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")

# When each kind of failure ("redis", "files") was last logged: once a minute per process, not per request.
_last_warning = {}
# After a failure, Redis is left alone for this long: a server that hangs would otherwise cost every request
# a socket timeout per cache call, and the workers would queue behind it.
PAUSE_AFTER_FAILURE = 10.0
_down_until = 0.0


def _warn_once_a_minute(kind, message, *args):
    now = time.monotonic()
    if now - _last_warning.get(kind, -60.0) >= 60:
        _last_warning[kind] = now
        logger.warning(message, *args)


def _failed(operation, error):
    global _down_until
    _down_until = time.monotonic() + PAUSE_AFTER_FAILURE
    _warn_once_a_minute(
        "redis", "cache server unreachable (%s: %s): pages are rendered without it", operation, error
    )


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


# Django's file cache lists its whole directory on every set to decide whether to cull: 14 ms at 5,000 files,
# where the write itself takes 0.4 ms (measured on 2 busy cores). Here each process lists it on one set in
# CULL_EVERY, so the directory holds at most FILE_ENTRIES plus CULL_EVERY per process.
CULL_EVERY = 50


class _SharedFiles(FileBasedCache):
    """Django's file cache with an `add` that is atomic between processes (a hard link either appears whole
    or fails because another process made it first), so that only one worker takes a page's render lock, and
    with the directory listed for culling on one set in CULL_EVERY rather than on each."""

    def __init__(self, dir, params):
        BaseCache.__init__(self, params)
        # Not made here, as Django's does: a directory that cannot be made must be a miss, not a cache that
        # cannot be created (an error page). set and add make it.
        self._dir = os.path.abspath(dir)
        self._sets = 0

    def _cull(self):
        self._sets += 1
        if (self._sets - 1) % CULL_EVERY == 0:  # the first set, then one in CULL_EVERY
            super()._cull()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()
        name = self._key_to_file(key, version)
        fd, written = tempfile.mkstemp(dir=self._dir)  # not *.djcache: never read or culled as an entry
        try:
            with open(fd, "wb") as file:
                self._write_content(file, timeout, value)
            for _ in range(2):
                try:
                    os.link(written, name)
                    return True
                except FileExistsError:
                    if self.has_key(key, version):  # has_key removes an expired file: then try once more
                        return False
            return False
        finally:
            os.remove(written)


_MISSING = object()


def _files_failed(operation, error):
    _warn_once_a_minute(
        "files", "page cache files unusable (%s: %s): pages are kept in memory only", operation, error
    )


class MachineCache(LocMemCache):
    """The process's own memory (LocMemCache, OPTIONS MAX_ENTRIES) in front of files in LOCATION that every
    process on the machine shares (OPTIONS FILE_ENTRIES at most).

    A page read from the files is kept in memory too; the entries are keyed by the catalogue version, so a
    key's value never changes and the two levels cannot disagree. `add`, the render lock of
    portal/page_cache.py, is taken in the files alone, so that it holds between the processes, and
    `has_key` is how to ask whether it is still held. The files are pickles: LOCATION must be writable by
    the app alone (Django makes it with mode 0700). A directory that cannot be written, a full disk, is a
    miss and logged once a minute, never an error page.
    """

    def __init__(self, location, params):
        super().__init__(f"machine:{location}", params)
        options = params.get("OPTIONS", {})
        self.files = _SharedFiles(
            location,
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "OPTIONS": {"MAX_ENTRIES": options.get("FILE_ENTRIES", 5000)},
            },
        )

    def _in_files(self, operation, fallback, *args):
        try:
            return getattr(self.files, operation)(*args)
        except Exception as error:  # noqa: BLE001 - a directory that cannot be written, a damaged file (zlib,
            # pickle): a miss, logged; the next render's set replaces the file
            _files_failed(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            value = self._in_files("get", _MISSING, key, _MISSING, version)
            if value is _MISSING:
                return default
            super().set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._in_files("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True when the files fail: the caller goes ahead (renders at once, waits for nobody).
        return self._in_files("add", True, key, value, timeout, version)

    def has_key(self, key, version=None):
        return super().has_key(key, version) or self._in_files("has_key", False, key, version)

    def delete(self, key, version=None):
        in_memory = super().delete(key, version)
        return self._in_files("delete", False, key, version) or in_memory

    def clear(self):
        super().clear()
        self._in_files("clear", None)
