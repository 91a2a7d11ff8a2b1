"""Each page runs a fixed, small number of queries whatever the size of the catalogue.

Measured on the seeded catalogue, then again after it has been grown to about 20 times its size:
the counts must be the pinned ones both times.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from initiatives.models import Activity, Dimension, FocusArea, Status, Theme
from regions.models import Region

pytestmark = pytest.mark.usefixtures("seeded")

PAGES = {
    # regions with counts / mandatory areas / themes with region counts / recent / overview source
    "/": 5,
    # regions with counts / their published focus areas
    "/regioner/": 2,
    # region / focus areas / their themes / dimensions / activities / contacts / links /
    # similar regions / region contacts / their focus areas / region links
    "/regioner/kalmar/": 11,
    # focus area / themes / dimensions / goals / activities / contacts / links / similar focus areas
    "/regioner/kalmar/digital-omstallning/": 8,
    # 5 facets / count / page / themes / dimensions
    "/insatsomraden/": 9,
    # … + on PostgreSQL: does q match anything as written, or are near misses shown instead?
    "/insatsomraden/?region=kalmar&region=gotland&tema=digitalisering&dimension=social&q=digital": (
        10 if connection.vendor == "postgresql" else 9
    ),
    # regions / focus areas / activities / contacts (on SQLite the same four, by containment)
    "/sok/?q=hållbar": 4,
    # … / nothing as written: near-miss regions / focus areas / activities / closest themes
    "/sok/?q=zzxqy": 8 if connection.vendor == "postgresql" else 5,
    "/insatsomraden/?sortera=uppdaterad&sida=2": 9,
    # themes with counts
    "/teman/": 1,
    # theme / its focus areas / their themes / regions in order / regions for the map
    "/teman/cirkular-ekonomi/": 5,
    # area / its focus areas / their themes / regions in order / region count
    "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/": 5,
    # regions / themes / region × theme counts
    "/jamfor/": 3,
    # … and the chosen regions' focus areas / their themes
    "/jamfor/?region=kalmar&region=skane": 5,
    # sources / mandatory areas
    "/om/": 2,
    "/tillganglighet/": 0,
}


def grow_catalogue(factor: int) -> None:
    """Add (factor - 1) copies of every published focus area, spread over the regions, with themes,
    dimensions, an activity each and a contact a region: about `factor` times the seeded catalogue."""
    regions = list(Region.objects.all())
    themes = list(Theme.objects.all())
    dimensions = list(Dimension.objects.all())
    originals = list(FocusArea.objects.published())
    copies = [
        FocusArea(
            region=regions[(n + i) % len(regions)],
            title=f"{original.title} ({n})",
            slug=f"{original.slug}-{n}",
            summary=original.summary,
            body=original.body,
            order=100 + n,
            status=Status.PUBLISHED,
        )
        for n in range(1, factor)
        for i, original in enumerate(originals)
    ]
    FocusArea.objects.bulk_create(copies)
    copies = list(FocusArea.objects.filter(order__gte=100))
    cycle = itertools.cycle(themes)
    FocusArea.themes.through.objects.bulk_create(
        FocusArea.themes.through(focusarea=fa, theme=next(cycle)) for fa in copies for _ in range(2)
    )
    FocusArea.dimensions.through.objects.bulk_create(
        FocusArea.dimensions.through(focusarea=fa, dimension=dimensions[fa.pk % 3]) for fa in copies
    )
    Activity.objects.bulk_create(Activity(focus_area=fa, order=1, body="Ett steg.") for fa in copies)
    contacts = Contact.objects.bulk_create(
        Contact(region=region, name=f"Extra kontakt {n}", phone="070-000 00 00")
        for n, region in enumerate(regions * (factor - 1))
    )
    Contact.focus_areas.through.objects.bulk_create(
        Contact.focus_areas.through(contact=c, focusarea=copies[i]) for i, c in enumerate(contacts)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_query_counts_are_fixed_as_the_catalogue_grows(client):
    seeded = {url: count_queries(client, url) for url in PAGES}
    grow_catalogue(20)
    assert FocusArea.objects.count() >= 20 * 56
    grown = {url: count_queries(client, url) for url in PAGES}
    assert seeded == PAGES
    assert grown == PAGES
