from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from contacts.models import Contact
from initiatives.models import Activity, FocusArea, Link, MandatoryArea, Status

from .models import Region, Source


def home(request):
    regions = Region.objects.alphabetical().annotate(
        focus_area_count=Count("focus_areas", filter=Q(focus_areas__status=Status.PUBLISHED))
    )
    return render(
        request,
        "regions/home.html",
        {
            "regions": regions,
            "mandatory_areas": MandatoryArea.objects.all(),
            "overview_source": Source.objects.filter(slug="tillvaxtverket-sa-arbetar-regionerna").first(),
        },
    )


def region_list(request):
    regions = Region.objects.alphabetical().prefetch_related(
        Prefetch("focus_areas", queryset=FocusArea.objects.published().order_by("order", "title"))
    )
    return render(request, "regions/region_list.html", {"regions": regions})


def region_detail(request, slug):
    region = get_object_or_404(Region.objects.select_related("source"), slug=slug)
    focus_areas = (
        FocusArea.objects.published()
        .filter(region=region)
        .select_related("mandatory_area", "source")
        .prefetch_related(
            "themes",
            "dimensions",
            Prefetch("activities", queryset=Activity.objects.select_related("source")),
            Prefetch("contacts", queryset=Contact.objects.public()),
            "links",
        )
        .order_by("order", "title")
    )
    contacts = (
        Contact.objects.public()
        .filter(region=region)
        .prefetch_related(Prefetch("focus_areas", queryset=FocusArea.objects.published()))
    )
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "focus_areas": focus_areas,
            "contacts": contacts,
            "links": Link.objects.filter(region=region, focus_area=None).select_related("source"),
        },
    )
