from django.db.models import Count, Max, Prefetch, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render

from contacts.models import Contact
from initiatives.filters import printable
from initiatives.models import Activity, FocusArea, Link, MandatoryArea, Status, Theme
from portal.page_cache import public_page

from .models import Region, Source, swedish_order
from .region_map import region_map

OVERVIEW_SOURCE = "tillvaxtverket-sa-arbetar-regionerna"
PUBLISHED = Q(focus_areas__status=Status.PUBLISHED)
COMPARE_MAX = 3


def regions_with_counts():
    return Region.objects.alphabetical().annotate(focus_area_count=Count("focus_areas", filter=PUBLISHED))


@public_page
def home(request):
    regions = list(regions_with_counts())
    # Explicit order: Django leaves Meta.ordering out of a query with GROUP BY (an annotated count).
    themes = (
        Theme.objects.annotate(region_count=Count("focus_areas__region", filter=PUBLISHED, distinct=True))
        .filter(region_count__gt=0)
        .order_by(swedish_order("name"))
    )
    return render(
        request,
        "regions/home.html",
        {
            "regions": regions,
            "map": region_map(regions),
            "mandatory_areas": MandatoryArea.objects.all(),
            "themes": themes,
            "recent": FocusArea.objects.published()
            .select_related("region")
            .order_by("-updated_at", "pk")[:6],
            "overview_source": Source.objects.filter(slug=OVERVIEW_SOURCE).first(),
        },
    )


# A page shows a bounded amount however large the catalogue grows; the rest is one link away, in the
# filterable list, which pages through it.
REGION_LIST_FOCUS_AREAS = 10
REGION_PAGE_FOCUS_AREAS = 20


@public_page
def region_list(request):
    first = FocusArea.objects.published().order_by("order", "title")[:REGION_LIST_FOCUS_AREAS]
    first_ones = Prefetch("focus_areas", queryset=first, to_attr="first_focus_areas")
    regions = list(regions_with_counts().prefetch_related(first_ones))
    return render(request, "regions/region_list.html", {"regions": regions, "map": region_map(regions)})


@public_page
def region_detail(request, slug):
    region = get_object_or_404(Region.objects.select_related("source"), slug=slug)
    published = FocusArea.objects.published().filter(region=region)
    totals = published.aggregate(count=Count("pk"), latest=Max("updated_at"))
    focus_areas = list(
        published.select_related("mandatory_area", "source")
        .prefetch_related(
            "themes",
            "dimensions",
            Prefetch("activities", queryset=Activity.objects.select_related("source")),
            Prefetch("contacts", queryset=Contact.objects.public()),
            "links",
        )
        .order_by("order", "title")[:REGION_PAGE_FOCUS_AREAS]
    )
    # The themes of the insatsområden shown (at most REGION_PAGE_FOCUS_AREAS): "similar regions" are judged
    # by what the page presents, without a further query over a large region's whole list.
    theme_ids = {theme.pk for focus_area in focus_areas for theme in focus_area.themes.all()}
    similar_regions = (
        Region.objects.exclude(pk=region.pk)
        .annotate(
            shared=Count(
                "focus_areas__themes",
                filter=PUBLISHED & Q(focus_areas__themes__in=theme_ids),
                distinct=True,
            )
        )
        .filter(shared__gt=0)
        .order_by("-shared", "short_name")[:5]
    )
    contacts = (
        Contact.objects.public()
        .filter(region=region)
        .select_related("source")
        .prefetch_related(Prefetch("focus_areas", queryset=FocusArea.objects.published()))
    )
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "focus_areas": focus_areas,
            "focus_area_count": totals["count"],
            "last_updated": max(filter(None, [region.updated_at, totals["latest"]])),
            "similar_regions": similar_regions if theme_ids else [],
            "contacts": contacts,
            "links": Link.objects.filter(region=region, focus_area=None).select_related("source"),
        },
    )


@public_page
def comparison(request):
    """Regions × themes: who works on what. With ?region=a&region=b, up to three regions side by side."""
    regions = list(Region.objects.alphabetical())
    themes = list(Theme.objects.order_by(swedish_order("name")))
    through = FocusArea.themes.through.objects.filter(focusarea__status=Status.PUBLISHED)
    cells = {
        (row["focusarea__region_id"], row["theme_id"]): row["n"]
        for row in through.values("focusarea__region_id", "theme_id").annotate(n=Count("focusarea_id"))
    }
    matrix = [
        (region, [(theme, cells.get((region.pk, theme.pk), 0)) for theme in themes]) for region in regions
    ]

    by_slug = {region.slug: region for region in regions}
    requested = list(dict.fromkeys(request.GET.getlist("region")))
    unknown = [printable(slug) for slug in requested if slug not in by_slug]
    chosen = [by_slug[slug] for slug in requested if slug in by_slug]
    too_many = len(chosen) > COMPARE_MAX
    chosen = chosen[:COMPARE_MAX]
    side_by_side = None
    if chosen:
        focus_areas = (
            FocusArea.objects.published()
            .filter(region__in=chosen)
            .select_related("region")
            .prefetch_related("themes")
            .order_by("order", "title")
        )
        per_region = {region.pk: [] for region in chosen}
        for focus_area in focus_areas:
            per_region[focus_area.region_id].append(focus_area)
        side_by_side = [
            (theme, [[fa for fa in per_region[region.pk] if theme in fa.themes.all()] for region in chosen])
            for theme in themes
        ]
        side_by_side = [(theme, columns) for theme, columns in side_by_side if any(columns)]
    return render(
        request,
        "regions/comparison.html",
        {
            "themes": themes,
            "matrix": matrix,
            "regions": regions,
            "chosen": chosen,
            "side_by_side": side_by_side,
            "unknown": unknown,
            "too_many": too_many,
            "compare_max": COMPARE_MAX,
            "without": {
                region.slug: "?" + _without_region(request.GET, region.slug).urlencode() for region in chosen
            },
        },
    )


def _without_region(query: QueryDict, slug: str) -> QueryDict:
    data = query.copy()
    data.setlist("region", [value for value in data.getlist("region") if value != slug])
    return data
