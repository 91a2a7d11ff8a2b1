"""Site-wide pages of no catalogue app: about, accessibility, robots.txt and the DCAT description."""

from django.conf import settings
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from initiatives.models import FocusArea, MandatoryArea, Theme
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


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


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
