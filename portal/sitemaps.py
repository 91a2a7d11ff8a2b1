"""sitemap.xml: an index of sections, each listing its public pages in both interface languages with hreflang
alternates (django.contrib.sitemaps), in pages of at most 1,000 addresses. Only published insatsområden.

Cached and revalidated by the catalogue version like every public read (portal/urls.py: public_page). The
index's dates are one aggregate per section, not a walk over every item. A section's XML is written by
`section()` rather than by Django's template, which took half of a page's time (1,000 addresses, 3,000
alternates, through the template engine); Django's view still chooses the items, pages and Last-Modified.
"""

from datetime import datetime
from html import escape  # as django.utils.html.escape, without its lazy-string wrapper (3,000 calls a page)

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemaps_views
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation

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

    def __init__(self):
        self._locations = {}

    def _items(self):
        return InLanguages(self.items(), self._languages())

    def _location(self, item, force_lang_code=None):
        # Django asks for each address four times (the item, its alternate in each language, x-default),
        # each under translation.override: here once per item and language. (A sitemap is made per request.)
        obj, language = item
        key = (getattr(obj, "pk", obj), force_lang_code or language)
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]


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
    def __init__(self):
        super().__init__()
        self._prefixes = {}

    def items(self):
        return FocusArea.objects.published().select_related("region").order_by("pk")

    def lastmod(self, focus_area):
        return focus_area.edited_at

    def location(self, focus_area):
        # One reverse() per language, not per insatsområde: every address has the shape …/<region>/<slug>/.
        language = translation.get_language()
        if language not in self._prefixes:
            shape = reverse("focus_area_detail", args=["r", "s"])
            assert shape.endswith("/r/s/"), shape
            self._prefixes[language] = shape.removesuffix("r/s/")
        return f"{self._prefixes[language]}{focus_area.region.slug}/{focus_area.slug}/"

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


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def _day(value):
    # As the template's |date:"Y-m-d": an aware time in the site's time zone.
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def urlset_xml(urlset) -> str:
    """Django's sitemap.xml template, byte for byte (its {% spaceless %} leaves no space between the tags)."""
    parts = [URLSET_START]
    for url in urlset:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        for alternate in url["alternates"]:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    return "".join(parts)


def section_page(request, section):
    """One page of a section (`?p=`): Django's sitemap view, its XML written by urlset_xml."""
    response = sitemaps_views.sitemap(request, sitemaps=SITEMAPS, section=section)
    response.content = urlset_xml(response.context_data["urlset"])
    return response
