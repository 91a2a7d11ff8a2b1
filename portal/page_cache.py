"""Whole-page caching of the public HTML pages, and conditional GET, invalidated by every edit.

Every change to the catalogue (an admin save, a delete, a seed) bumps one number, the catalogue version
(regions.models.CatalogueVersion; the signals are in regions/signals.py). A page is cached under that
version, its language and its full path, so an edit shows at once: the next request reads the new
version (one small query) and renders afresh. The same version makes the ETag, so a browser or proxy that
already has the page gets a 304 without the page being rendered or read from the cache.

Only anonymous GETs are cached: a request with a session (staff, who may see drafts) always renders.
Pages with free text (`q`), whose addresses are endless, are kept only by `cached_search_page`, in a cache of
their own ("search" in CACHES, bounded by its MAX_ENTRIES), so that a crawler trying every word cannot
push the catalogue's pages out; `public_page` renders them every time. Pages larger than
PAGE_CACHE_MAX_BYTES are not kept. The caches are per process unless CACHES says otherwise; the version
lives in the database, so every process sees an edit at once.

While the database cannot be reached (a restart, a failover), a page this process has cached under the
last version it saw is still served, marked not to be stored; anything else is the 503 page
(portal/views.py: server_error). Visitors see the catalogue as it was a moment before, not an error.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control

from portal.health import DATABASE_AWAY
from regions.models import CatalogueVersion


def _key(request, version):
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()
    return f"page:{settings.RELEASE}:{version}:{translation.get_language()}:{path}"


# The newest catalogue version this process has read: where to look for a page while the database is away.
_last_version = None


def _cacheable(request, free_text):
    return bool(settings.PAGE_CACHE_SECONDS) and (free_text or "q" not in request.GET)


def _stale_copy(request, cache, free_text):
    if _last_version is None or not _cacheable(request, free_text):
        return None
    cached = cache.get(_key(request, _last_version))
    if cached is None:
        return None
    content_type, content = cached
    response = HttpResponse(content, content_type=content_type)
    # No ETag, and not to be kept: once the database is back, the browser must ask again.
    patch_cache_control(response, no_store=True)
    return response


def public_page(view, *, cache_alias="default", free_text=False):
    """Cache an anonymous visitor's page until the catalogue changes; answer If-None-Match with 304."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        cache = caches[cache_alias]
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        global _last_version
        try:
            version = CatalogueVersion.current()
        except DATABASE_AWAY:
            stale = _stale_copy(request, cache, free_text)
            if stale is None:
                raise  # the 503 page
            return stale
        _last_version = version
        etag = f'W/"{settings.RELEASE}-{version}-{translation.get_language()}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified

        cacheable = _cacheable(request, free_text)
        key = _key(request, version)
        cached = cache.get(key) if cacheable else None
        if cached is not None:
            content_type, content = cached
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if (
                cacheable
                and response.status_code == 200
                and not response.streaming
                and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
            ):
                cache.set(key, (response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS)
        if response.status_code == 200:
            response["ETag"] = etag
            # Browsers revalidate each time (cheap: a 304), so nobody sees a page older than the last edit.
            patch_cache_control(response, no_cache=True, public=True)
        return response

    return wrapped


def cached_search_page(view):
    """`public_page` for the search: its pages too, in the bounded "search" cache."""
    return public_page(view, cache_alias="search", free_text=True)
