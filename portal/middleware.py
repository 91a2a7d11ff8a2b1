"""The request log line, the methods public pages take, and response headers Django has no setting for."""

import logging
import time

from django.conf import settings
from django.http import HttpResponseNotAllowed

request_logger = logging.getLogger("portal.request")


def request_log(get_response):
    """One log line per request: method, path, status, bytes and milliseconds (JSON in production)."""

    def middleware(request):
        start = time.perf_counter()
        response = get_response(request)
        elapsed = round((time.perf_counter() - start) * 1000, 2)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.get_full_path(),
                "status": response.status_code,
                "bytes": len(response.content) if not response.streaming else None,
                "ms": elapsed,
            },
        )
        return response

    return middleware


def permissions_policy(get_response):
    """Permissions-Policy: the portal uses no camera, microphone, location or payment features."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


# Where other methods than GET and HEAD have a meaning: the admin's forms, and the API (CORS preflight).
TAKES_OTHER_METHODS = ("/admin/", "/api/")


def public_methods_only(get_response):
    """The public pages, feeds and downloads are read-only: OPTIONS, TRACE, POST and the rest get a 405
    with an Allow header, before any view renders a page for them."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") and not request.path.startswith(TAKES_OTHER_METHODS):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return get_response(request)

    return middleware


def language_from_address_only(get_response):
    """No `Vary: Accept-Language`: the language comes from the address alone (Swedish without a prefix,
    English under /en/; prefix_default_language is off), never from the browser's languages. Django's
    LocaleMiddleware adds the header anyway for unprefixed addresses, which makes a proxy or CDN keep one
    copy of every page per Accept-Language string browsers send. Listed before LocaleMiddleware, so that it
    sees the response after it."""

    def middleware(request):
        response = get_response(request)
        if response.has_header("Vary"):
            kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "accept-language"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response

    return middleware
