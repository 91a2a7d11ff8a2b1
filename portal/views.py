"""Site-wide pages of no catalogue app: about, accessibility, robots.txt, the DCAT description, and the
not-found and server-error pages."""

import sys
import unicodedata

from django.conf import settings
from django.db.models import Max
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views import defaults

from initiatives.models import FocusArea, MandatoryArea, Theme
from portal.api import with_cors
from portal.health import DATABASE_AWAY
from portal.page_cache import public_page
from regions.models import Source


@public_page
def about(request):
    return render(
        request,
        "about.html",
        {"sources": Source.objects.all(), "mandatory_areas": MandatoryArea.objects.all()},
    )


@public_page
def accessibility(request):
    return render(request, "accessibility.html", {"contact_email": settings.DATA_CONTACT_EMAIL})


@public_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@public_page
def dcat(request):
    """The catalogue's metadata as DCAT-AP-SE (RDF/XML), for Sweden's national data portal to harvest."""
    modified = FocusArea.objects.published().aggregate(m=Max("updated_at"))["m"]
    context = {
        "base": request.build_absolute_uri("/").rstrip("/"),
        "modified": modified,
        "keywords": Theme.objects.values_list("name", flat=True),
        "contact_email": settings.DATA_CONTACT_EMAIL,
    }
    return render(request, "dcat.rdf", context, content_type="application/rdf+xml; charset=utf-8")


# How long a client should wait before trying again while the database is away (seconds).
RETRY_AFTER = 10


def database_unavailable(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable. Please try again in a moment."},
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        # Rendered without a request context: its context processors could need the database.
        response = HttpResponse(loader.get_template("503.html").render())
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def address_spelling(path: str) -> str:
    """`path` as the site spells its addresses: lower case, letters without their marks (Skåne: skane,
    jämför: jamfor), as the slugs are made."""
    for _ in range(2):  # twice: a letter's lower case may decompose further, and the result must be stable
        decomposed = unicodedata.normalize("NFKD", path.lower())
        path = "".join(c for c in decomposed if not unicodedata.combining(c))
    return path


def page_not_found(request, exception):
    """handler404. Every address of the site is lower-case ASCII, but people type and texts link names as
    they are written (/regioner/Skåne/, /jämför/): an address that is not found and is spelt otherwise is
    sent once to the site's spelling of it, which is the page or a 404 of its own. Always to this site: the
    path's leading slashes become one, so that "//example.com/" cannot leave it."""
    if request.path.startswith("/api/"):
        # Its clients read JSON, as every other answer of the API (portal/api.py).
        detail = "There is no such address in the API; its addresses are listed at /api/v1/."
        return with_cors(JsonResponse({"detail": detail}, status=404))
    spelling = address_spelling(request.path)
    if request.method in ("GET", "HEAD") and spelling != request.path:
        location = escape_uri_path("/" + spelling.lstrip("/"))
        if request.META.get("QUERY_STRING"):
            location += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(location)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """handler400: too many parameters (DATA_UPLOAD_MAX_NUMBER_FIELDS), a host the site does not answer to.
    Rendered without the request, as 500.html is: Django's own handler runs the context processors, which
    read the very parameters that could not be read."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def server_error(request):
    """handler500. A database that cannot be reached (restarting, failing over, connection lost) is the
    service being briefly unavailable, not a fault in the page: a 503 with Retry-After, not a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_AWAY):
        return database_unavailable(request)
    return defaults.server_error(request)
