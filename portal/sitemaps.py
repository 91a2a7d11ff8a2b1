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


class InLanguages:
    """Every item in every language, as Django's sitemap pages them, without loading the items: its length
    is a count, and a page loads only its own slice of the queryset. (Django builds the whole list, which at
    100 times today's data was 11,200 insatsområden loaded for the index's page count alone.)"""

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    def __len__(self):
        count = (
            len(self.items) if isinstance(self.items, list) else self.items.count()
        )  # a list, or a queryset
        return count * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("only pages (slices) of a sitemap are asked for")
        n = len(self.languages)
        start, stop = index.start or 0, index.stop
        first, last = start // n, -(-stop // n) if stop is not None else None
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        return pairs[start - first * n : None if stop is None else stop - first * n]


class Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the Swedish page, at the address without a language prefix
    limit = 500  # items a page: 1,000 addresses in two languages

    def _items(self):
        return InLanguages(self.items(), self._languages())


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
