from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from contacts.models import Contact
from editorial.permissions import may_edit_region
from portal.page_cache import own_parameters, public_page
from portal.pagination import Paginator, asked_for
from regions.fact_sheet import sources_used
from regions.models import Region, swedish_order
from regions.region_map import region_map

from .catalogue_counts import region_theme_counts, theme_totals
from .filters import FocusAreaFilter, printable
from .models import Activity, FocusArea, Link, MandatoryArea, Status, Theme
from .search import PAGE_SIZE as SEARCH_PAGE_SIZE
from .search import search

PAGE_SIZE = 20


@public_page
def focus_area_detail(request, region, slug):
    """An insatsområde's page. A draft is a 404 for the public; staff who may edit its region see it as a
    preview with a banner, so they can check it on the real page design before publishing."""
    focus_area = get_object_or_404(
        FocusArea.objects.select_related("region", "mandatory_area", "source").prefetch_related(
            "themes",
            "dimensions",
            "sdg_goals",
            Prefetch("activities", queryset=Activity.objects.select_related("source")),
            Prefetch("contacts", queryset=Contact.objects.public().select_related("source")),
            Prefetch("links", queryset=Link.objects.select_related("source")),
        ),
        region__slug=region,
        slug=slug,
    )
    preview = focus_area.status != Status.PUBLISHED
    if preview and not (request.user.is_staff and may_edit_region(request.user, focus_area.region_id)):
        raise Http404
    theme_ids = [theme.pk for theme in focus_area.themes.all()]
    similar = (
        FocusArea.objects.published()
        .exclude(region=focus_area.region)
        .filter(themes__in=theme_ids)
        .annotate(shared=Count("themes"))
        .select_related("region")
        .order_by("-shared", "region__short_name", "title")[:6]
    )
    links = list(focus_area.links.all())
    activities = list(focus_area.activities.all())
    contacts = list(focus_area.contacts.all())
    return render(
        request,
        "initiatives/focus_area_detail.html",
        {
            "focus_area": focus_area,
            "similar": similar if theme_ids else [],
            "preview": preview,
            "links": [link for link in links if link.safe_url],
            "addressless_links": [link for link in links if not link.safe_url],
            "sources": sources_used([focus_area, *activities, *contacts, *links]),
            "discrepancies": focus_area.discrepancies.select_related("first_source", "second_source"),
        },
    )


def page_window(page):
    """The page numbers the pagination links (templates/_pagination.html): the first and last, and two
    either side of this one, with Paginator.ELLIPSIS for the gaps; not a link for each of 280 pages."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def field_anchor(name):
    """The id in the list's filter form of the field or fieldset for query parameter `name`."""
    return f"id_{name}" if name in {"q", "sortera"} else f"filter-{name}"


@public_page
def focus_area_list(request):
    """The filterable list. Every state is a GET URL; bad input is corrected and said, never a 500."""
    query = own_parameters(request)
    filterset = FocusAreaFilter(query, queryset=FocusArea.objects.published())
    facets = filterset.facets(request)
    # Each notice links to the part of the form it is about (the id of its field or fieldset).
    notices = [
        {
            "text": _("Filtret ”%(label)s” ignorerades: %(error)s")
            % {"label": filterset.form.fields[name].label, "error": " ".join(errors)},
            "target": field_anchor(name),
        }
        for name, errors in filterset.form.errors.items()
    ]
    unknown = {facet.name: facet.unknown for facet in facets if facet.unknown}
    if unknown:
        # Leave out what matches nothing and show the rest: "region=kalmar&region=nope" shows Kalmar.
        notices += [
            {"text": facet.unknown_notice(), "target": field_anchor(facet.name)}
            for facet in facets
            if facet.unknown
        ]
        for name, values in unknown.items():
            if name == "omrade":  # single-valued: the last value counts, so drop them all
                query.pop(name)
            else:
                query.setlist(name, [v for v in query.getlist(name) if v.strip().lower() not in values])
        filterset = FocusAreaFilter(query, queryset=FocusArea.objects.published())
        facets = filterset.facets(request)

    if filterset.form.cleaned_data.get("q", "").strip() and filterset.text_matches is None:
        # Text with nothing to search for (stop words, one letter) filters nothing: say so.
        notices.append({
            "text": _("Fritexten ”%(text)s” har inga ord att söka på och ignorerades.")
            % {"text": printable(filterset.form.cleaned_data["q"], 40)},
            "target": field_anchor("q"),
        })  # fmt: skip

    # A facet that a notice is about is shown open, so that the notice's link lands on its options.
    flagged = set(filterset.form.errors) | set(unknown)
    for facet in facets:
        facet.notice = facet.name in flagged

    paginator = Paginator(filterset.qs.for_list(), PAGE_SIZE)
    requested_page = query.pop("sida", [None])[-1]
    page = paginator.get_page(requested_page)
    if not asked_for(requested_page, page):
        notices.append({
            "text": _("Sidan ”%(page)s” finns inte; här är sida %(number)s.")
            % {"page": printable(requested_page, 20), "number": page.number},
            "target": "results",
        })  # fmt: skip

    chips = []
    for facet in facets:
        for option in facet.selected:
            rest = query.copy()
            rest.setlist(
                facet.name, [v for v in rest.getlist(facet.name) if v.strip().lower() != option.value]
            )
            # The facet's name is interface; the option is content (a region's name is Swedish, a theme's
            # may be English on an English page), marked with its language.
            url = "?" + rest.urlencode()
            chips.append({"facet": facet.label, "value": option.label, "lang": option.lang, "url": url})
    text = filterset.form.cleaned_data.get("q")
    if text:
        rest = query.copy()
        rest.pop("q")
        chips.append({"facet": _("Fritext"), "text": text, "url": "?" + rest.urlencode()})

    return render(
        request,
        "initiatives/focus_area_list.html",
        {
            "filter": filterset,
            "facets": facets,
            "page": page,
            "page_range": page_window(page),
            "chips": chips,
            "notices": notices,
            "query_without_page": query.urlencode(),
            "sort": filterset.form.cleaned_data.get("sortera") or "region",
            "text": text or "",
        },
    )


