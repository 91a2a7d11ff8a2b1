"""How many published insatsområden each region has, and each region with each theme: the counts the start
page, the region list, the theme list, a theme's map and the comparison all show, computed once per
catalogue version (portal/fragments.py) instead of on every page that repeats them.

Two small GROUP BYs over integer columns. At 100 times today's data the start page's theme count alone,
grouped by every column of the theme table, took 40 ms; now no page but the first after an edit pays for
it. The themes' totals follow from the region × theme counts (an insatsområde is in one region): its
insatsområden are the sum over the regions, and the regions that work on it those with any.
"""

from django.db.models import Count

from portal.fragments import built_once

from .models import FocusArea, Status


def _kept(request, kind, build):
    return built_once(request, kind, ["all"], lambda ids: {"all": build()})["all"]


def region_counts(request) -> dict[int, int]:
    """{region id: its published insatsområden}; a region without any is not in it."""

    def build():
        rows = FocusArea.objects.published().order_by().values_list("region_id").annotate(n=Count("pk"))
        return dict(rows)

    return _kept(request, "region-counts", build)


def region_theme_counts(request) -> dict[tuple[int, int], int]:
    """{(region id, theme id): the region's published insatsområden with the theme}, only those above 0."""

    def build():
        through = FocusArea.themes.through.objects.filter(focusarea__status=Status.PUBLISHED)
        rows = through.order_by().values_list("focusarea__region_id", "theme_id").annotate(n=Count("pk"))
        return {(region_id, theme_id): n for region_id, theme_id, n in rows}

    return _kept(request, "region-theme-counts", build)


def with_counts(request, regions):
    """`regions` (a list) with focus_area_count set on each, as the pages' templates read it."""
    counts = region_counts(request)
    for region in regions:
        region.focus_area_count = counts.get(region.pk, 0)
    return regions


def theme_totals(request) -> dict[int, tuple[int, int]]:
    """{theme id: (its published insatsområden, the regions with at least one)}."""
    totals = {}
    for (_, theme_id), n in region_theme_counts(request).items():
        focus_areas, regions = totals.get(theme_id, (0, 0))
        totals[theme_id] = (focus_areas + n, regions + 1)
    return totals
