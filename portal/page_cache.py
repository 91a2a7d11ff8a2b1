"""Every public read cached whole and revalidated by the catalogue version: pages, the API, downloads, feeds,
the sitemap and the DCAT description.

Every change to the catalogue (an admin save, a delete, a seed) bumps one number, the catalogue version
(regions.models.CatalogueVersion; the signals are in regions/signals.py). A response is cached under that
version, its language and its normalised address, so an edit shows at once: the next request reads the new
version (one small query) and renders afresh. The same version makes the ETag, and the time it changed the
Last-Modified, so a browser, feed reader or proxy that already has the response gets a 304 without it being
rendered or read from the cache.

Only anonymous GETs are cached: a signed-in person (staff, who may see drafts) always gets a fresh render.
Responses to free text (`q`: the search, the list's and the API's text filter), and to addresses with
parameters the site does not use (ADDRESS_PARAMETERS), whose addresses are endless, are kept in a cache of
their own ("search" in CACHES, always in the process and bounded by its MAX_ENTRIES),
so that a crawler trying every word cannot push the catalogue's pages out. Their key is the normalised
query: the parameters in order, the text's spacing collapsed. Responses larger than PAGE_CACHE_MAX_BYTES are
not kept. Without CACHE_URL the pages are in each process's memory in front of files every process on the
machine shares; with it they are shared by every machine (portal/cache.py). Either way the version lives
in the database, so every process sees an edit at once.

While the database cannot be reached (a restart, a failover), a response this process has cached under the
last version it saw is still served, marked not to be stored; anything else is the 503 page
(portal/views.py: server_error). Visitors see the catalogue as it was a moment before, not an error.
"""

import hashlib
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from portal.health import DATABASE_AWAY
from regions.models import CatalogueVersion

# The headers a cached response is served with again; the rest (ETag, Cache-Control, cookies, security
# headers) are set on each response by this module and the middleware.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Language",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "X-Robots-Tag",
)


def normalised_query(request) -> str:
    """The address's query in one spelling: parameters sorted by name, free text with its spaces collapsed."""
    items = []
    for name in sorted(request.GET):
        for value in request.GET.getlist(name):
            items.append((name, " ".join(value.split()) if name == "q" else value))
    return urlencode(items)


def _key(request, version):
    # Scheme and host too: pages carry absolute addresses (canonical, hreflang, the API's links).
    address = f"{request.scheme}://{request.get_host()}{request.path}?{normalised_query(request)}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
    return f"page:{settings.RELEASE}:{version}:{translation.get_language()}:{digest}"


# The newest catalogue version this process has read: where to look for a page while the database is away.
_last_version = None


# The parameters the site's own links and forms use (the list's filters, sorting and pages, the comparison,
# the region's contacts, the sitemap's pages; tests/test_page_cache.py checks the views read no others).
# An address with any other (`utm_source`, a typo, a crawler's random string) renders the same page, but
# its copies are kept with free text's, in the bounded cache, so that made-up addresses cannot fill the
# pages' cache, shared by every machine with CACHE_URL.
ADDRESS_PARAMETERS = frozenset(
    {"region", "tema", "dimension", "agenda2030", "omrade", "q", "sortera", "sida", "kontakter", "p"}
)


def own_parameters(request):
    """A mutable copy of the request's query with only ADDRESS_PARAMETERS, in their order: what a page's own
    links (pages, sorting, filters removed, the CSV, the language switch) carry on, so that a made-up
    parameter is not copied into every link of the page."""
    query = request.GET.copy()
    for name in list(query):
        if name not in ADDRESS_PARAMETERS:
            del query[name]
    return query


def _endless(request):
    """Free text, or a parameter the site does not use: addresses without end."""
    return bool(request.GET.get("q", "").strip()) or not ADDRESS_PARAMETERS.issuperset(request.GET)


def _cache_for(request):
    return caches["search" if _endless(request) else "default"]


def _serve(cached):
    headers, content = cached
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


# Kept instead of a copy for a 200 that cannot be kept (a file sent from disk, a response above
# PAGE_CACHE_MAX_BYTES): rendered on each request, without the render lock and without waiting for another
# worker's copy, and, being a 200 at this version, answered with a 304 for its ETag.
NOT_KEPT = "not kept"


def _stale_copy(request):
    if _last_version is None or not settings.PAGE_CACHE_SECONDS:
        return None
    cached = _cache_for(request).get(_key(request, _last_version))
    if cached is None or cached == NOT_KEPT:
        return None
    response = _serve(cached)
    # No ETag, and not to be kept: once the database is back, the browser must ask again.
    patch_cache_control(response, no_store=True)
    return response


# After an edit every page is new at once. So that a rush of visitors does not render the same page in every
# worker at the same moment, the first to miss renders it and the others wait for its copy, up to
# RENDER_WAIT seconds (then they render it themselves). This holds across every process on the machine (the
# default cache's files, portal/cache.py: MachineCache) and, with CACHE_URL, across every machine: one render
# per page and version.
RENDER_WAIT = 2.0
_POLL = 0.01


