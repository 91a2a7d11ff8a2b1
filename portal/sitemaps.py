"""sitemap.xml: an index of sections, each listing its public pages in both interface languages with hreflang
alternates (django.contrib.sitemaps), in pages of at most 1,000 addresses. Only published insatsområden.

Cached and revalidated by the catalogue version like every public read (portal/urls.py: public_page). The
index's dates are one aggregate per section, not a walk over every item.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from initiatives.models import FocusArea, MandatoryArea, Theme
from regions.models import Region


class Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the Swedish page, at the address without a language prefix
    limit = 500  # items a page: 1,000 addresses in two languages


class StaticPages(Bilingual):
    def items(self):
        return [
            "home",
            "region_list",
            "focus_area_list",
            "theme_list",
            "comparison",
            "about",
            "accessibility",
        ]

    def location(self, item):
        return reverse(item)


class Regions(Bilingual):
    def items(self):
        return Region.objects.order_by("slug")

    def lastmod(self, region):
        return region.edited_at  # None (no lastmod) until a person has changed it: a seed is not a change

    def get_latest_lastmod(self):
        return Region.objects.aggregate(latest=Max("edited_at"))["latest"]


class FocusAreas(Bilingual):
    def items(self):
        return FocusArea.objects.published().select_related("region").order_by("pk")

    def lastmod(self, focus_area):
        return focus_area.edited_at

    def get_latest_lastmod(self):
        return FocusArea.objects.published().aggregate(latest=Max("edited_at"))["latest"]


class Themes(Bilingual):
    def items(self):
        return Theme.objects.order_by("slug")


class MandatoryAreas(Bilingual):
    def items(self):
        return MandatoryArea.objects.order_by("number")


SITEMAPS = {
    "sidor": StaticPages,
    "regioner": Regions,
    "insatsomraden": FocusAreas,
    "teman": Themes,
    "obligatoriska-omraden": MandatoryAreas,
}