@public_page
def theme_list(request):
    themes = list(Theme.objects.order_by(swedish_order("name")))
    totals = theme_totals(request)  # per catalogue version (initiatives/catalogue_counts.py)
    for theme in themes:
        theme.focus_area_count, theme.region_count = totals.get(theme.pk, (0, 0))
    return render(request, "initiatives/theme_list.html", {"themes": themes})


# A theme's or a mandatory area's page lists this many insatsområden of each region, in the region's order,
# and links to the list filtered by the region (and the theme or area) for the rest: at 100 times today's
# data a theme's page listed 700 (200 kB).
GROUP_MAX = 10


@dataclass
class RegionGroup:
    region: Region
    focus_areas: list[FocusArea]  # the first GROUP_MAX
    count: int  # all of them
    all_url: str  # the filtered list, when there are more than GROUP_MAX


def _regions_working_on(focus_areas, alphabetical_slugs, list_filter):
    """Insatsområden grouped by region, regions in Swedish alphabetical order (the regions' slugs in it):
    the first GROUP_MAX of each and how many there are, numbered and counted per region in one query.
    `list_filter` is the list's parameter for what they share, e.g. {"tema": slug}."""
    ranked = focus_areas.annotate(
        rank=Window(RowNumber(), partition_by=[F("region_id")], order_by=[F("order").asc(), F("pk").asc()]),
        in_region=Window(Count("pk"), partition_by=[F("region_id")]),
    ).filter(rank__lte=GROUP_MAX)
    by_region = {}
    for focus_area in ranked.order_by("order", "pk"):
        by_region.setdefault(focus_area.region, []).append(focus_area)
    order = {slug: i for i, slug in enumerate(alphabetical_slugs)}
    list_url = reverse("focus_area_list")
    return [
        RegionGroup(
            region,
            listed,
            count := listed[0].in_region,
            f"{list_url}?{urlencode({'region': region.slug, **list_filter})}" if count > GROUP_MAX else "",
        )
        for region, listed in sorted(by_region.items(), key=lambda item: order.get(item[0].slug, 0))
    ]


@public_page
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    # The list shows title, summary and region of each (templates/initiatives/_grouped_by_region.html).
    focus_areas = theme.focus_areas.published().select_related("region").defer("body").order_by("order")
    regions = list(Region.objects.alphabetical())
    counts = region_theme_counts(request)  # per catalogue version (initiatives/catalogue_counts.py)
    for region in regions:
        region.focus_area_count = counts.get((region.pk, theme.pk), 0)  # with this theme, for the map
    grouped = _regions_working_on(focus_areas, [region.slug for region in regions], {"tema": theme.slug})
    return render(
        request,
        "initiatives/theme_detail.html",
        {"theme": theme, "grouped": grouped, "map": region_map(regions, theme=theme)},
    )


@public_page
def mandatory_area_detail(request, slug):
    area = get_object_or_404(MandatoryArea.objects.select_related("source"), slug=slug)
    # The list shows title, summary and region of each (templates/initiatives/_grouped_by_region.html).
    focus_areas = area.focus_areas.published().select_related("region").defer("body").order_by("order")
    slugs = list(Region.objects.alphabetical().values_list("slug", flat=True))
    return render(
        request,
        "initiatives/mandatory_area_detail.html",
        {
            "area": area,
            "grouped": _regions_working_on(focus_areas, slugs, {"omrade": area.slug}),
            "region_total": len(slugs),
            "sources": sources_used([area]),
        },
    )


@public_page
def search_page(request):
    """/sok/?q=: themes and goals that match first, then regions, insatsområden (or their activities) and
    contacts in one ranked list, a page at a time (sida=)."""
    results = search(request.GET.get("q"))
    query = own_parameters(request)
    requested_page = query.pop("sida", [None])[-1]
    page = Paginator(results.hits, SEARCH_PAGE_SIZE).get_page(requested_page)
    context = {
        "results": results,
        "text": results.query.text,
        "page": page,
        "page_range": page_window(page),
        "query_without_page": query.urlencode(),
        "page_missing": not asked_for(requested_page, page),
    }
    return render(request, "initiatives/search.html", context)
