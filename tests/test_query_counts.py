"""Each page runs a fixed, small number of queries whatever the size of the catalogue.

Measured on the seeded catalogue, then again after it has been grown to about 20 times its size:
the counts must be the pinned ones both times.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.synthetic import grow_catalogue
from initiatives.models import FocusArea

pytestmark = pytest.mark.usefixtures("seeded")

# Every HTML page first reads the catalogue version (portal/page_cache.py): the "+ version" below. A
# repeat visit to a page without free text, or to a search, is served from a cache: that one query only.
# Counts marked * are kept per catalogue version and shared by every page (initiatives/catalogue_counts.py,
# portal/fragments.py); here they are always counted as not yet made (SHARED_PARTS below: once they are).
PAGES = {
    # + version / regions / their counts* / mandatory areas / themes / region × theme counts* / recent /
    # overview source
    "/": 8,
    # regions / their counts* / their first published focus areas
    "/regioner/": 4,
    # + version / region / count and latest change / the first 20 focus areas (with activity counts) / their
    # themes / their contacts / themes and region × theme counts* (the fact box's most common themes, over
    # all the region's focus areas) / the other regions (similar regions) / its mandatory areas / region
    # contacts / region links / the activities' sources and sections / discrepancies between the sources
    "/regioner/kalmar/": 14,
    # focus area / themes / dimensions / goals / activities / contacts / links / similar focus areas /
    # discrepancies between the sources that concern it
    "/regioner/kalmar/digital-omstallning/": 10,
    # 5 facets / count / page / themes (the list shows no dimensions: none loaded)
    "/insatsomraden/": 9,
    # … + the insatsområden q finds (searched once, then shared by the facet counts)
    "/insatsomraden/?region=kalmar&region=gotland&tema=digitalisering&dimension=social&q=digital": 10,
    # … the same on both databases (initiatives/search/): "besoksnaring" is found as written
    "/insatsomraden/?q=besoksnaring": 10,
    # … nothing as written: is the word known / the words close to it; an empty match needs no count
    # or page query: facets only
    "/insatsomraden/?q=zzxqy": 9,
    # + version / the ranked documents, one query for every kind (snippets are made in Python)
    "/sok/?q=hållbar": 2,
    # … / nothing as written: is the word known / the words close to it / the themes offered
    "/sok/?q=zzxqy": 5,
    "/insatsomraden/?sortera=uppdaterad&sida=2": 9,
    # themes / region × theme counts* (the themes' totals)
    "/teman/": 3,
    # + version / theme / its focus areas / the regions (the groups' order) / region × theme counts* (the map)
    "/teman/cirkular-ekonomi/": 5,
    # + version / area / its focus areas / the regions in order (also their count)
    "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/": 4,
    # + version / regions / their counts* (the row totals) / themes / region × theme counts*.
    # Column totals and sorting are worked out from these (regions/comparison.py).
    "/jamfor/": 5,
    # … / the chosen regions' mandatory areas / the first CELL_MAX focus areas of each region and theme (the
    # summary rows, shared and unique themes are worked out from the counts)
    "/jamfor/?region=kalmar&region=skane": 7,
    "/jamfor/?region=kalmar&region=gotland&region=halland&sortera=klimat-och-energi": 7,
    # sources / mandatory areas
    "/om/": 3,
    # API: version (for ETag, Last-Modified and the cache) / regions with counts
    "/api/v1/regions/": 2,
    # … / region / region contacts / region links / its first focus areas' ids / those not built for this
    # version yet (portal/fragments.py: all of them here): the focus areas with region / themes /
    # dimensions / goals / activities / contacts / links
    "/api/v1/regions/kalmar/": 12,
    # … / known-value checks for the given facets (2) / count / the page's ids / the focus areas as above (7)
    "/api/v1/focus-areas/?region=kalmar&tema=digitalisering": 12,
    # a selection's CSV: version / the known-value check of the given facet / the rows / themes / dimensions /
    # goals
    "/insatsomraden/ladda-ner.csv?region=kalmar": 6,
    # sitemap index: version / the size of each section but the fixed pages (4) / the newest edit of
    # regions and of insatsområden; a section's page: version / the section's size / the page's items
    "/sitemap.xml": 7,
    "/sitemap-insatsomraden.xml": 3,
    "/tillganglighet/": 1,
}


def count_queries(client, url):
    caches["fragments"].clear()  # the most a page costs: none of the parts it shares with others built yet
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


def test_a_cached_page_costs_one_query_at_any_size(client):
    cached = list(PAGES)  # every public read, the API's and those with free text too
    for url in cached:
        count_queries(client, url)
    assert {url: count_queries(client, url) for url in cached} == dict.fromkeys(cached, 1)
    grow_catalogue(20)  # a change: the version moves on, and every page renders once more
    for url in cached:
        count_queries(client, url)
    assert {url: count_queries(client, url) for url in cached} == dict.fromkeys(cached, 1)


# With the page cache off (as for a page no one has asked for since the last edit), the counts marked * above
# and the API's insatsområden are made once per version and shared (portal/fragments.py): another address
# showing the same ones, or the same address again, runs only its own queries.
SHARED_PARTS = {
    "/": 6,
    "/regioner/": 3,
    "/regioner/kalmar/": 13,
    "/teman/": 2,
    "/teman/cirkular-ekonomi/": 4,
    "/jamfor/": 3,
    "/jamfor/?region=kalmar&region=skane": 5,
    # version / count / page / themes: the facets' counts are those of the unfiltered list, in any order
    "/insatsomraden/?sortera=rubrik": 4,
    # version / count / page / themes / the other facets' counts with Kalmar chosen (4): the region facet's
    # own counts, over the other filters (none), are those of the unfiltered list
    "/insatsomraden/?region=kalmar": 8,
    # version / region / region contacts / region links / its first focus areas' ids
    "/api/v1/regions/kalmar/": 5,
    # version / known-value check (1) / count / the page's ids
    "/api/v1/focus-areas/?region=kalmar": 4,
    # version / count / the page's ids
    "/api/v1/focus-areas/?sortera=rubrik": 3,
}


def test_shared_parts_are_made_once_per_version(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/api/v1/focus-areas/?region=kalmar")  # builds Kalmar's insatsområden
    client.get("/api/v1/focus-areas/?sortera=rubrik")  # and these: asked again, not built again
    client.get("/")  # the counts every page shares
    client.get("/insatsomraden/")  # the facets' counts without filters
    counts = {}
    for url in SHARED_PARTS:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context)
    assert counts == SHARED_PARTS


def test_without_the_parts_cache_every_request_builds_its_own(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_ENTRIES = 0  # FRAGMENT_CACHE_ENTRIES=0: turned off
    url = "/api/v1/regions/kalmar/"
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert len(context) == PAGES[url]
