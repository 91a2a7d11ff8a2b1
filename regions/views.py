from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Window
from django.shortcuts import get_object_or_404, render

from contacts.models import Contact
from initiatives.catalogue_counts import region_theme_counts, theme_totals, with_counts
from initiatives.filters import SubqueryCount
from initiatives.models import Activity, FocusArea, Link, MandatoryArea, Status, Theme
from portal.page_cache import own_parameters, public_page

from . import fact_sheet
from .comparison import build as comparison_data
from .models import Region, Source, swedish_order
from .region_map import region_map

OVERVIEW_SOURCE = "tillvaxtverket-sa-arbetar-regionerna"


@public_page
def home(request):
    regions = with_counts(request, list(Region.objects.alphabetical()))
    totals = theme_totals(request)  # per catalogue version (initiatives/catalogue_counts.py)
    themes = [theme for theme in Theme.objects.order_by(swedish_order("name")) if theme.pk in totals]
    for theme in themes:
        theme.region_count = totals[theme.pk][1]
    return render(
        request,
        "regions/home.html",
        {
            "regions": regions,
            "map": region_map(regions),
            "mandatory_areas": MandatoryArea.objects.all(),
            "themes": themes,
            # Changed by a person; a seed or an import is not a change (regions/edits.py).
            "recent": FocusArea.objects.published()
            .exclude(edited_at=None)
            .select_related("region")
            .order_by("-edited_at", "pk")[:6],
            "overview_source": Source.objects.filter(slug=OVERVIEW_SOURCE).first(),
        },
    )


# A page shows a bounded amount however large the catalogue grows; the rest is one link away, in the
# filterable list, which pages through it.
REGION_LIST_FOCUS_AREAS = 10
REGION_PAGE_FOCUS_AREAS = 20
# The region's contacts shown at first; the rest are one link away, on the same page with ?kontakter=alla.
REGION_PAGE_CONTACTS = 20
ALL_CONTACTS = ("kontakter", "alla")


@public_page
def region_list(request):
    # Only what the list shows: the rows sorted to find each region's first ones stay narrow (not the texts).
    first = (
        FocusArea.objects.published()
        .only("pk", "region_id", "slug", "title", "order")
        .order_by("order", "title")[:REGION_LIST_FOCUS_AREAS]
    )
    first_ones = Prefetch("focus_areas", queryset=first, to_attr="first_focus_areas")
    regions = with_counts(request, list(Region.objects.alphabetical().prefetch_related(first_ones)))
    return render(request, "regions/region_list.html", {"regions": regions, "map": region_map(regions)})


@public_page
def region_detail(request, slug):
    """A region's fact sheet: overview, fact box and contacts first, insatsområden as cards, sources in one
    box (regions/fact_sheet.py). The full texts are on the insatsområden's own pages."""
    region = get_object_or_404(Region.objects.select_related("source"), slug=slug)
    published = FocusArea.objects.published().filter(region=region)
    totals = published.aggregate(count=Count("pk"), latest=Max("edited_at"))
    focus_areas = list(
        published.select_related("mandatory_area", "source")
        .prefetch_related("themes", Prefetch("contacts", queryset=Contact.objects.public()))
        .annotate(
            activity_count=SubqueryCount(Activity.objects.filter(focus_area=OuterRef("pk")).values("pk"))
        )
        .order_by("order", "title")[:REGION_PAGE_FOCUS_AREAS]
    )
    # The themes of the insatsområden shown (at most REGION_PAGE_FOCUS_AREAS): "similar regions" are judged
    # by what the page presents, without a further query over a large region's whole list.
    # The region's themes over all its published insatsområden (the fact box's, and what "similar" means).
    themes = _theme_counts(request, region)
    similar_regions = _similar_regions(request, region, {theme.pk for theme, _count in themes})
    # Who is contact for which insatsområde is on the cards (each insatsområde's own contacts).
    # The first REGION_PAGE_CONTACTS (all with ?kontakter=alla), each row with the region's total: a large
    # region's page does not grow with its staff, and every contact is one link away.
    region_contacts = Contact.objects.public().filter(region=region)
    all_contacts = request.GET.get(ALL_CONTACTS[0]) == ALL_CONTACTS[1]
    contacts = list(
        region_contacts.select_related("source").annotate(total=Window(Count("pk")))[
            : None if all_contacts else REGION_PAGE_CONTACTS
        ]
    )
    contact_count = contacts[0].total if contacts else 0
    links = list(Link.objects.filter(region=region, focus_area=None).select_related("source"))
    # Activities can come from another text than their insatsområde (Kalmar's merged areas): the pairs
    # of source and section, each once, without loading the activities themselves; in the same query, those
    # of the contacts not shown.
    activity_sources = list(
        Activity.objects.filter(focus_area__in=focus_areas)
        .exclude(source=None)
        .values_list("source_id", "source_section")
        .order_by()
        .union(region_contacts.exclude(source=None).values_list("source_id", "source_section").order_by())
        .order_by("source_id", "source_section")
    )
    edited = [date for date in (region.edited_at, totals["latest"]) if date]
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "overview": ""
            if region.introduction
            else fact_sheet.overview(region, focus_areas, totals["count"]),
            "focus_areas": focus_areas,
            "focus_area_count": totals["count"],
            # Over all the region's published insatsområden, not only the cards shown (at most 20).
            "themes": themes,
            "mandatory_areas": MandatoryArea.objects.filter(
                focus_areas__region=region, focus_areas__status=Status.PUBLISHED
            )
            .distinct()
            .order_by("number"),
            "edited_at": max(edited) if edited else None,
            "similar_regions": similar_regions,
            "contacts": contacts,
            "contact_count": contact_count,
            "all_contacts_query": "=".join(ALL_CONTACTS),
            "links": [link for link in links if link.safe_url],
            "addressless_links": [link for link in links if not link.safe_url],
            "data_contact_email": settings.DATA_CONTACT_EMAIL,
            "sources": fact_sheet.sources_used(
                [region, *focus_areas, *contacts, *links], extra_sections=activity_sources
            ),
            "discrepancies": region.discrepancies.select_related("first_source", "second_source"),
        },
    )


def _theme_counts(request, region) -> list[tuple]:
    """(theme, the region's published insatsområden with it), most first, then by name: from the region ×
    theme counts kept per catalogue version (initiatives/catalogue_counts.py)."""
    counts = region_theme_counts(request)
    themes = [(theme, counts.get((region.pk, theme.pk), 0)) for theme in Theme.objects.all()]
    return sorted([item for item in themes if item[1]], key=lambda item: (-item[1], item[0].label))


def _similar_regions(request, region, theme_ids, limit=5):
    """The regions that work on most of `theme_ids` (at least one), most first, then A–Ö: from the region ×
    theme counts kept per catalogue version (initiatives/catalogue_counts.py), not a query over every
    insatsområde's themes (25 ms at 100 times today's data)."""
    if not theme_ids:
        return []
    counts = region_theme_counts(request)
    others = []
    for other in Region.objects.alphabetical().exclude(pk=region.pk):
        other.shared = sum(1 for theme_id in theme_ids if counts.get((other.pk, theme_id)))
        if other.shared:
            others.append(other)
    return sorted(others, key=lambda other: -other.shared)[:limit]  # stable: A–Ö within a count


@public_page
def comparison(request):
    """Regions × themes: who works on what. With ?region=a&region=b, up to three regions side by side.

    The data (totals, sorting, the summary of the chosen regions) is built in regions/comparison.py.
    """
    data = comparison_data(request, own_parameters(request))
    return render(request, "regions/comparison.html", {"comparison": data})
