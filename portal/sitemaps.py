"""sitemap.xml: every public page (django.contrib.sitemaps). Only published insatsområden."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from initiatives.models import FocusArea, MandatoryArea, Theme
from regions.models import Region


class StaticPages(Sitemap):
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


class Regions(Sitemap):
    def items(self):
        return Region.objects.order_by("slug")

    def lastmod(self, region):
        return region.updated_at


class FocusAreas(Sitemap):
    def items(self):
        return FocusArea.objects.published().select_related("region").order_by("pk")

    def lastmod(self, focus_area):
        return focus_area.updated_at


class Themes(Sitemap):
    def items(self):
        return Theme.objects.order_by("slug")


class MandatoryAreas(Sitemap):
    def items(self):
        return MandatoryArea.objects.order_by("number")


SITEMAPS = {
    "sidor": StaticPages,
    "regioner": Regions,
    "insatsomraden": FocusAreas,
    "teman": Themes,
    "obligatoriska-omraden": MandatoryAreas,
}
