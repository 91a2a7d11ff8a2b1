"""Site-wide pages that belong to no catalogue app: about and the accessibility statement."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from initiatives.models import MandatoryArea
from regions.models import Source


def about(request):
    return render(
        request,
        "about.html",
        {"sources": Source.objects.all(), "mandatory_areas": MandatoryArea.objects.all()},
    )


def accessibility(request):
    return render(request, "accessibility.html")


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
