from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from contacts.models import Contact

from .models import Activity, FocusArea


def focus_area_detail(request, region, slug):
    focus_area = get_object_or_404(
        FocusArea.objects.published()
        .select_related("region", "mandatory_area", "source")
        .prefetch_related(
            "themes",
            "dimensions",
            "sdg_goals",
            Prefetch("activities", queryset=Activity.objects.select_related("source")),
            Prefetch("contacts", queryset=Contact.objects.public()),
            "links",
        ),
        region__slug=region,
        slug=slug,
    )
    return render(request, "initiatives/focus_area_detail.html", {"focus_area": focus_area})
