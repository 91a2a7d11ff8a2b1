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
