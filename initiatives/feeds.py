"""Atom feeds of newly published or updated insatsområden: all, per region, per theme."""

import re

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from regions.models import Region

from .models import FocusArea, Theme

FEED_LENGTH = 50
# Characters XML 1.0 cannot carry at all. Content pasted from elsewhere can hold them (a stray bell or
# escape character); a feed must drop them rather than fail.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_IN_XML.sub("", text)


class FocusAreaFeed(Feed):
    feed_type = Atom1Feed
    title = "Vägar till hållbar utveckling: nya och ändrade insatsområden"
    subtitle = "Regionernas insatsområden för hållbar regional utveckling, senast uppdaterade först."
    author_name = "Tillväxtverket"
    language = "sv"

    def link(self, obj=None):
        return reverse("focus_area_list")

    def focus_areas(self, obj):
        return FocusArea.objects.published().select_related("region")

    def items(self, obj=None):
        # Newest change by a person first, then newest on the portal: a seed run is not an update.
        return self.focus_areas(obj).order_by(F("edited_at").desc(nulls_last=True), "-created_at", "pk")[
            :FEED_LENGTH
        ]

    def item_title(self, item):
        return xml_text(f"{item.title} ({item.region.name})")

    def item_description(self, item):
        return xml_text(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        # Atom requires a date; before anyone has changed the entry it is the day it came to the portal.
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return xml_text(item.region.name)


class RegionFeed(FocusAreaFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Region, slug=slug)

    def title(self, region):
        return xml_text(f"{region.name}: nya och ändrade insatsområden")

    def link(self, region):
        return region.get_absolute_url()

    def focus_areas(self, region):
        return super().focus_areas(region).filter(region=region)


class ThemeFeed(FocusAreaFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme):
        return xml_text(f"{theme.name}: nya och ändrade insatsområden")

    def link(self, theme):
        return theme.get_absolute_url()

    def focus_areas(self, theme):
        return super().focus_areas(theme).filter(themes=theme)