def _render_once(cache, key):
    """(the copy another worker rendered meanwhile, None) or (None, the lock this worker now holds, or None
    when it should simply render: the other worker is done without leaving a copy, or took too long)."""
    lock = f"{key}:rendering"
    if cache.add(lock, 1, timeout=int(RENDER_WAIT) + 3):
        return None, lock
    deadline = time.monotonic() + RENDER_WAIT  # the clock, not a count of polls: a slow cache is slow
    while time.monotonic() < deadline:
        time.sleep(_POLL)
        cached = cache.get(key)
        if cached is not None:
            return cached, None
        if not cache.has_key(lock):  # rendered but not kept (an error, too big, a file): render it too
            return None, None
    return None, None


def _signed_in(request):
    """Staff, who may see drafts. Only with a session cookie is the session looked up (one query), so that
    a made-up cookie cannot make every request a full render."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def etag_for(version) -> str:
    return f'W/"{settings.RELEASE}-{version}-{translation.get_language()}"'


def patch_public_caching(response):
    """Anyone may keep the response, but must ask again (a cheap 304) before showing it; a proxy or CDN
    may serve it for PROXY_CACHE_SECONDS first."""
    if settings.PROXY_CACHE_SECONDS:
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PROXY_CACHE_SECONDS)
    else:
        # Browsers revalidate each time, so nobody sees a response older than the last edit.
        patch_cache_control(response, public=True, no_cache=True)


def _as_revalidated(answer, etag):
    """A 304 (or 412) from get_conditional_response, with the headers a 304 must repeat."""
    if answer.status_code == 304:
        answer["ETag"] = etag
        patch_public_caching(answer)
    return answer


def public_page(view):
    """Cache an anonymous visitor's response until the catalogue changes; answer a conditional GET with 304.

    For any view whose response depends only on the published catalogue, the address and the language.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _signed_in(request):
            response = view(request, *args, **kwargs)
            # Staff may see drafts: nobody but their own browser keeps what they were shown.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        global _last_version
        try:
            version, changed_at = CatalogueVersion.state()
        except DATABASE_AWAY:
            stale = _stale_copy(request)
            if stale is None:
                raise  # the 503 page
            return stale
        # The number and the moment it was reached: a database restored from a dump goes back to an older
        # number, and its next edit must not find what was cached under that number before the restore.
        if changed_at is not None:
            version = f"{version}.{int(changed_at.timestamp() * 1_000_000):x}"
        _last_version = version
        request.catalogue_version = version  # for what the view writes out per version (written_out.py)
        etag = etag_for(version)
        last_modified = int(changed_at.timestamp()) if changed_at else None  # HTTP dates are whole seconds
        # By the ETag alone: Last-Modified is whole seconds, so two edits in one second, or a new release
        # of the same data, would answer If-Modified-Since with a stale 304. It is still sent, for reading.
        # The ETag is the same for every address, so a 304 is only for an address known to answer 200 at
        # this version: one whose copy, or NOT_KEPT, is in the cache (only 200s are kept). Any other (a 404,
        # a 400, a page not cached yet, `If-None-Match: *`) is answered after its response.
        cache = _cache_for(request)
        key = _key(request, version)
        conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MATCH" in request.META
        if conditional and settings.PAGE_CACHE_SECONDS and cache.has_key(key):
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _as_revalidated(not_modified, etag)

        cached = cache.get(key) if settings.PAGE_CACHE_SECONDS else None
        rendering = None
        if cached is None and settings.PAGE_CACHE_SECONDS:
            cached, rendering = _render_once(cache, key)
        if cached is not None and cached != NOT_KEPT:
            response = _serve(cached)
        else:
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:  # a TemplateResponse
                    response.render()
                if (
                    settings.PAGE_CACHE_SECONDS
                    and response.status_code == 200
                    # A response that used this request's CSP nonce (an inline script) is only valid with
                    # this request's Content-Security-Policy header: a copy would carry a nonce that no later
                    # header allows. No public page uses it today.
                    and not get_nonce(request)
                ):
                    if not response.streaming and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES:
                        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                        cache.set(key, (headers, response.content), settings.PAGE_CACHE_SECONDS)
                    elif cached is None:
                        cache.set(key, NOT_KEPT, settings.PAGE_CACHE_SECONDS)
            finally:
                if rendering:
                    cache.delete(rendering)
        if response.status_code == 200:
            response["ETag"] = etag
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
            patch_public_caching(response)
            if conditional:
                answer = get_conditional_response(request, etag=etag, response=response)
                if answer is not response:
                    # A download's open file. Not response.close(): that also sends request_finished, which
                    # closes the database connection in the middle of the request.
                    file = getattr(response, "file_to_stream", None)
                    if file is not None:
                        file.close()
                    return _as_revalidated(answer, etag)
                return answer
        return response

    return wrapped
