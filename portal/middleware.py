"""The request log line, and response headers Django has no setting for."""

import logging
import time

from django.conf import settings

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
