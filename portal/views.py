"""Site-wide pages that belong to no catalogue app: about and the accessibility statement."""

from django.shortcuts import render

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
